#include "http/protected_api.h"

#include "http/app.h"
#include "http/bearer.h"
#include "http/responses.h"

namespace authemu {

std::optional<VerifiedToken> check_service_token(RouteCall& c, const std::string& service, HttpResponse& res) {
  const HttpRequest& req = c.req;
  cors(req, res, c.app.cors_credentials(req, c.env()));
  BearerHeader b = bearer_of(req);
  if (!b.present) {
    bearer_error(res, 401, "", "a bearer token is required", "");
    return std::nullopt;
  }
  if (b.malformed) {
    bearer_error(res, 400, "invalid_request", "malformed Authorization header", "");
    return std::nullopt;
  }
  Environment& env = c.env();
  VerifyResult v = env.verifier().verify_access_token(b.token);
  if (!v.token) {
    bearer_error(res, 401, "invalid_token", v.error, "");
    return std::nullopt;
  }
  if (env.settings().check_scopes) {
    if (auto need = missing_scope(*v.token, service, req.method)) {
      bearer_error(res, 403, "insufficient_scope", "the token lacks scope " + *need, ", scope=" + quoted(*need));
      return std::nullopt;
    }
  }
  return v.token;
}

HttpResponse protected_api_route(RouteCall& c) {
  const HttpRequest& req = c.req;
  const std::string& service = c.params[0];
  if (req.method == "OPTIONS") {
    return preflight(req, "GET, HEAD, POST, PUT, PATCH, DELETE", c.app.cors_credentials(req, c.env()));
  }
  HttpResponse res;
  std::optional<VerifiedToken> checked = check_service_token(c, service, res);
  if (!checked) return res;
  const VerifiedToken& t = *checked;
  Environment& env = c.env();
  JsonObject token;
  token["sub"] = json_string(t.sub);
  token["client_id"] = json_string(t.client_id);
  token["scope"] = json_string(t.scope);
  token["iss"] = json_string(t.iss);
  token["aud"] = json_string_array(t.aud);
  token["iat"] = json_int(t.iat);
  token["exp"] = json_int(t.exp);
  token["expires_in"] = json_int(t.exp - env.clock().now());
  JsonObject o;
  o["service"] = json_string(service);
  o["method"] = json_string(req.method);
  o["path"] = json_string(c.params[1]);
  o["token"] = Json(token);
  res.json(200, dump_json(Json(o)));
  return res;
}

} // namespace authemu
