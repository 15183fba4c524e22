#include "oauth/client_auth.h"

#include "oauth/oauth_error.h"

namespace authemu {

const char kNoClientCredentials[] = "client authentication required: HTTP Basic or client_id and client_secret";

// Each defined in its client_auth_<name>.cpp.
extern const ClientAuthMethod kClientSecretBasic;
extern const ClientAuthMethod kClientSecretPost;
extern const ClientAuthMethod kNoneMethod;

const std::vector<const ClientAuthMethod*>& all_client_auth_methods() {
  static const std::vector<const ClientAuthMethod*> methods = {&kClientSecretBasic, &kClientSecretPost, &kNoneMethod};
  return methods;
}

std::vector<std::string> client_auth_method_names(bool with_proof_only) {
  std::vector<std::string> names;
  for (const ClientAuthMethod* m : all_client_auth_methods()) {
    if (m->proves || !with_proof_only) names.emplace_back(m->name);
  }
  return names;
}

ClientCredentials read_client_credentials(const Params& params, std::optional<std::string> authorization) {
  auto basic = parse_basic(authorization);
  auto client_id = params.get("client_id");
  return ClientCredentials{params, std::move(authorization), std::move(basic), std::move(client_id)};
}

AuthenticatedClient authenticate_client(const ClientStore& clients, const ClientCredentials& c) {
  const ClientAuthMethod* chosen = nullptr;
  const ClientAuthMethod* without_proof = nullptr;
  for (const ClientAuthMethod* m : all_client_auth_methods()) {
    if (!m->presented(c)) continue;
    if (!m->proves) {
      if (without_proof == nullptr) without_proof = m;
      continue;
    }
    // RFC 6749 §2.3: a client uses one authentication method per request.
    if (chosen != nullptr) {
      throw oauth::invalid_request("client authenticated both by " + std::string(chosen->label) + " and by " +
                                   std::string(m->label) + "; use one");
    }
    chosen = m;
  }
  if (chosen == nullptr) chosen = without_proof;
  if (chosen == nullptr) throw oauth::invalid_client(kNoClientCredentials);
  return chosen->authenticate(clients, c);
}

const ClientCredentials& RequestClient::credentials() const {
  if (!credentials_) credentials_.emplace(read_client_credentials(params_, authorization_));
  return *credentials_;
}

bool RequestClient::named() const {
  const ClientCredentials& c = credentials();
  for (const ClientAuthMethod* m : all_client_auth_methods()) {
    if (m->names_client && m->presented(c)) return true;
  }
  return false;
}

const AuthenticatedClient& RequestClient::get() const {
  if (!client_) client_ = authenticate_client(clients_, credentials());
  return *client_;
}

} // namespace authemu
