// RFC 7662: token introspection for access tokens (JWTs of this server) and refresh tokens.
#include <algorithm>

#include "oauth/oauth_error.h"
#include "oauth/token_service.h"

namespace authemu {

Introspection TokenService::introspect(const Params& params, const AuthenticatedClient& auth,
                                       const std::string& issuer) const {
  const Client& caller = *auth.client;
  // §2.1: the endpoint requires authorization; a client_id alone proves nothing.
  if (!auth.proven) {
    throw oauth::invalid_client("introspection requires client authentication (a secret, a client assertion or a client certificate)");
  }
  auto token = params.get("token");
  if (!token) throw oauth::invalid_request("token missing");
  auto hint = params.get("token_type_hint");
  int64_t now = ctx_.clock.now();

  auto as_refresh = [&]() -> std::optional<Introspection> {
    auto grant = ctx_.store.find_refresh(*token, now);
    if (!grant || (grant->client_id != caller.id && !caller.trusted)) return std::nullopt;
    Introspection o;
    o.active = true;
    o.token_type = "refresh_token";
    o.scope = grant->scope;
    o.client_id = grant->client_id;
    o.sub = grant->user_id;
    if (auto u = ctx_.users.find(grant->user_id)) o.username = u->username;
    o.iss = issuer;
    o.iat = grant->iat;
    o.exp = grant->exp;
    JsonObject cnf;
    if (!grant->x5t.empty()) cnf["x5t#S256"] = json_string(grant->x5t);
    if (!grant->jkt.empty()) cnf["jkt"] = json_string(grant->jkt); // RFC 9449 §6.2
    if (!cnf.empty()) o.cnf = Json(cnf);
    return o;
  };
  auto as_access = [&]() -> std::optional<Introspection> {
    VerifyResult v = ctx_.verifier.verify_access_token(*token);
    if (!v.token) return std::nullopt;
    const VerifiedToken& t = *v.token;
    // Visible to the client it was issued to, a client in its audience, or a trusted client.
    bool visible =
        caller.trusted || t.client_id == caller.id || std::find(t.aud.begin(), t.aud.end(), caller.id) != t.aud.end();
    if (!visible) return std::nullopt;
    Introspection o;
    o.active = true;
    o.token_type = "Bearer";
    o.scope = t.scope;
    o.client_id = t.client_id;
    o.sub = t.sub;
    o.username = find_string(t.claims, "preferred_username");
    o.iss = t.iss;
    o.aud = t.aud;
    o.iat = t.iat;
    o.exp = t.exp;
    o.nbf = find_int(t.claims, "nbf");
    o.jti = find_string(t.claims, "jti");
    if (const Json* cnf = find_member(t.claims, "cnf"); cnf && cnf->is<JsonObject>()) {
      o.cnf = *cnf;
      // RFC 9449 §6.2: a DPoP-bound token is introspected as token_type DPoP.
      if (find_member(cnf->get<JsonObject>(), "jkt")) o.token_type = "DPoP";
    }
    return o;
  };
  // The hint only orders the search (§2.1).
  bool refresh_first = hint && *hint == "refresh_token";
  auto first = refresh_first ? as_refresh() : as_access();
  if (first) return *first;
  auto second = refresh_first ? as_access() : as_refresh();
  return second ? *second : Introspection{}; // §2.2: inactive, and nothing else
}

} // namespace authemu
