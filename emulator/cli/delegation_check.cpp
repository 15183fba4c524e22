#include "cli/delegation_check.h"

#include <algorithm>

#include "base/config_error.h"

namespace authemu {

// Formance: a delegated issuer needs a client id and secret; one of this process must exist and
// have that client with that secret.
void check_delegations(const std::vector<EnvironmentSpec>& specs, const std::vector<std::string>& places) {
  for (size_t i = 0; i < specs.size(); ++i) {
    const EnvironmentSettings& s = specs[i].settings;
    if (s.delegated_issuer.empty()) continue;
    const std::string& where = places[i];
    if (s.delegated_client_id.empty() || s.delegated_client_secret.empty()) {
      throw ConfigError(where + ": a delegated issuer needs a client id and a client secret");
    }
    if (s.delegated_issuer.find("://") != std::string::npos) {
      if (s.delegated_issuer.rfind("http://", 0) != 0 && s.delegated_issuer.rfind("https://", 0) != 0) {
        throw ConfigError(where + ": delegated issuer " + s.delegated_issuer + " is not an http(s) URL");
      }
      continue;
    }
    const EnvironmentSpec* upstream = nullptr;
    for (const auto& other : specs) {
      if (other.settings.label() == s.delegated_issuer) upstream = &other;
    }
    if (upstream == nullptr || upstream == &specs[i]) {
      throw ConfigError(where + ": delegated issuer " + s.delegated_issuer +
                        " is neither a URL nor another environment of this fixture");
    }
    auto client = std::find_if(upstream->clients.begin(), upstream->clients.end(),
                               [&](const Client& c) { return c.id == s.delegated_client_id; });
    if (client == upstream->clients.end() || !secret_matches(*client, s.delegated_client_secret)) {
      throw ConfigError(where + ": " + s.delegated_issuer + " has no client " + s.delegated_client_id +
                        " with that secret for the delegated login");
    }
  }
}

} // namespace authemu
