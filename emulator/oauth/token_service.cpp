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

bool dpop_nonce_required(const GrantContext& ctx, const Client* client) {
  return client != nullptr && client->dpop_nonce ? *client->dpop_nonce : ctx.dpop_nonce;
}

TokenResponse TokenService::token(const Params& params, const RequestClient& client, const std::string& issuer,
                                  const DpopCheck* dpop) const {
  auto name = params.get("grant_type");
  if (!name) throw oauth::invalid_request("grant_type missing");
  const Grant* grant = find_grant(*name);
  // RFC 6749 §5.2: a grant unknown here, or one this environment does not serve.
  if (grant == nullptr || !is_available(*grant, ctx_)) throw oauth::unsupported_grant_type(*name + " not supported");
  // RFC 9449 §5: the proof is checked before the client authenticates, so that a use_dpop_nonce
  // answer uses up no client assertion; its jti is recorded once the client is known.
  std::optional<DpopProof> proof;
  if (dpop != nullptr && !dpop->proofs.empty() && ctx_.dpop != nullptr) {
    DpopCheck check = *dpop;
    check.nonce_required = dpop_nonce_required(ctx_, client.named_client().get());
    check.record_jti = false;
    proof = ctx_.dpop->check(check);
  }
  const AuthenticatedClient* authenticated = nullptr;
  if (grant->client == GrantClient::required || client.named()) authenticated = &client.get();
  if (authenticated && authenticated->client->dpop_bound_access_tokens && !proof) {
    // RFC 9449 §5.2 dpop_bound_access_tokens: the client always sends a proof.
    throw oauth::invalid_request("client " + authenticated->client->id +
                                 " gets DPoP-bound tokens only (dpopBoundAccessTokens): send a DPoP proof");
  }
  if (proof) ctx_.dpop->record(*proof);
  GrantRequest req{params, authenticated, issuer, *grant, client.certificate()};
  JsonObject cnf;
  if (proof) {
    req.jkt = proof->jkt;
    cnf["jkt"] = json_string(proof->jkt); // RFC 9449 §6.1
  }
  if (authenticated && authenticated->client->tls_client_certificate_bound_access_tokens) {
    // RFC 8705 §3.4: the client asked for bound tokens; without a certificate there is nothing to
    // bind them to, and an unbound token is what it asked not to get.
    if (req.certificate == nullptr) {
      throw oauth::invalid_request("client " + authenticated->client->id +
                                   " gets certificate-bound tokens (tlsClientCertificateBoundAccessTokens): "
                                   "present a client certificate over HTTPS");
    }
    cnf["x5t#S256"] = json_string(req.certificate->thumbprint); // RFC 8705 §3.1
  }
  if (!cnf.empty()) req.cnf = Json(cnf);
  TokenResponse r = grant->handle(ctx_, req);
  r.dpop = proof.has_value();
  return r;
}

} // namespace authemu
