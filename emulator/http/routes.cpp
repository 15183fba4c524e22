// The route table: every route authemu serves, one row each. A new route is one row here plus
// its handler.
#include "base/version.h"
#include "http/registration_routes.h"
#include "http/app.h"
#include "http/browser_routes.h"
#include "http/console_routes.h"
#include "http/device_routes.h"
#include "http/gateway.h"
#include "http/management_routes.h"
#include "http/oauth_routes.h"
#include "http/protected_api.h"
#include "http/router.h"
#include "testkit/admin_api.h"
#include "testkit/admin_error.h"

namespace authemu {

namespace {

HttpResponse info_route(RouteCall& c) {
  JsonObject o;
  o["version"] = json_string(version_string());
  o["debug"] = Json(c.settings.debug);
  HttpResponse res;
  res.json(200, dump_json(Json(o)));
  return res;
}

HttpResponse healthcheck_route(RouteCall&) {
  HttpResponse res;
  res.json(200, "{\"Database\":\"OK\"}"); // Formance's body; there is no database
  return res;
}

HttpResponse status_route(RouteCall&) {
  HttpResponse res;
  res.json(200, "{\"status\":\"ok\"}");
  return res;
}

// The CA that the TLS listeners' certificate chains to, for a client to trust (RFC 7468 PEM).
HttpResponse ca_pem_route(RouteCall& c) {
  if (c.settings.tls_ca_pem.empty()) {
    return admin_error_response(admin_api::not_found(
        "no CA: the server was started without TLS, or with --tls-cert (its certificate is the caller's)"));
  }
  HttpResponse res;
  res.status = 200;
  res.body = c.settings.tls_ca_pem;
  res.set_header("Content-Type", "application/x-pem-file");
  return res;
}

AdminApi& admin(RouteCall& c) {
  return *c.admin;
}

} // namespace

std::vector<Route> default_routes() {
  using A = Area;
  using N = Needs;
  const Needs none;
  // The client is authenticated before the handler runs, except at the token endpoint: there after
  // the grant_type checks, and for token exchange and jwt-bearer only when the request names one.
  const Needs form_client{N::Form::query_and_body, N::Client::before};
  const Needs token{N::Form::query_and_body, N::Client::when_asked};
  const Needs par{N::Form::body, N::Client::before};
  const Needs userinfo{N::Form::none, N::Client::none, N::Bearer::userinfo};
  const Needs management{N::Form::none, N::Client::none, N::Bearer::management};
  const Needs service{N::Form::none, N::Client::none, N::Bearer::service};
  return {
      // OAuth 2.0 and OpenID Connect, per environment (at /api/auth and at the issuer's path).
      {A::oauth, "POST", "/oauth/token", token_route, token, "token", true},
      {A::oauth, "POST", "/oauth/introspect", introspect_route, form_client, "introspect", true},
      {A::oauth, "POST", "/revoke", revoke_route, form_client, "revoke", true},
      {A::oauth, "POST", "/oauth/revoke", revoke_route, form_client, "revoke", true},
      {A::oauth, "GET, HEAD", "/userinfo", userinfo_route, userinfo, "userinfo", true},
      {A::oauth, "POST", "/userinfo", userinfo_route, userinfo, "userinfo", true},
      {A::oauth, "GET, HEAD", "/keys", jwks_route, none, "jwks"},
      {A::oauth, "GET, HEAD", "/keys.pem", keys_pem_route, none, "jwks"},
      {A::oauth, "GET, HEAD", kWellKnownOidc, discovery_route, none, "discovery"},
      {A::oauth, "GET, HEAD", kWellKnownOauth, discovery_route, none, "discovery"},
      {A::oauth, "POST", "/par", par_route, par, "par", true},
      {A::oauth, "POST", "/device_authorization", device_authorization_route, form_client, "device_authorization",
       true},
      // RFC 7591 registration and RFC 7592 management of a registration.
      {A::oauth, "POST", "/register", register_route, none, "register", true},
      {A::oauth, "GET, HEAD", "/register/{}", read_registration_route, none, "register", true},
      {A::oauth, "PUT", "/register/{}", update_registration_route, none, "register", true},
      {A::oauth, "DELETE", "/register/{}", delete_registration_route, none, "register", true},
      // Browser sign-in, per environment.
      {A::browser, "GET, HEAD, POST", "/authorize", authorize_route, none, "authorize", true},
      {A::browser, "GET, HEAD", "/authorize/callback", authorize_callback_route, none, "authorize", true},
      {A::browser, "POST", "/login", login_route, none, "login", true},
      {A::browser, "GET, HEAD, POST", "/end_session", end_session_route, none, "end_session", true},
      {A::browser, "GET, HEAD, POST", "/device", device_route, none, "device", true},
      // The Formance management API (404 and 405 come before its authentication, as chi routes first).
      {A::management, "GET, HEAD", "/clients", list_clients_route, management},
      {A::management, "POST", "/clients", create_client_route, management},
      {A::management, "GET, HEAD", "/clients/{}", read_client_route, management},
      {A::management, "PUT", "/clients/{}", update_client_route, management},
      {A::management, "DELETE", "/clients/{}", delete_client_route, management},
      {A::management, "POST", "/clients/{}/secrets", create_secret_route, management},
      {A::management, "DELETE", "/clients/{}/secrets/{}", delete_secret_route, management},
      {A::management, "GET, HEAD", "/users", list_users_route, management},
      {A::management, "GET, HEAD", "/users/{}", read_user_route, management},
      // Service information and probes.
      {A::health, "GET, HEAD", "/_info", info_route},
      {A::health, "GET, HEAD", "/_healthcheck", healthcheck_route},
      {A::health, "GET, HEAD", "/healthz", status_route},
      {A::health, "GET, HEAD", "/ready", status_route},
      {A::health, "GET, HEAD", "/versions", versions_route}, // the gateway's, as the SDK's getVersions()
      // The stand-in for the other Formance services: their info routes, then anything else.
      // RFC 9728: the stand-in's protected resource metadata (no token needed).
      {A::service, "GET, HEAD", "/.well-known/oauth-protected-resource/api/{}", resource_metadata_route},
      {A::service, "GET, HEAD", "/.well-known/oauth-protected-resource/api/{}/*", resource_metadata_route},
      {A::service, "GET, HEAD", "/api/{}/.well-known/oauth-protected-resource", resource_metadata_route},
      {A::service, "*", "/api/{}/_info", service_info_route, service},
      {A::service, "*", "/api/{}/_/info", service_info_route, service},
      {A::service, "*", "/api/{}/v2/_info", service_info_route, service},
      {A::service, "*", "/api/{}/*", protected_api_route, service},
      // The admin API (test controls).
      {A::admin, "GET, HEAD", "/_authemu", [](RouteCall& c) { return admin(c).index(); }},
      {A::admin, "GET, HEAD", "/_authemu/", [](RouteCall& c) { return admin(c).index(); }},
      {A::admin, "GET", "/_authemu/clock", [](RouteCall& c) { return admin(c).show_clock(c.req); }},
      {A::admin, "POST", "/_authemu/clock", [](RouteCall& c) { return admin(c).move_clock(c.req); }},
      {A::admin, "DELETE", "/_authemu/clock", [](RouteCall& c) { return admin(c).reset_clock(c.req); }},
      {A::admin, "POST", "/_authemu/reset", [](RouteCall& c) { return admin(c).reset(c.req); }},
      {A::admin, "POST", "/_authemu/mint", [](RouteCall& c) { return admin(c).mint(c.req); }},
      {A::admin, "GET", "/_authemu/keys", [](RouteCall& c) { return admin(c).keys(c.req); }},
      {A::admin, "POST", "/_authemu/keys/rotate", [](RouteCall& c) { return admin(c).rotate_key(c.req); }},
      {A::admin, "GET", "/_authemu/faults", [](RouteCall& c) { return admin(c).faults(c.req); }},
      {A::admin, "POST", "/_authemu/faults", [](RouteCall& c) { return admin(c).add_fault(c.req); }},
      {A::admin, "DELETE", "/_authemu/faults", [](RouteCall& c) { return admin(c).clear_faults(c.req); }},
      {A::admin, "DELETE", "/_authemu/faults/{id}",
       [](RouteCall& c) { return admin(c).remove_fault(c.req, c.params[0]); }},
      {A::admin, "GET", "/_authemu/journal", [](RouteCall& c) { return admin(c).journal(c.req); }},
      {A::admin, "GET", "/_authemu/journal/stream", [](RouteCall& c) { return admin(c).journal_stream(c.req); }},
      {A::admin, "GET", "/_authemu/journal/{seq}",
       [](RouteCall& c) { return admin(c).journal_entry(c.req, c.params[0]); }},
      {A::admin, "DELETE", "/_authemu/journal", [](RouteCall& c) { return admin(c).clear_journal(c.req); }},
      {A::admin, "POST", "/_authemu/explain", [](RouteCall& c) { return admin(c).explain(c.req); }},
      {A::admin, "GET", "/_authemu/logins", [](RouteCall& c) { return admin(c).logins(c.req); }},
      {A::admin, "POST", "/_authemu/logins", [](RouteCall& c) { return admin(c).add_login(c.req); }},
      {A::admin, "DELETE", "/_authemu/logins", [](RouteCall& c) { return admin(c).clear_logins(c.req); }},
      {A::admin, "DELETE", "/_authemu/logins/{id}",
       [](RouteCall& c) { return admin(c).remove_login(c.req, c.params[0]); }},
      {A::admin, "GET", "/_authemu/sessions", [](RouteCall& c) { return admin(c).sessions(c.req); }},
      {A::admin, "DELETE", "/_authemu/sessions", [](RouteCall& c) { return admin(c).end_sessions(c.req); }},
      {A::admin, "DELETE", "/_authemu/sessions/{sid}",
       [](RouteCall& c) { return admin(c).end_session(c.req, c.params[0]); }},
      {A::admin, "GET", "/_authemu/users", [](RouteCall& c) { return admin(c).users(c.req); }},
      {A::admin, "POST", "/_authemu/users", [](RouteCall& c) { return admin(c).add_user(c.req); }},
      {A::admin, "DELETE", "/_authemu/users/{id}",
       [](RouteCall& c) { return admin(c).remove_user(c.req, c.params[0]); }},
      {A::admin, "GET", "/_authemu/devices", [](RouteCall& c) { return admin(c).devices(c.req); }},
      {A::admin, "POST", "/_authemu/devices/{user_code}/approve",
       [](RouteCall& c) { return admin(c).decide_device(c.req, c.params[0], true); }},
      {A::admin, "POST", "/_authemu/devices/{user_code}/deny",
       [](RouteCall& c) { return admin(c).decide_device(c.req, c.params[0], false); }},
      {A::admin, "GET", "/_authemu/environments", [](RouteCall& c) { return admin(c).environments(c.req); }},
      {A::admin, "POST", "/_authemu/environments", [](RouteCall& c) { return admin(c).add_environment(c.req); }},
      {A::admin, "DELETE", "/_authemu/environments/{name}",
       [](RouteCall& c) { return admin(c).remove_environment(c.req, c.params[0]); }},
      {A::admin, "GET", "/_authemu/export/{format}",
       [](RouteCall& c) { return admin(c).export_environment(c.req, c.params[0]); }},
      // The console (http/console_routes.h): a page over the admin API.
      {A::admin, "GET, HEAD", "/_authemu/console", console_route},
      {A::admin, "GET, HEAD", "/_authemu/console/callback", console_callback_route},
      {A::admin, "POST", "/_authemu/console/token", console_token_route},
      {A::admin, "GET, HEAD", "/_authemu/ca.pem", ca_pem_route},
      {A::admin, "POST", "/_authemu/tls/client-certs",
       [](RouteCall& c) { return admin(c).issue_client_certificate(c.req, c.settings.tls_ca.get()); }},
      {A::admin, "POST", "/_authemu/registration-tokens",
       [](RouteCall& c) { return admin(c).registration_token(c.req); }},
  };
}

std::vector<std::string> admin_index(const std::vector<Route>& routes) {
  const std::string index = kAdminPrefix;
  std::vector<std::string> lines;
  for (const Route& r : routes) {
    if (r.area != Area::admin || r.pattern == index || r.pattern == index + "/") continue;
    for (std::string_view rest = r.methods; !rest.empty();) {
      size_t comma = rest.find(", ");
      std::string_view method = rest.substr(0, comma);
      if (method != "HEAD") lines.push_back(std::string(method) + " " + r.pattern);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
    }
  }
  return lines;
}

} // namespace authemu
