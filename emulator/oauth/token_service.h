// The token endpoint's logic (RFC 6749 §3.2): parameter rules and the dispatch to the grants of
// grant_registry, plus introspection, revocation and UserInfo. Takes the parsed parameters and the
// request's client (client_auth.h), returns values and throws OAuthError; writes no JSON.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "oauth/client_auth.h"
#include "oauth/form.h"
#include "oauth/grant_context.h"

namespace authemu {

// RFC 7662 §2.2: an introspection answer. Inactive: nothing else is sent.
struct Introspection {
  bool active = false;
  std::string token_type; // Bearer or refresh_token
  std::string scope, client_id, sub, iss;
  std::optional<std::string> username;
  std::optional<std::vector<std::string>> aud; // access tokens
  int64_t iat = 0, exp = 0;
  std::optional<int64_t> nbf;
  std::optional<std::string> jti;
  std::optional<Json> cnf; // RFC 8705 §3.2: the certificate a bound token is bound to
};

class TokenService {
public:
  TokenService(TokenSettings settings, const ClientStore& clients, const UserStore& users, const KeyStore& keys,
               TokenStore& store, AuthorizationStore& authorizations, DeviceStore& devices,
               const TokenVerifier& verifier, const Clock& clock);

  // A successful response (RFC 6749 §5.1). client: authenticated here once grant_type is known to
  // work, and for token exchange and jwt-bearer only when the request names one. issuer: the iss
  // of new tokens, as the request's environment and host give it.
  // dpop: the request's DPoP proofs, method and URL (RFC 9449 §5); nullptr: a request without.
  TokenResponse token(const Params& params, const RequestClient& client, const std::string& issuer,
                      const DpopCheck* dpop = nullptr) const;
  // RFC 7662: the introspection answer to an authenticated caller.
  Introspection introspect(const Params& params, const AuthenticatedClient& caller, const std::string& issuer) const;
  // RFC 7009: revokes the token if it is the caller's; unknown tokens are not an error.
  void revoke(const Params& params, const AuthenticatedClient& caller) const;
  // OIDC Core §5.3: the UserInfo claims of a verified access token; throws OAuthError
  // insufficient_scope (403) for a token without a user or without the openid scope.
  JsonObject userinfo(const VerifiedToken& token) const;

  // Lets the environment accept platform tokens with the jwt-bearer grant.
  void set_platform_trust(PlatformTrust trust) { ctx_.platform_trust = std::move(trust); }
  // Lets the grants and client authentication fetch from other servers.
  void set_fetcher(Fetcher* fetcher) { ctx_.fetcher = fetcher; }
  // Lets the token endpoint read DPoP proofs; nonce: every proof must carry a server nonce.
  void set_authorize_rules(AuthorizeRules rules) { ctx_.authorize_rules = rules; }
  void set_dpop(Dpop* dpop, bool nonce) {
    ctx_.dpop = dpop;
    ctx_.dpop_nonce = nonce;
  }
  // Grant types that work here, for discovery.
  std::vector<std::string> grant_types() const;
  // Claims that describe the user in access tokens.
  JsonObject user_claims(const User& user) const { return ctx_.user_claims(user); }
  const GrantContext& context() const { return ctx_; }

private:
  GrantContext ctx_;
};

} // namespace authemu
