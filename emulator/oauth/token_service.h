// The token endpoint's logic (RFC 6749 §3.2): parameter rules, grant dispatch, and the issuing
// of signed access tokens. One member per grant, each in its grant_<name>.cpp. Throws OAuthError;
// never sees HTTP types beyond the parsed parameters and the Authorization header.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/client_store.h"
#include "base/clock.h"
#include "oauth/form.h"
#include "base/json.h"
#include "jose/key_store.h"
#include "store/token_store.h"
#include "oauth/token_verifier.h"
#include "store/user_store.h"

namespace authemu {

struct TokenSettings {
  int64_t access_token_lifetime = 3600;    // Formance ExpirationToken2Legged
  int64_t user_token_lifetime = 300;       // Formance ExpirationToken3Legged
  int64_t refresh_token_lifetime = 18000;  // Formance stores refresh rows for 5 hours
  std::string role_claim = "group";        // TIBCO FTL's oauth2.claim.roles default
  // The platform issuer: its tokens name environments' issuers in aud, and it does RFC 8693
  // token exchange. environment_issuers maps environment names ("default" too) to issuers.
  bool platform = false;
  std::map<std::string, std::string> environment_issuers;
};

// How an environment checks platform tokens presented as jwt-bearer assertions (RFC 7523).
struct PlatformTrust {
  const KeyStore* keys = nullptr;
  std::function<bool(const std::string&)> trusts_issuer;
  std::string issuer;  // the platform's configured issuer, for messages
};

class TokenService {
 public:
  TokenService(TokenSettings settings, const ClientStore& clients, const UserStore& users, const KeyStore& keys,
               TokenStore& store, const TokenVerifier& verifier, const Clock& clock);

  // Returns the JSON body of a successful response (RFC 6749 §5.1). issuer: the iss of new tokens,
  // as the request's environment and host give it.
  std::string token(const Params& params, const std::optional<std::string>& authorization,
                    const std::string& issuer) const;
  // RFC 7662: the JSON body of the introspection response.
  std::string introspect(const Params& params, const std::optional<std::string>& authorization,
                         const std::string& issuer) const;
  // RFC 7009: revokes the token if it is this client's; unknown tokens are not an error.
  void revoke(const Params& params, const std::optional<std::string>& authorization) const;
  // OIDC Core §5.3: the UserInfo claims of a verified access token; throws OAuthError
  // insufficient_scope (403) for a token without a user or without the openid scope.
  std::string userinfo(const VerifiedToken& token) const;

  // Lets the environment accept platform tokens with the jwt-bearer grant.
  void set_platform_trust(PlatformTrust trust) { platform_trust_ = std::move(trust); }
  // Grant types that work here, for discovery.
  std::vector<std::string> grant_types() const;
  // Claims that describe the user in access tokens.
  JsonObject user_claims(const User& user) const;

 private:
  struct Issued {
    std::string token;
    int64_t expires_in;
  };
  // Signs an RFC 9068 access token.
  Issued issue_access_token(const std::string& issuer, const std::string& client_id, const std::string& subject,
                            const std::vector<std::string>& audience, const std::string& scope,
                            int64_t lifetime, const JsonObject& extra_claims, std::string* jti = nullptr) const;
  // The token response of a grant with a user: access token, refresh token, and an ID token
  // when openid is in scope.
  std::string user_token_response(const std::string& issuer, const Client& client, const User& user, const std::string& scope,
                                   bool scope_requested, RefreshGrant grant) const;

  // Authenticates the client of a grant request and checks that it may use the grant.
  ClientStore::Ptr client_for_grant(const Params& params, const std::optional<std::string>& authorization,
                                    const std::string& grant) const;

  // aud of a new token: the client's audience, or on the platform the issuers of the environments
  // the user (or else the client) may access.
  std::vector<std::string> audience_for(const Client& client, const User* user) const;
  std::string jwt_bearer(const Params& params, const std::optional<std::string>& authorization,
                         const std::string& issuer) const;
  std::string token_exchange(const Params& params, const std::optional<std::string>& authorization,
                             const std::string& issuer) const;

  std::string client_credentials(const Params& params, const std::optional<std::string>& authorization,
                  const std::string& issuer) const;
  std::string password(const Params& params, const std::optional<std::string>& authorization,
                  const std::string& issuer) const;
  std::string refresh_token(const Params& params, const std::optional<std::string>& authorization,
                  const std::string& issuer) const;

  TokenSettings settings_;
  const ClientStore& clients_;
  const UserStore& users_;
  const KeyStore& keys_;
  TokenStore& store_;
  const TokenVerifier& verifier_;
  const Clock& clock_;
  std::optional<PlatformTrust> platform_trust_;
};

}  // namespace authemu
