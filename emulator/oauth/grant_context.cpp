#include "oauth/grant_context.h"

#include <algorithm>

#include "jose/crypto.h"
#include "oauth/client_auth.h"
#include "oauth/client_claims.h"
#include "oauth/grant_registry.h"
#include "oauth/id_token.h"
#include "oauth/oauth_error.h"
#include "oauth/scope.h"

namespace authemu {

RefreshGrant sign_in_grant(const SignIn& sign_in, const std::string& scope) {
  RefreshGrant grant;
  grant.scope = scope;
  grant.auth_time = sign_in.auth_time;
  grant.sid = sign_in.sid;
  grant.amr = sign_in.amr;
  return grant;
}

bool offline_refresh(const Client& client, const std::string& scope) {
  auto scopes = parse_scope(scope);
  return std::find(scopes.begin(), scopes.end(), "offline_access") != scopes.end() &&
         client_allows_grant(client, "refresh_token");
}

int64_t device_code_lifetime(const TokenSettings& s, const Client& c) {
  return c.device_code_lifetime.value_or(s.device_code_lifetime);
}

int64_t device_code_interval(const TokenSettings& s, const Client& c) {
  return c.device_code_interval.value_or(s.device_code_interval);
}

Json GrantContext::org_claim(const User& user) const {
  JsonArray stacks;
  for (const auto& [name, issuer] : settings.environment_issuers) {
    const auto& allowed = user.environments;
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) continue;
    // The stack's URL: its issuer without the /api/auth that fctl appends.
    std::string uri = issuer;
    const std::string suffix = "/api/auth";
    if (uri.size() >= suffix.size() && uri.compare(uri.size() - suffix.size(), suffix.size(), suffix) == 0)
      uri.resize(uri.size() - suffix.size());
    JsonObject s;
    s["id"] = json_string(name);
    s["displayName"] = json_string(name);
    s["uri"] = json_string(uri);
    s["scopes"] = json_string_array({"stack:Read", "stack:Write"}); // membership's stack scopes (fctl)
    stacks.push_back(Json(s));
  }
  JsonObject org;
  org["id"] = json_string(settings.organization_id);
  org["displayName"] = json_string(settings.organization_name);
  org["stacks"] = Json(stacks);
  org["applications"] = Json(JsonArray{});
  return Json(JsonArray{Json(org)});
}

std::vector<std::string> GrantContext::audience_for(const Client& client, const User* user) const {
  if (!settings.platform) return client_audience(client);
  const auto& names = user != nullptr && !user->environments.empty() ? user->environments : client.environments;
  std::vector<std::string> aud;
  if (names.empty()) {
    for (const auto& [name, issuer] : settings.environment_issuers)
      aud.push_back(issuer); // all of them
  }
  for (const auto& n : names) {
    if (auto it = settings.environment_issuers.find(n); it != settings.environment_issuers.end())
      aud.push_back(it->second);
  }
  return aud;
}

ClientStore::Ptr GrantContext::client_for_grant(const GrantRequest& req) const {
  const ClientStore::Ptr& client = req.client->client;
  const std::string grant(req.grant.name);
  // Formance: public clients are not given client_credentials, whatever their grant list says.
  if (!req.grant.public_clients && client->is_public) {
    throw oauth::unauthorized_client("public client " + client->id + " may not use " + grant);
  }
  if (!client_allows_grant(*client, req.grant)) {
    throw oauth::unauthorized_client("client " + client->id + " may not use the " + grant + " grant");
  }
  return client;
}

GrantContext::Issued GrantContext::issue_access_token(const GrantRequest& req, const std::string& client_id,
                                                      const std::string& subject,
                                                      const std::vector<std::string>& audience,
                                                      const std::string& scope, int64_t lifetime,
                                                      const JsonObject& extra_claims, std::string* jti) const {
  int64_t now = clock.now();
  JsonObject claims = extra_claims;
  // Formance's claim set (aud array, exp, iat, iss, jti, nbf, scope always present) plus
  // RFC 9068 §2.2's sub and client_id.
  claims["aud"] = json_string_array(audience);
  claims["client_id"] = json_string(client_id);
  claims["exp"] = json_int(now + lifetime);
  claims["iat"] = json_int(now);
  claims["iss"] = json_string(req.issuer);
  if (req.cnf) claims["cnf"] = *req.cnf; // RFC 8705 §3.1
  std::string id = uuid_v4();
  claims["jti"] = json_string(id);
  if (jti != nullptr) *jti = id;
  claims["nbf"] = json_int(now);
  claims["scope"] = json_string(scope);
  claims["sub"] = json_string(subject);
  return Issued{keys.sign(claims, settings.access_token_type), lifetime};
}

JsonObject GrantContext::user_claims(const User& user) const {
  JsonObject c = user.claims; // fixture extras first: the standard claims below win
  c["preferred_username"] = json_string(user.username);
  if (!user.name.empty()) c["name"] = json_string(user.name);
  if (!user.email.empty()) c["email"] = json_string(user.email);
  c[settings.role_claim] = json_string_array(user.groups); // FTL reads roles as a JSON array
  return c;
}

JsonObject GrantContext::claims_without_user(const std::string& client_id, const std::string& sub) const {
  if (client_id.empty() || sub != client_id) return JsonObject{};
  auto client = clients.find(client_id);
  return client ? client_claims(*client, settings.role_claim) : JsonObject{};
}

TokenResponse GrantContext::user_token_response(const GrantRequest& req, const Client& client, const User& user,
                                                const std::string& scope, bool scope_requested, RefreshGrant grant,
                                                const UserTokenOptions& options) const {
  int64_t now = clock.now();
  int64_t lifetime = client.user_token_lifetime.value_or(settings.user_token_lifetime);
  std::string jti;
  auto audience = options.audience ? *options.audience : grant.audience.empty() ? audience_for(client, &user) : grant.audience;
  Issued access = issue_access_token(req, client.id, user.id, audience, scope, lifetime, user_claims(user), &jti);
  const std::string& issuer = req.issuer;
  // RFC 8705 §4: a public client's refresh token is bound as its access tokens are.
  if (client.is_public && req.cnf && req.certificate) grant.x5t = req.certificate->thumbprint;
  if (client.is_public) grant.jkt = req.jkt; // RFC 9449 §5: a public client's refresh token too

  grant.client_id = client.id;
  grant.user_id = user.id;
  grant.iat = now;
  grant.exp = now + client.refresh_token_lifetime.value_or(settings.refresh_token_lifetime);
  if (grant.family.empty()) grant.family = uuid_v4(); // a new grant; a refresh keeps its family
  std::string family = grant.family;
  IdTokenInput id{issuer, client.id, user, parse_scope(scope), now, settings.id_token_lifetime, grant.auth_time};
  id.sid = grant.sid;
  id.amr = grant.amr;
  id.nonce = options.nonce;
  id.access_token = access.token;
  id.role_claim = settings.role_claim;
  if (settings.platform) id.extra["org"] = org_claim(user);

  TokenResponse r;
  if (options.refresh_token) {
    r.refresh_token = store.issue_refresh(std::move(grant), now);
  } else {
    grant.exp = now + lifetime;
    store.open_family(grant, now);
  }
  store.record_access(family, jti, now + lifetime, now);
  r.access_token = access.token;
  r.expires_in = access.expires_in;
  if (scope_requested || !scope.empty()) r.scope = scope;
  // OIDC Core §2 ID token; on a refresh the same auth_time, sid and amr (§12.2).
  if (std::find(id.scopes.begin(), id.scopes.end(), "openid") != id.scopes.end()) {
    r.id_token = keys.sign(id_token_claims(id), "JWT");
  }
  return r;
}

} // namespace authemu
