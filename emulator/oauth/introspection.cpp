// RFC 7662: token introspection for access tokens (JWTs of this server) and refresh tokens.
#include <algorithm>

#include "oauth/client_auth.h"
#include "oauth/oauth_error.h"
#include "oauth/token_service.h"

namespace authemu {

namespace {
std::string inactive() {
  return "{\"active\":false}";
} // §2.2: and nothing else
} // namespace

std::string TokenService::introspect(const Params& params, const std::optional<std::string>& authorization,
                                     const std::string& issuer) const {
  auto auth = authenticate_client(ctx_.clients, params, parse_basic(authorization));
  const Client& caller = *auth.client;
  // §2.1: the endpoint requires authorization; a client_id alone proves nothing.
  if (!auth.with_secret) throw oauth::invalid_client("introspection requires client authentication with a secret");
  auto token = params.get("token");
  if (!token) throw oauth::invalid_request("token missing");
  auto hint = params.get("token_type_hint");
  int64_t now = ctx_.clock.now();

  auto as_refresh = [&]() -> std::optional<std::string> {
    auto grant = ctx_.store.find_refresh(*token, now);
    if (!grant || (grant->client_id != caller.id && !caller.trusted)) return std::nullopt;
    JsonObject o;
    o["active"] = Json(true);
    o["token_type"] = json_string("refresh_token");
    o["scope"] = json_string(grant->scope);
    o["client_id"] = json_string(grant->client_id);
    o["sub"] = json_string(grant->user_id);
    if (auto u = ctx_.users.find(grant->user_id)) o["username"] = json_string(u->username);
    o["iss"] = json_string(issuer);
    o["iat"] = json_int(grant->iat);
    o["exp"] = json_int(grant->exp);
    return dump_json(Json(o));
  };
  auto as_access = [&]() -> std::optional<std::string> {
    VerifyResult v = ctx_.verifier.verify_access_token(*token);
    if (!v.token) return std::nullopt;
    const VerifiedToken& t = *v.token;
    // Visible to the client it was issued to, a client in its audience, or a trusted client.
    bool visible =
        caller.trusted || t.client_id == caller.id || std::find(t.aud.begin(), t.aud.end(), caller.id) != t.aud.end();
    if (!visible) return std::nullopt;
    JsonObject o;
    o["active"] = Json(true);
    o["token_type"] = json_string("Bearer");
    o["scope"] = json_string(t.scope);
    o["client_id"] = json_string(t.client_id);
    o["sub"] = json_string(t.sub);
    if (auto u = find_string(t.claims, "preferred_username")) o["username"] = json_string(*u);
    o["iss"] = json_string(t.iss);
    o["aud"] = json_string_array(t.aud);
    o["iat"] = json_int(t.iat);
    o["exp"] = json_int(t.exp);
    if (auto nbf = find_int(t.claims, "nbf")) o["nbf"] = json_int(*nbf);
    if (auto jti = find_string(t.claims, "jti")) o["jti"] = json_string(*jti);
    return dump_json(Json(o));
  };
  // The hint only orders the search (§2.1).
  bool refresh_first = hint && *hint == "refresh_token";
  auto first = refresh_first ? as_refresh() : as_access();
  if (first) return *first;
  auto second = refresh_first ? as_access() : as_refresh();
  return second ? *second : inactive();
}

} // namespace authemu
