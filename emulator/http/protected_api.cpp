#include "http/protected_api.h"

#include "http/responses.h"

namespace authemu {

HttpResponse protected_api_route(RouteCall& c) {
  const HttpRequest& req = c.req;
  const std::string& service = c.params[0];
  if (req.method == "OPTIONS") return preflight(req, "GET, HEAD, POST, PUT, PATCH, DELETE", c.cors_credentials);
  HttpResponse res;
  cors(req, res, c.cors_credentials);
  const VerifiedToken& t = *c.token;
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
