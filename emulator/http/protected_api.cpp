#include "http/protected_api.h"

#include "http/app.h"
#include "http/responses.h"
#include "http/target.h"
#include "jose/jwk.h"

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

std::string service_resource(const Target& t) {
  size_t scheme = t.url.find("://");
  size_t path = t.url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return t.url.substr(0, path) + "/api/" + t.service;
}

std::string service_resource_metadata_url(const Target& t) {
  std::string resource = service_resource(t);
  size_t path = resource.find("/api/");
  return resource.substr(0, path) + kWellKnownResource + resource.substr(path);
}

HttpResponse resource_metadata_route(RouteCall& c) {
  const Target& t = *c.target;
  std::string resource = service_resource(t);
  // §3.3: resource is the identifier the document's URL was made from, sub-paths included.
  std::string inserted = std::string(kWellKnownResource) + "/api/" + t.service;
  if (t.route.compare(0, inserted.size(), inserted) == 0) resource += t.route.substr(inserted.size());
  JsonObject o;
  o["resource"] = json_string(resource);
  o["authorization_servers"] = json_string_array({t.issuer()});
  o["scopes_supported"] = json_string_array({t.service + ":read", t.service + ":write"});
  o["bearer_methods_supported"] = json_string_array({"header"});
  o["resource_name"] = json_string("authemu stand-in for " + t.service);
  o["dpop_signing_alg_values_supported"] = json_string_array(asymmetric_jws_algorithm_names());
  o["tls_client_certificate_bound_access_tokens"] = Json(c.settings.tls_client_certs);
  HttpResponse res;
  cors(c.req, res, c.cors_credentials);
  res.json(200, dump_json(Json(o)));
  res.set_header("Cache-Control", "public, max-age=60");
  return res;
}

} // namespace authemu
