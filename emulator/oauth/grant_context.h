// What the grants share: the environment's settings, stores, keys, verifier and clock, and the
// issuing of tokens (access tokens, user token responses with refresh and ID tokens). Holds
// references only; TokenService owns one and hands it to each grant.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/fetcher.h"
#include "base/json.h"
#include "jose/key_store.h"
#include "oauth/authorize.h"
#include "oauth/dpop.h"
#include "oauth/grant.h"
#include "oauth/token_verifier.h"
#include "store/authorization_store.h"
#include "store/client_store.h"
#include "store/device_store.h"
#include "store/token_store.h"
#include "store/user_store.h"

namespace authemu {

struct TokenSettings {
  int64_t access_token_lifetime = 3600;   // Formance ExpirationToken2Legged
  int64_t user_token_lifetime = 300;      // Formance ExpirationToken3Legged
  int64_t refresh_token_lifetime = 18000; // Formance stores refresh rows for 5 hours
  int64_t id_token_lifetime = 3600;       // Formance pkg/oidc/client.go
  int64_t code_lifetime = 60;             // authorization codes (RFC 6749 §4.1.2: short)
  int64_t device_code_lifetime = 600;     // RFC 8628 §3.2 expires_in
  int64_t device_code_interval = 5;       // RFC 8628 §3.2 interval
  std::string role_claim = "group";       // TIBCO FTL's oauth2.claim.roles default
  std::string access_token_type = "at+jwt"; // the header typ: RFC 9068's, or JWT as Formance writes it
  // The platform issuer: its tokens name environments' issuers in aud, and it does RFC 8693
  // token exchange. environment_issuers maps environment names ("default" too) to issuers.
  bool platform = false;
  std::map<std::string, std::string> environment_issuers;
  // The platform's organisation, for the ID token's org claim (as Formance's membership service).
  std::string organization_id = "authemu", organization_name = "authemu";
};

// How an environment checks platform tokens presented as jwt-bearer assertions (RFC 7523).
struct PlatformTrust {
  const KeyStore* keys = nullptr;
  std::function<bool(const std::string&)> trusts_issuer;
  std::string issuer; // the platform's configured issuer, for messages
};

// What a user grant's token response carries besides the access token.
struct UserTokenOptions {
  bool refresh_token = true;        // false: no refresh token (the code grant without offline_access)
  std::optional<std::string> nonce; // OIDC Core §3.1.2.1, into the ID token
  // RFC 8707 §2.2: this access token's aud when the request narrowed the grant's resources; the
  // refresh token keeps the grant's.
  std::optional<std::vector<std::string>> audience;
};

// The grant of a browser or device sign-in: scope, and auth_time, sid and amr of the sign-in.
RefreshGrant sign_in_grant(const SignIn& sign_in, const std::string& scope);
// As Formance: a refresh token only for offline_access, to a client that may use the refresh grant
// (the authorization code and device code grants).
bool offline_refresh(const Client& client, const std::string& scope);

// RFC 8628 §3.2 values of a client: its own, else the environment's.
int64_t device_code_lifetime(const TokenSettings& s, const Client& c);
int64_t device_code_interval(const TokenSettings& s, const Client& c);

struct GrantContext {
  TokenSettings settings;
  const ClientStore& clients;
  const UserStore& users;
  const KeyStore& keys;
  TokenStore& store;
  AuthorizationStore& authorizations;
  DeviceStore& devices;
  const TokenVerifier& verifier;
  const Clock& clock;
  std::optional<PlatformTrust> platform_trust;
  // How this environment reaches other servers (a client's jwks_uri, a client metadata document);
  // nullptr: it reaches none.
  Fetcher* fetcher = nullptr;
  // The environment's DPoP checks and nonces (RFC 9449); nullptr: DPoP proofs are not read.
  Dpop* dpop = nullptr;
  bool dpop_nonce = false; // the environment asks every DPoP proof for a server nonce (RFC 9449 §8)
  AuthorizeRules authorize_rules{}; // what authorization requests (the browser's, PAR's) must hold

  struct Issued {
    std::string token;
    int64_t expires_in;
  };
  // Signs an RFC 9068 access token for req (its issuer, and its cnf when the client's tokens are bound).
  Issued issue_access_token(const GrantRequest& req, const std::string& client_id, const std::string& subject,
                            const std::vector<std::string>& audience, const std::string& scope, int64_t lifetime,
                            const JsonObject& extra_claims, std::string* jti = nullptr) const;
  // The token response of a grant with a user: access token, refresh token, and an ID token
  // when openid is in scope. A public client's refresh token is bound to the certificate its
  // access tokens are bound to (RFC 8705 §4).
  TokenResponse user_token_response(const GrantRequest& req, const Client& client, const User& user,
                                    const std::string& scope, bool scope_requested, RefreshGrant grant,
                                    const UserTokenOptions& options = {}) const;
  // The request's authenticated client, once checked that it may use the request's grant.
  ClientStore::Ptr client_for_grant(const GrantRequest& req) const;
  // aud of a new token: the client's audience, or on the platform the issuers of the environments
  // the user (or else the client) may access.
  std::vector<std::string> audience_for(const Client& client, const User* user) const;
  // Claims that describe the user in access tokens.
  JsonObject user_claims(const User& user) const;
  // A token without a user (its sub is its client_id): the claims of that client of this
  // environment (oauth/client_claims.h); nothing for a token with a user or an unknown client.
  JsonObject claims_without_user(const std::string& client_id, const std::string& sub) const;
  // On the platform, the ID token's org claim: [{id, displayName, stacks: [{id, displayName, uri,
  // scopes}]}] with the environments the user may access.
  Json org_claim(const User& user) const;
};

} // namespace authemu
