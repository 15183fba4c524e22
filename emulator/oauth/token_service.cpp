#include "oauth/token_service.h"

#include "oauth/grant_registry.h"
#include "oauth/oauth_error.h"

namespace authemu {

TokenService::TokenService(TokenSettings settings, const ClientStore& clients, const UserStore& users,
                           const KeyStore& keys, TokenStore& store, AuthorizationStore& authorizations,
                           DeviceStore& devices, const TokenVerifier& verifier, const Clock& clock)
    : ctx_{std::move(settings), clients, users, keys, store, authorizations, devices, verifier, clock, std::nullopt} {}

std::vector<std::string> TokenService::grant_types() const {
  return available_grant_types(ctx_);
}

TokenResponse TokenService::token(const Params& params, const RequestClient& client, const std::string& issuer) const {
  auto name = params.get("grant_type");
  if (!name) throw oauth::invalid_request("grant_type missing");
  const Grant* grant = find_grant(*name);
  // RFC 6749 §5.2: a grant unknown here, or one this environment does not serve.
  if (grant == nullptr || !is_available(*grant, ctx_)) throw oauth::unsupported_grant_type(*name + " not supported");
  const AuthenticatedClient* authenticated = nullptr;
  if (grant->client == GrantClient::required || client.named()) authenticated = &client.get();
  GrantRequest req{params, authenticated, issuer, *grant, client.certificate()};
  if (authenticated && authenticated->client->tls_client_certificate_bound_access_tokens) {
    // RFC 8705 §3.4: the client asked for bound tokens; without a certificate there is nothing to
    // bind them to, and an unbound token is what it asked not to get.
    if (req.certificate == nullptr) {
      throw oauth::invalid_request("client " + authenticated->client->id +
                                   " gets certificate-bound tokens (tlsClientCertificateBoundAccessTokens): "
                                   "present a client certificate over HTTPS");
    }
    JsonObject cnf;
    cnf["x5t#S256"] = json_string(req.certificate->thumbprint); // RFC 8705 §3.1
    req.cnf = Json(cnf);
  }
  return grant->handle(ctx_, req);
}

} // namespace authemu
