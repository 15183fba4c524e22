#include "http/gateway.h"

#include "base/version.h"
#include "http/app.h"
#include "http/protected_api.h"
#include "http/responses.h"

namespace authemu {

namespace {

const ServiceInfo* find_service(const AppSettings& settings, const std::string& name) {
  for (const auto& s : settings.services) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

Json version_entry(const std::string& name, const std::string& version) {
  JsonObject o;
  o["name"] = json_string(name);
  o["version"] = json_string(version);
  o["health"] = Json(true);
  return Json(o);
}

} // namespace

HttpResponse versions_route(RouteCall& c) {
  JsonArray versions{version_entry("auth", version_string())};
  for (const auto& s : c.settings.services)
    versions.push_back(version_entry(s.name, s.version));
  JsonObject o;
  o["env"] = json_string(c.env().label());
  o["region"] = json_string("local");
  o["versions"] = Json(versions);
  HttpResponse res;
  cors(c.req, res, c.cors_credentials);
  res.json(200, dump_json(Json(o)));
  return res;
}

HttpResponse service_info_route(RouteCall& c) {
  const std::string& name = c.params[0];
  std::string rest = c.target->route.substr(std::string("/api/").size() + name.size()); // "/_info", …
  const ServiceInfo* service = find_service(c.settings, name);
  if (service == nullptr || (c.req.method != "GET" && c.req.method != "HEAD")) {
    c.params.push_back(rest); // the stand-in's params: the service, then the path under it
    return protected_api_route(c);
  }
  HttpResponse res;
  cors(c.req, res, c.cors_credentials);
  JsonObject info;
  info["version"] = json_string(service->version);
  Json body;
  if (name == "ledger" && rest == "/_info") {
    // Ledger v1: {"data":{"server","version","config":{"storage":{"driver","ledgers"}}}}.
    info["server"] = json_string("ledger");
    JsonObject storage{{"driver", json_string("memory")}, {"ledgers", Json(JsonArray{})}};
    info["config"] = Json(JsonObject{{"storage", Json(storage)}});
    body = Json(JsonObject{{"data", Json(info)}});
  } else {
    // Ledger v2 (/_/info): {"server","version"}; the other services: {"version"}.
    if (name == "ledger") info["server"] = json_string("ledger");
    body = Json(info);
  }
  res.json(200, dump_json(body));
  return res;
}

} // namespace authemu
