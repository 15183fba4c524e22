#include "http/app.h"

#include <cctype>
#include <chrono>

#include "oauth/client_auth.h"

#include "oauth/discovery.h"
#include "oauth/form.h"
#include "base/log.h"
#include "oauth/oauth_error.h"
#include "cli/options.h"

namespace authemu {

namespace {

constexpr char kGatewayPrefix[] = "/api/auth";
constexpr char kWellKnownOidc[] = "/.well-known/openid-configuration";
constexpr char kWellKnownOauth[] = "/.well-known/oauth-authorization-server";
constexpr char kRealm[] = "authemu";

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

std::string path_of_url(const std::string& url) {
  size_t scheme = url.find("://");
  size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "" : url.substr(slash);
}

std::vector<std::string> split_path(const std::string& route) {
  std::vector<std::string> parts;
  size_t pos = 1;
  while (pos <= route.size()) {
    size_t end = route.find('/', pos);
    if (end == std::string::npos) end = route.size();
    parts.push_back(route.substr(pos, end - pos));
    pos = end + 1;
  }
  return parts;
}

bool is_get(const std::string& method) { return method == "GET" || method == "HEAD"; }

// Attribute values of WWW-Authenticate are quoted strings (RFC 6750 §3): no '"' or '\' inside.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += (c == '"' || c == '\\' || c < 0x20) ? '\'' : c;
  return out + "\"";
}

void no_store(HttpResponse& res) {
  // RFC 6749 §5.1: token responses must not be cached.
  res.set_header("Cache-Control", "no-store");
  res.set_header("Pragma", "no-cache");
}

void oauth_error_response(HttpResponse& res, const OAuthError& e) {
  res.json(e.status(), e.body());
  if (e.status() == 401) res.set_header("WWW-Authenticate", std::string("Basic realm=") + quoted(kRealm));
}

// Runs a route; an OAuthError becomes its RFC 6749 §5.2 answer, anything else a logged 500 in the
// error shape of the API (management: Formance's, else OAuth's).
template <typename Route>
HttpResponse guarded(const HttpRequest& req, bool management, Route route) {
  try {
    return route();
  } catch (const OAuthError& e) {
    HttpResponse res;
    oauth_error_response(res, e);
    return res;
  } catch (const std::exception& e) {
    log_line(std::string("error: ") + req.method + " " + req.path + ": " + e.what());
    HttpResponse res;
    if (management) {
      res.json(500, management_error("INTERNAL", "internal error"));
    } else {
      oauth_error_response(res, oauth::server_error("internal error"));
    }
    return res;
  }
}

// The POST form endpoints: token, introspection, revocation.
bool is_form_route(const std::string& route) {
  return route == "/oauth/token" || route == "/oauth/introspect" || route == "/revoke" || route == "/oauth/revoke";
}

void method_not_allowed_empty(HttpResponse& res, const std::string& allow) {
  res.empty(405);
  res.set_header("Allow", allow);
}

// CORS for browser clients of the OAuth endpoints (as Formance's OIDC routes): the Origin is echoed.
void cors(const HttpRequest& req, HttpResponse& res) {
  auto origin = req.header("Origin");
  if (!origin) return;
  res.set_header("Access-Control-Allow-Origin", *origin);
  res.set_header("Access-Control-Allow-Credentials", "true");
  res.set_header("Access-Control-Expose-Headers", "Location, Content-Length, WWW-Authenticate");
  res.set_header("Vary", "Origin");
}

HttpResponse preflight(const HttpRequest& req, const char* methods) {
  HttpResponse res;
  res.empty(204);
  cors(req, res);
  res.set_header("Access-Control-Allow-Methods", methods);
  res.set_header("Access-Control-Allow-Headers",
                 "Origin, Accept, Accept-Language, Authorization, Content-Type, X-Requested-With");
  res.set_header("Access-Control-Max-Age", "600");
  return res;
}

// The Formance scope rule (go-libs auth, the gateway): reads (GET, HEAD, OPTIONS, TRACE) need
// <service>:read or <service>:write, anything else <service>:write. Returns the scope a refused
// request lacks, nothing when allowed.
std::optional<std::string> missing_scope(const VerifiedToken& t, const std::string& service,
                                         const std::string& method) {
  bool read = is_get(method) || method == "OPTIONS" || method == "TRACE";
  if (t.has_scope(service + ":write") || (read && t.has_scope(service + ":read"))) return std::nullopt;
  return service + (read ? ":read" : ":write");
}

// An RFC 6750 §3 error: JSON body and WWW-Authenticate; no error attribute when the request had
// no credentials (code empty).
HttpResponse& bearer_error(HttpResponse& res, int status, const std::string& code, const std::string& description,
                           const std::string& extra) {
  JsonObject o;
  if (!code.empty()) o["error"] = json_string(code);
  o["error_description"] = json_string(description);
  res.json(status, dump_json(Json(o)));
  std::string h = std::string("Bearer realm=") + quoted(kRealm);
  if (!code.empty()) h += ", error=" + quoted(code) + ", error_description=" + quoted(description);
  res.set_header("WWW-Authenticate", h + extra);
  return res;
}

// Bearer token of an Authorization header (RFC 6750 §2.1, scheme case-insensitive).
struct BearerHeader {
  bool present = false;    // an Authorization header with the Bearer scheme
  bool malformed = false;  // Bearer scheme but not one b64token
  std::string token;
};

BearerHeader bearer_of(const HttpRequest& req) {
  BearerHeader b;
  auto h = req.header("Authorization");
  if (!h || h->size() < 6 || !iequals(std::string_view(*h).substr(0, 6), "Bearer")) return b;
  if (h->size() > 6 && (*h)[6] != ' ') return b;  // "Bearerx…" is another scheme
  b.present = true;
  size_t start = h->find_first_not_of(' ', 6);
  if (start == std::string::npos) {
    b.malformed = true;
    return b;
  }
  size_t end = h->find_last_not_of(' ');
  b.token = h->substr(start, end - start + 1);
  for (char c : b.token) {
    bool b64token = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~' ||
                    c == '+' || c == '/' || c == '=';
    if (!b64token) b.malformed = true;
  }
  return b;
}

}  // namespace

namespace {

EnvironmentSpec default_spec(const AppSettings& s, Fixture fixture, SigningKey key) {
  return EnvironmentSpec{s.environment, std::move(fixture.clients), std::move(fixture.users),
                         std::move(key)};
}

std::vector<EnvironmentSpec> one_spec(EnvironmentSpec spec) {
  std::vector<EnvironmentSpec> v;
  v.push_back(std::move(spec));
  return v;
}

std::optional<std::string> first_value(const std::optional<std::string>& header) {
  if (!header) return std::nullopt;
  std::string v = header->substr(0, header->find(','));  // the client-facing proxy comes first
  v.erase(0, v.find_first_not_of(' '));
  while (!v.empty() && v.back() == ' ') v.pop_back();
  // A host[:port] or a scheme: anything else is ignored rather than put into an issuer.
  for (char c : v) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']')) {
      return std::nullopt;
    }
  }
  if (v.empty() || v.size() > 255) return std::nullopt;
  return v;
}

}  // namespace

App::App(AppSettings settings, Fixture fixture, SigningKey key, const Clock& clock)
    : App(settings, one_spec(default_spec(settings, std::move(fixture), std::move(key))), clock) {}

App::App(AppSettings settings, std::vector<EnvironmentSpec> environments, const Clock& clock)
    : settings_(std::move(settings)), clock_(clock) {
  for (auto& spec : environments) {
    envs_.push_back(std::make_unique<Environment>(std::move(spec.settings), std::move(spec.clients),
                                                  std::move(spec.users), std::move(spec.key), clock_));
  }
  if (settings_.clock_start || settings_.clock_frozen) {
    for (const auto& e : envs_) e->clock().set_origin(settings_.clock_start, settings_.clock_frozen);
  }
  if (settings_.admin_api) {
    std::vector<Environment*> all;
    for (const auto& e : envs_) all.push_back(e.get());
    admin_ = std::make_unique<AdminApi>(std::move(all), journal_, faults_, settings_.admin_token);
  }
  // With a platform, every environment accepts its tokens through the jwt-bearer grant.
  for (const auto& p : envs_) {
    if (!p->settings().tokens.platform) continue;
    Environment* platform = p.get();
    for (const auto& e : envs_) {
      if (e.get() == platform) continue;
      e->tokens().set_platform_trust(
          PlatformTrust{&platform->keys(), [platform](const std::string& iss) { return platform->trusts(iss); },
                        platform->settings().issuer});
    }
  }
}

Environment* App::find_environment(const std::string& name) const {
  for (const auto& e : envs_) {
    if (e->name() == name) return e.get();
  }
  return nullptr;
}

App::Target App::resolve(const HttpRequest& req) const {
  Target t;
  t.env = &default_env();
  std::string path = req.path;
  auto forwarded_host = first_value(req.header("X-Forwarded-Host"));
  auto forwarded_proto = first_value(req.header("X-Forwarded-Proto"));
  if (forwarded_proto && *forwarded_proto != "http" && *forwarded_proto != "https") forwarded_proto.reset();
  std::optional<std::string> host = forwarded_host ? forwarded_host : first_value(req.header("Host"));

  // A named environment by host name: <name>.<anything>, as cloud stacks have a host each.
  bool by_host = false;
  if (host) {
    std::string label = host->substr(0, host->find('.'));
    if (label.size() < host->size()) {
      if (Environment* e = find_environment(label); e != nullptr && !label.empty()) {
        t.env = e;
        by_host = true;
      }
    }
  }
  // RFC 8414 §3: /.well-known/oauth-authorization-server/<issuer path>.
  std::string base;
  bool well_known_inserted = false;
  if (starts_with(path, std::string(kWellKnownOauth) + "/")) {
    path = path.substr(std::string(kWellKnownOauth).size());
    well_known_inserted = true;
  }
  // A named environment by path: /<name>/…
  if (!by_host) {
    for (const auto& e : envs_) {
      if (e->name().empty()) continue;
      std::string p = "/" + e->name();
      if (path == p || starts_with(path, p + "/")) {
        t.env = e.get();
        base = p;
        path = path.substr(p.size());
        break;
      }
    }
  }
  if (forwarded_host || by_host) t.host = host;
  t.scheme = forwarded_proto;
  if (!t.scheme) {
    const std::string& configured = t.env->settings().issuer;
    t.scheme = configured.substr(0, configured.find("://"));
  }

  // The stand-in for the other Formance services: /api/<service>/… with service != auth.
  if (!well_known_inserted && starts_with(path, "/api/") && path != kGatewayPrefix &&
      !starts_with(path, std::string(kGatewayPrefix) + "/")) {
    std::string rest = path.substr(5);
    size_t slash = rest.find('/');
    t.service = rest.substr(0, slash);
    t.service_path = slash == std::string::npos ? "/" : rest.substr(slash);
    if (!t.service.empty()) return t;
  }
  // The platform's routes sit right under its path (/platform/oauth/token), environments' under /api/auth.
  t.prefix = t.env->settings().tokens.platform ? base : base + kGatewayPrefix;
  std::string issuer_path = path_of_url(t.env->settings().issuer);
  for (const std::string& prefix : {std::string(kGatewayPrefix), base.empty() ? issuer_path : std::string()}) {
    if (prefix.empty()) continue;
    if (path == prefix) {
      path = "/";
      break;
    }
    if (starts_with(path, prefix + "/")) {
      path = path.substr(prefix.size());
      break;
    }
  }
  // The inserted form names one issuer path exactly; anything after it is no route.
  t.route = well_known_inserted ? (path == "/" ? std::string(kWellKnownOauth) : std::string("/.well-known/none")) : path;
  return t;
}

std::string App::issuer_of(Target& t) const { return t.env->issuer_for(t.scheme, t.host, t.prefix); }

bool App::is_admin_path(const std::string& path) const {
  return admin_ && (path == kAdminPrefix || starts_with(path, std::string(kAdminPrefix) + "/"));
}

App::Area App::area_of(const std::string& route) {
  if (route == kWellKnownOidc || route == kWellKnownOauth || route == "/keys" || route == "/oauth/token" ||
      route == "/oauth/introspect" || route == "/revoke" || route == "/oauth/revoke" || route == "/userinfo") {
    return Area::oauth;
  }
  if (route == "/clients" || starts_with(route, "/clients/") || route == "/users" || starts_with(route, "/users/")) {
    return Area::management;
  }
  return Area::other;
}

HttpResponse App::handle(const HttpRequest& req) {
  const std::string& path = req.path;
  if (is_admin_path(path)) {
    return admin_->handle(req, path.substr(std::string(kAdminPrefix).size()));
  }
  Target target = resolve(req);
  Environment& env = *target.env;
  if (!target.service.empty()) return protected_api(env, req, target.service, target.service_path);
  const std::string& route = target.route;
  Area area = area_of(route);
  return guarded(req, area == Area::management, [&]() -> HttpResponse {
    if (area == Area::oauth) {
      bool form = is_form_route(route);
      if (req.method == "OPTIONS") {
        return preflight(req, form ? "POST" : route == "/userinfo" ? "GET, HEAD, POST" : "GET, HEAD");
      }
      return with_test_controls(env, req, route, [&] { return oauth_endpoint(env, target, req); });
    }
    if (area == Area::management) return management(env, req, route);

    HttpResponse res;
    if (route == "/_info" || route == "/_healthcheck" || route == "/healthz" || route == "/ready") {
      if (!is_get(req.method)) {
        method_not_allowed_empty(res, "GET, HEAD");
      } else if (route == "/_info") {
        JsonObject o;
        o["version"] = json_string(version_string());
        o["debug"] = Json(settings_.debug);
        res.json(200, dump_json(Json(o)));
      } else if (route == "/_healthcheck") {
        res.json(200, "{\"Database\":\"OK\"}");  // Formance's body; there is no database
      } else {
        res.json(200, "{\"status\":\"ok\"}");
      }
      return res;
    }
    res.text(404, "404 page not found\n");
    return res;
  });
}

HttpResponse App::oauth_endpoint(Environment& env, Target& target, const HttpRequest& req) {
  const std::string& route = target.route;
  bool form = is_form_route(route);
  HttpResponse res;
  if (route == "/oauth/token") {
    res = form_endpoint(req, [&](const Params& p, const std::optional<std::string>& a) {
      HttpResponse r;
      r.json(200, env.tokens().token(p, a, issuer_of(target)));
      return r;
    });
  } else if (route == "/oauth/introspect") {
    res = form_endpoint(req, [&](const Params& p, const std::optional<std::string>& a) {
      HttpResponse r;
      r.json(200, env.tokens().introspect(p, a, issuer_of(target)));
      return r;
    });
  } else if (form) {
    res = form_endpoint(req, [&](const Params& p, const std::optional<std::string>& a) {
      env.tokens().revoke(p, a);
      HttpResponse r;
      r.empty(200);  // RFC 7009 §2.2: 200, body ignored
      return r;
    });
  } else if (route == "/userinfo") {
    res = userinfo(env, req);
  } else if (!is_get(req.method)) {
    oauth_error_response(res, oauth::method_not_allowed("use GET"));
    res.set_header("Allow", "GET, HEAD");
  } else if (route == "/keys") {
    res.json(200, env.keys().jwks_json());
    // FTL/EMS and jose refresh JWKS by Cache-Control max-age.
    res.set_header("Cache-Control", "public, max-age=300");
  } else {
    res.json(200, discovery_json(issuer_of(target), env.settings().tokens.role_claim, env.tokens().grant_types(),
                                 env.keys().active().alg()));
  }
  cors(req, res);
  return res;
}

namespace {

// The journal's and the fault queue's name of an OAuth route.
std::string endpoint_name(const std::string& route) {
  if (route == "/oauth/token") return "token";
  if (route == "/oauth/introspect") return "introspect";
  if (route == "/revoke" || route == "/oauth/revoke") return "revoke";
  if (route == "/userinfo") return "userinfo";
  if (route == "/keys") return "jwks";
  return "discovery";
}

// The client a request names and its grant, read without authenticating anything: for the
// journal and for faults aimed at one client. Malformed input names nothing.
void named_client(const HttpRequest& req, std::string* client_id, std::string* grant_type) {
  try {
    if (auto basic = parse_basic(req.header("Authorization"))) *client_id = basic->id;
  } catch (const OAuthError&) {
  }
  try {
    Params p = Params::parse(req.query, "query string");
    auto type = req.header("Content-Type").value_or("");
    if (req.method == "POST" && iequals(type.substr(0, type.find(';')), "application/x-www-form-urlencoded")) {
      p = Params::merge(std::move(p), Params::parse(req.body, "body"));
    }
    if (client_id->empty()) *client_id = p.get("client_id").value_or("");
    *grant_type = p.get("grant_type").value_or("");
  } catch (const OAuthError&) {
  }
  if (client_id->size() > 256) client_id->resize(256);
  if (grant_type->size() > 256) grant_type->resize(256);
}

// "ok", the OAuth error code of an error body, or http_<status>.
std::string outcome_of(const HttpResponse& res) {
  if (res.status < 400) return "ok";
  std::string ignored;
  if (auto body = parse_json(res.body, &ignored); body && body->is<JsonObject>()) {
    if (auto code = find_string(body->get<JsonObject>(), "error")) return *code;
  }
  if (auto h = res.header("WWW-Authenticate"); h && h->find("error=\"") != std::string::npos) {
    size_t start = h->find("error=\"") + 7;
    return h->substr(start, h->find('"', start) - start);
  }
  return "http_" + std::to_string(res.status);
}

std::string reason_phrase(int status) {
  switch (status) {
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 429: return "Too Many Requests";
    default: return "Error";
  }
}

}  // namespace

template <typename Handler>
HttpResponse App::with_test_controls(Environment& env, const HttpRequest& req, const std::string& route, Handler handler) {
  auto started = std::chrono::steady_clock::now();
  JournalEntry entry;
  entry.environment = env.name();
  entry.endpoint = endpoint_name(route);
  entry.method = req.method;
  named_client(req, &entry.client_id, &entry.grant_type);
  if (entry.endpoint != "token") entry.grant_type.clear();

  HttpResponse res;
  std::optional<Fault> fault = faults_.take(env.name(), entry.endpoint, entry.client_id, entry.grant_type);
  if (fault) {
    entry.fault = fault->id;
    if (fault->delay_ms > 0) faults_.wait(fault->delay_ms);
  }
  if (fault && !fault->error.empty()) {
    std::string description = fault->description.empty() ? "injected by authemu (fault " + fault->id + ")" : fault->description;
    oauth_error_response(res, OAuthError(fault->error, description, fault->status));
    if (entry.endpoint != "jwks" && entry.endpoint != "discovery") no_store(res);
    cors(req, res);
  } else if (fault && fault->status != 0) {
    res.text(fault->status, std::to_string(fault->status) + " " + reason_phrase(fault->status) +
                                " (injected by authemu, fault " + fault->id + ")\n");
    cors(req, res);
  } else {
    res = guarded(req, false, handler);
  }
  entry.time = env.clock().now();
  entry.status = res.status;
  entry.outcome = outcome_of(res);
  entry.latency_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
  journal_.record(std::move(entry));
  return res;
}

template <typename Handler>
HttpResponse App::form_endpoint(const HttpRequest& req, Handler handler) {
  HttpResponse res;
  try {
    // RFC 6749 §3.2 (and RFC 7662 §2.1, RFC 7009 §2.1): POST only.
    if (req.method != "POST") {
      res.set_header("Allow", "POST");
      throw oauth::method_not_allowed("this endpoint accepts POST only");
    }
    if (!req.body.empty()) {
      auto type = req.header("Content-Type").value_or("");
      std::string media = type.substr(0, type.find(';'));
      while (!media.empty() && media.back() == ' ') media.pop_back();
      if (!iequals(media, "application/x-www-form-urlencoded")) {
        throw oauth::invalid_request("Content-Type must be application/x-www-form-urlencoded");
      }
    }
    // Query parameters count too: Formance reads the merged form, and its docs' httpie example sends them there.
    Params params = Params::merge(Params::parse(req.query, "query string"), Params::parse(req.body, "body"));
    HttpResponse ok = handler(params, req.header("Authorization"));
    ok.headers.insert(ok.headers.begin(), res.headers.begin(), res.headers.end());
    res = std::move(ok);
  } catch (const OAuthError& e) {
    oauth_error_response(res, e);
  }
  no_store(res);
  return res;
}

HttpResponse App::userinfo(Environment& env, const HttpRequest& req) {
  HttpResponse res;
  no_store(res);
  if (!is_get(req.method) && req.method != "POST") {
    oauth_error_response(res, oauth::method_not_allowed("use GET or POST"));
    res.set_header("Allow", "GET, HEAD, POST");
    return res;
  }
  BearerHeader b = bearer_of(req);
  // RFC 6750 §2.2: a POST may carry the token as the access_token form parameter instead.
  if (req.method == "POST" && !req.body.empty()) {
    try {
      auto type = req.header("Content-Type").value_or("");
      if (iequals(type.substr(0, type.find(';')), "application/x-www-form-urlencoded")) {
        if (auto t = Params::parse(req.body, "body").get("access_token")) {
          if (b.present) return bearer_error(res, 400, "invalid_request", "token sent both in the header and in the body", "");
          b.present = true;
          b.token = *t;
        }
      }
    } catch (const OAuthError& e) {
      return bearer_error(res, 400, "invalid_request", e.description(), "");
    }
  }
  if (!b.present) return bearer_error(res, 401, "", "a bearer token is required", "");
  if (b.malformed) return bearer_error(res, 400, "invalid_request", "malformed Authorization header", "");
  VerifyResult v = env.verifier().verify(b.token);
  if (!v.token) return bearer_error(res, 401, "invalid_token", v.error, "");
  try {
    res.json(200, env.tokens().userinfo(*v.token));
  } catch (const OAuthError& e) {
    return bearer_error(res, e.status(), e.code(), e.description(), e.code() == "insufficient_scope" ? ", scope=\"openid\"" : "");
  }
  return res;
}

std::optional<HttpResponse> App::check_management_auth(Environment& env, const HttpRequest& req) const {
  HttpResponse res;
  res.empty(401);  // Formance: any failure is 401 with an empty body
  BearerHeader b = bearer_of(req);
  if (!b.present) {
    res.set_header("WWW-Authenticate", std::string("Bearer realm=") + quoted(kRealm));
    return res;
  }
  VerifyResult v = b.malformed ? VerifyResult{std::nullopt, "malformed bearer token"} : env.verifier().verify(b.token);
  if (!v.token) {
    res.set_header("WWW-Authenticate", std::string("Bearer realm=") + quoted(kRealm) +
                                           ", error=\"invalid_token\", error_description=" + quoted(v.error));
    return res;
  }
  if (env.settings().check_scopes) {
    if (auto need = missing_scope(*v.token, "auth", req.method)) {
      res.set_header("WWW-Authenticate", std::string("Bearer realm=") + quoted(kRealm) +
                                             ", error=\"insufficient_scope\", scope=" + quoted(*need));
      return res;
    }
  }
  return std::nullopt;
}

HttpResponse App::management(Environment& env, const HttpRequest& req, const std::string& route) {
  auto parts = split_path(route);
  const std::string& m = req.method;
  HttpResponse res;
  // Route and method first (404/405 before authentication, as chi does).
  std::string allow;
  enum class Op { none, list_clients, create_client, read_client, update_client, delete_client, create_secret,
                  delete_secret, list_users, read_user } op = Op::none;
  if (parts[0] == "clients") {
    if (parts.size() == 1) {
      allow = "GET, HEAD, POST";
      op = is_get(m) ? Op::list_clients : m == "POST" ? Op::create_client : Op::none;
    } else if (parts.size() == 2 && !parts[1].empty()) {
      allow = "GET, HEAD, PUT, DELETE";
      op = is_get(m) ? Op::read_client : m == "PUT" ? Op::update_client : m == "DELETE" ? Op::delete_client : Op::none;
    } else if (parts.size() == 3 && !parts[1].empty() && parts[2] == "secrets") {
      allow = "POST";
      op = m == "POST" ? Op::create_secret : Op::none;
    } else if (parts.size() == 4 && !parts[1].empty() && parts[2] == "secrets" && !parts[3].empty()) {
      allow = "DELETE";
      op = m == "DELETE" ? Op::delete_secret : Op::none;
    }
  } else if (parts[0] == "users") {
    if (parts.size() == 1) {
      allow = "GET, HEAD";
      op = is_get(m) ? Op::list_users : Op::none;
    } else if (parts.size() == 2 && !parts[1].empty()) {
      allow = "GET, HEAD";
      op = is_get(m) ? Op::read_user : Op::none;
    }
  }
  if (allow.empty()) {
    res.text(404, "404 page not found\n");
    return res;
  }
  if (op == Op::none) {
    method_not_allowed_empty(res, allow);
    return res;
  }
  if (auto denied = check_management_auth(env, req)) return *denied;
  ManagementApi& api = env.management();

  ApiResult r;
  switch (op) {
    case Op::list_clients: r = api.list_clients(); break;
    case Op::create_client: r = api.create_client(req.body); break;
    case Op::read_client: r = api.read_client(parts[1]); break;
    case Op::update_client: r = api.update_client(parts[1], req.body); break;
    case Op::delete_client: r = api.delete_client(parts[1]); break;
    case Op::create_secret: r = api.create_secret(parts[1], req.body); break;
    case Op::delete_secret: r = api.delete_secret(parts[1], parts[3]); break;
    case Op::list_users: r = api.list_users(); break;
    case Op::read_user: r = api.read_user(parts[1]); break;
    case Op::none: break;
  }
  if (r.body.empty()) {
    res.empty(r.status);
  } else {
    res.json(r.status, r.body);
  }
  return res;
}

HttpResponse App::protected_api(Environment& env, const HttpRequest& req, const std::string& service,
                                const std::string& rest) {
  if (req.method == "OPTIONS") return preflight(req, "GET, HEAD, POST, PUT, PATCH, DELETE");
  HttpResponse res;
  cors(req, res);
  auto fail = [&](int status, const std::string& code, const std::string& description, const std::string& extra) {
    return bearer_error(res, status, code, description, extra);
  };
  BearerHeader b = bearer_of(req);
  if (!b.present) return fail(401, "", "a bearer token is required", "");
  if (b.malformed) return fail(400, "invalid_request", "malformed Authorization header", "");
  VerifyResult v = env.verifier().verify(b.token);
  if (!v.token) return fail(401, "invalid_token", v.error, "");
  const VerifiedToken& t = *v.token;
  if (env.settings().check_scopes) {
    if (auto need = missing_scope(t, service, req.method)) {
      return fail(403, "insufficient_scope", "the token lacks scope " + *need, ", scope=" + quoted(*need));
    }
  }
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
  o["path"] = json_string(rest);
  o["token"] = Json(token);
  res.json(200, dump_json(Json(o)));
  return res;
}

HttpResponse App::transport_error(const std::string& path, int status) const {
  HttpResponse res;
  std::string message;
  switch (status) {
    case 413: message = "request body too large"; break;
    case 414: message = "request URI too long"; break;
    case 431: message = "request headers too large"; break;
    default: message = "malformed HTTP request, or headers over the limits (8 KiB a line, 100 headers)"; break;
  }
  HttpRequest probe;
  probe.path = path;
  Target target = resolve(probe);
  const std::string& route = target.route;
  if (is_admin_path(path) || (target.service.empty() && area_of(route) == Area::management)) {
    res.json(status, management_error("VALIDATION", message));
  } else {
    res.json(status, OAuthError("invalid_request", message, status).body());
    if (route == "/oauth/token") no_store(res);
  }
  return res;
}

}  // namespace authemu
