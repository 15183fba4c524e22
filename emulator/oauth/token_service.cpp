#include "oauth/token_service.h"

#include <algorithm>

#include "base/base64.h"
#include "oauth/client_auth.h"
#include "jose/crypto.h"
#include "oauth/oauth_error.h"
#include "oauth/scope.h"

namespace authemu {

namespace {
constexpr char kClientCredentials[] = "client_credentials";
constexpr char kPassword[] = "password";
constexpr char kRefreshToken[] = "refresh_token";
constexpr char kJwtBearer[] = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr char kTokenExchange[] = "urn:ietf:params:oauth:grant-type:token-exchange";
}  // namespace

TokenService::TokenService(TokenSettings settings, const ClientStore& clients, const UserStore& users,
                           const KeyStore& keys, TokenStore& store, const TokenVerifier& verifier, const Clock& clock)
    : settings_(std::move(settings)),
      clients_(clients),
      users_(users),
      keys_(keys),
      store_(store),
      verifier_(verifier),
      clock_(clock) {}

std::vector<std::string> TokenService::grant_types() const {
  std::vector<std::string> g = {kClientCredentials, kPassword, kRefreshToken};
  if (platform_trust_) g.push_back(kJwtBearer);
  if (settings_.platform) g.push_back(kTokenExchange);
  return g;
}

std::vector<std::string> TokenService::audience_for(const Client& client, const User* user) const {
  if (!settings_.platform) return client_audience(client);
  const auto& names = user != nullptr && !user->environments.empty() ? user->environments : client.environments;
  std::vector<std::string> aud;
  if (names.empty()) {
    for (const auto& [name, issuer] : settings_.environment_issuers) aud.push_back(issuer);  // all of them
  }
  for (const auto& n : names) {
    if (auto it = settings_.environment_issuers.find(n); it != settings_.environment_issuers.end()) aud.push_back(it->second);
  }
  return aud;
}

std::string TokenService::token(const Params& params, const std::optional<std::string>& authorization,
                                const std::string& issuer) const {
  auto grant = params.get("grant_type");
  if (!grant) throw oauth::invalid_request("grant_type missing");
  if (*grant == kClientCredentials) return client_credentials(params, authorization, issuer);
  if (*grant == kPassword) return password(params, authorization, issuer);
  if (*grant == kRefreshToken) return refresh_token(params, authorization, issuer);
  if (*grant == kJwtBearer && platform_trust_) return jwt_bearer(params, authorization, issuer);
  if (*grant == kTokenExchange && settings_.platform) return token_exchange(params, authorization, issuer);
  throw oauth::unsupported_grant_type(*grant + " not supported");
}

ClientStore::Ptr TokenService::client_for_grant(const Params& params, const std::optional<std::string>& authorization,
                                                const std::string& grant) const {
  auto auth = authenticate_client(clients_, params, parse_basic(authorization));
  // Formance: public clients are not given client_credentials, whatever their grant list says.
  if (grant == kClientCredentials && auth.client->is_public) {
    throw oauth::unauthorized_client("public client " + auth.client->id + " may not use client_credentials");
  }
  if (!client_allows_grant(*auth.client, grant)) {
    throw oauth::unauthorized_client("client " + auth.client->id + " may not use the " + grant + " grant");
  }
  return auth.client;
}

TokenService::Issued TokenService::issue_access_token(const std::string& issuer, const std::string& client_id, const std::string& subject,
                                                      const std::vector<std::string>& audience,
                                                      const std::string& scope, int64_t lifetime,
                                                      const JsonObject& extra_claims, std::string* jti) const {
  int64_t now = clock_.now();
  JsonObject claims = extra_claims;
  // Formance's claim set (aud array, exp, iat, iss, jti, nbf, scope always present) plus
  // RFC 9068 §2.2's sub and client_id.
  claims["aud"] = json_string_array(audience);
  claims["client_id"] = json_string(client_id);
  claims["exp"] = json_int(now + lifetime);
  claims["iat"] = json_int(now);
  claims["iss"] = json_string(issuer);
  std::string id = uuid_v4();
  claims["jti"] = json_string(id);
  if (jti != nullptr) *jti = id;
  claims["nbf"] = json_int(now);
  claims["scope"] = json_string(scope);
  claims["sub"] = json_string(subject);
  return Issued{keys_.sign(claims, "at+jwt"), lifetime};
}

}  // namespace authemu

namespace authemu {

namespace {

bool has_scope_token(const std::vector<std::string>& scopes, const char* s) {
  return std::find(scopes.begin(), scopes.end(), s) != scopes.end();
}

// OIDC Core §3.1.3.6: the left half of SHA-256 of the access token, base64url.
std::string at_hash(const std::string& access_token) { return base64url_encode(sha256(access_token).substr(0, 16)); }

}  // namespace

JsonObject TokenService::user_claims(const User& user) const {
  JsonObject c = user.claims;  // fixture extras first: the standard claims below win
  c["preferred_username"] = json_string(user.username);
  if (!user.name.empty()) c["name"] = json_string(user.name);
  if (!user.email.empty()) c["email"] = json_string(user.email);
  c[settings_.role_claim] = json_string_array(user.groups);  // FTL reads roles as a JSON array
  return c;
}

std::string TokenService::user_token_response(const std::string& issuer, const Client& client, const User& user, const std::string& scope,
                                              bool scope_requested, RefreshGrant grant) const {
  int64_t now = clock_.now();
  int64_t lifetime = client.user_token_lifetime.value_or(settings_.user_token_lifetime);
  std::string jti;
  Issued access =
      issue_access_token(issuer, client.id, user.id, audience_for(client, &user), scope, lifetime, user_claims(user), &jti);

  grant.client_id = client.id;
  grant.user_id = user.id;
  grant.iat = now;
  grant.exp = now + client.refresh_token_lifetime.value_or(settings_.refresh_token_lifetime);
  if (grant.family.empty()) grant.family = uuid_v4();  // a new grant; a refresh keeps its family
  std::string family = grant.family;
  std::string refresh = store_.issue_refresh(std::move(grant), now);
  store_.record_access(family, jti, now + lifetime, now);

  JsonObject body;
  body["access_token"] = json_string(access.token);
  body["token_type"] = json_string("Bearer");
  body["expires_in"] = json_int(access.expires_in);
  body["refresh_token"] = json_string(refresh);
  if (scope_requested || !scope.empty()) body["scope"] = json_string(scope);

  auto scopes = parse_scope(scope);
  if (has_scope_token(scopes, "openid")) {
    // OIDC Core §2 ID token; on refresh the same auth_time (§12.2).
    JsonObject id;
    id["iss"] = json_string(issuer);
    id["sub"] = json_string(user.id);
    id["aud"] = json_string_array({client.id});
    id["azp"] = json_string(client.id);
    id["iat"] = json_int(now);
    id["exp"] = json_int(now + lifetime);
    id["auth_time"] = json_int(grant.auth_time);
    id["at_hash"] = json_string(at_hash(access.token));
    if (has_scope_token(scopes, "profile")) {
      id["preferred_username"] = json_string(user.username);
      if (!user.name.empty()) id["name"] = json_string(user.name);
    }
    if (has_scope_token(scopes, "email") && !user.email.empty()) {
      id["email"] = json_string(user.email);
      id["email_verified"] = Json(true);
    }
    body["id_token"] = json_string(keys_.sign(id, "JWT"));
  }
  return dump_json(Json(body));
}

}  // namespace authemu
