#include "oauth/stack_target.h"

#include "oauth/oauth_error.h"

namespace authemu {

std::string stack_target_issuer(const TokenSettings& settings, const std::string& target, std::string_view prefix) {
  const std::string p(prefix);
  std::string environment = target;
  if (target.rfind("stack://", 0) == 0) {
    std::string rest = target.substr(8);
    auto slash = rest.find('/');
    if (slash == std::string::npos) throw oauth::invalid_target(p + "expected stack://<organization>/<environment>");
    std::string organization = rest.substr(0, slash);
    if (organization != settings.organization_id) {
      throw oauth::invalid_target(p + "unknown organization " + organization + " (this platform's is " +
                                  settings.organization_id + ")");
    }
    environment = rest.substr(slash + 1);
  }
  for (const auto& [name, issuer] : settings.environment_issuers) {
    if (name == environment || issuer == environment) return issuer;
  }
  throw oauth::invalid_target(p + "unknown environment " + environment);
}

} // namespace authemu
