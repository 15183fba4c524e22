#include "http/app.h"

#include <algorithm>

#include "base/origin.h"
#include "http/console_page.h"
#include "http/console_routes.h"
#include "http/http_fetcher.h"
#include "http/pages.h"
#include "http/request_auth.h"
#include "oauth/client_documents.h"
#include "http/responses.h"
#include "stack/management.h"

namespace authemu {

namespace {

const std::vector<Area> kEnvironmentAreas = {Area::oauth, Area::browser, Area::management, Area::health};

EnvironmentSpec default_spec(const AppSettings& s, Fixture fixture, SigningKey key) {
  return EnvironmentSpec{s.environment, std::move(fixture.clients), std::move(fixture.users), std::move(key)};
}

std::vector<EnvironmentSpec> one_spec(EnvironmentSpec spec) {
  std::vector<EnvironmentSpec> v;
  v.push_back(std::move(spec));
  return v;
}

// A path with no route: the admin API's Formance error, else the text Formance's router sends.
HttpResponse not_found(Area area, const std::string& path) {
  if (area == Area::admin) return admin_error_response(admin_api::not_found("no admin route " + path));
  HttpResponse res;
  res.text(404, "404 page not found\n");
  return res;
}

// A known path with a method it does not take, in the area's shape.
HttpResponse method_not_allowed(Area area, const std::string& allow) {
  HttpResponse res;
  if (area == Area::oauth) {
    oauth_error_response(res, oauth::method_not_allowed(method_hint(allow)));
  } else if (area == Area::browser) {
    res = html_response(405, message_page_html("Method not allowed", "use " + allow));
  } else if (area == Area::admin) {
    res = admin_error_response(admin_api::method_not_allowed("use " + allow));
  } else {
    res.empty(405);
  }
  res.set_header("Allow", allow);
  return res;
}

} // namespace

App::App(AppSettings settings, Fixture fixture, SigningKey key, const Clock& clock, const MonotonicClock& monotonic)
    : App(settings, one_spec(default_spec(settings, std::move(fixture), std::move(key))), clock, default_routes(),
          nullptr, monotonic) {}

namespace {

// With the admin API, each environment gets the console's public client (unless a fixture took its id).
std::vector<EnvironmentSpec> with_console_clients(std::vector<EnvironmentSpec> specs, bool admin_api) {
  if (!admin_api) return specs;
  for (EnvironmentSpec& s : specs) {
    bool taken = std::any_of(s.clients.begin(), s.clients.end(), [](const Client& c) { return c.id == kConsoleClientId; });
    if (!taken) s.clients.push_back(console_client(s.settings.issuer));
  }
  return specs;
}

} // namespace

App::App(AppSettings settings, std::vector<EnvironmentSpec> environments, const Clock& clock, std::vector<Route> routes,
         Fetcher* fetcher, const MonotonicClock& monotonic)
    : settings_(std::move(settings)), clock_(clock),
      own_fetcher_(fetcher == nullptr ? std::make_unique<HttpFetcher>() : nullptr),
      fetcher_(fetcher == nullptr ? own_fetcher_.get() : fetcher),
      stack_(with_console_clients(std::move(environments), settings_.admin_api), clock_, fetcher_, settings_.clock_start, settings_.clock_frozen),
      faults_(monotonic), router_(std::move(routes)), controls_(journal_, faults_, monotonic) {
  if (settings_.admin_api) {
    admin_ =
        std::make_unique<AdminApi>(stack_, journal_, faults_, logins_,
                                   AdminPolicy{settings_.admin_token, settings_.secret_keys, settings_.beyond_loopback},
                                   admin_index(router_.routes()));
  }
}

bool App::is_admin_path(const std::string& path) const {
  const std::string prefix = kAdminPrefix;
  return admin_ && (path == prefix || path.compare(0, prefix.size() + 1, prefix + "/") == 0);
}

HttpResponse App::handle(const HttpRequest& req) {
  // RFC 8705 §6.5: behind a TLS-terminating proxy the client certificate comes in a header.
  if (settings_.forwarded_certificates && !req.client_certificate) {
    if (auto value = req.header(settings_.forwarded_certificates->header())) {
      HttpRequest with = req;
      with.client_certificate = settings_.forwarded_certificates->read(*value);
      return route(with);
    }
  }
  return route(req);
}

HttpResponse App::route(const HttpRequest& req) {
  if (is_admin_path(req.path)) return dispatch(req, nullptr, {Area::admin}, req.path);
  // The environments this request is routed with, kept alive until it is answered.
  std::shared_ptr<const Environments> envs = stack_.environments();
  Target target = resolve_target(*envs, req);
  if (!target.service.empty()) return dispatch(req, &target, {Area::service}, target.route);
  return dispatch(req, &target, kEnvironmentAreas, target.route);
}

namespace {

// The client a request's client_id names, when that is a client ID metadata document's URL.
void resolve_document_client(const HttpRequest& req, const RequestForm& form, Environment& env) {
  std::optional<std::string> id;
  try {
    const Params& p = req.method == "POST" && req.is_form_urlencoded() ? form.merged() : form.query();
    id = p.get("client_id");
  } catch (const OAuthError&) {
    return; // the route says what is wrong with the form
  }
  if (id) resolve_client_document(env.clients(), env.tokens().context().fetcher, env.clock(), *id,
                                  env.settings().allow_http_metadata);
}

} // namespace

HttpResponse App::dispatch(const HttpRequest& req, Target* target, const std::vector<Area>& areas,
                           const std::string& path) {
  if (areas.front() == Area::admin) {
    if (auto denied = admin_->authorize(req)) { // before 404 and 405
      if (auto prompt = console_unlock(req, *denied, admin_->guard())) return *prompt;
      return *denied;
    }
  }
  Router::Match m = router_.match(areas, path, req.method);
  if (m.path == nullptr) return not_found(areas.front(), path);
  const Route& row = *m.path;
  bool credentials = target != nullptr && cors_credentials(req, *target->env);
  if (m.route == nullptr && row.area == Area::oauth && req.method == "OPTIONS") {
    return preflight(req, m.allow, credentials);
  }

  ErrorShape shape = row.area == Area::management || row.area == Area::admin ? ErrorShape::formance
                     : row.area == Area::browser                             ? ErrorShape::html
                                                                             : ErrorShape::oauth;
  RequestForm form(req); // parsed when first read, once for the journal, the needs and the handler
  JournalNote note;
  auto run = [&] {
    HttpResponse res = guarded(req, shape, [&]() -> HttpResponse {
      if (m.route == nullptr) return method_not_allowed(row.area, m.allow);
      std::optional<Delegation> delegation;
      if (row.area == Area::browser) delegation = delegation_for(req, *target);
      RouteCall call{req, target, m.params, settings_, logins_};
      call.admin = row.area == Area::admin ? admin_.get() : nullptr;
      call.cors_credentials = credentials;
      call.parsed = &form;
      call.delegation = delegation ? &*delegation : nullptr;
      call.is_delegation_callback = [this](const Client& c, const std::string& uri) {
        return is_delegation_callback(c, uri);
      };
      // A client_id that names a client metadata document: fetched (or kept) before anything reads it.
      if (row.area == Area::oauth || row.area == Area::browser) resolve_document_client(req, form, *target->env);
      // go-libs auth: 404 and 405 come before authentication, as chi routes first.
      RequestAuth auth(req, form);
      struct Noted { // whether the handler answers or throws
        const RequestAuth& auth;
        JournalNote& note;
        ~Noted() { auth.note(note); }
      } noted{auth, note};
      if (auto refused = auth.verify(*m.route, call)) return *refused;
      return m.route->handler(call);
    });
    if (row.no_store) no_store(res);
    return res;
  };
  HttpResponse res =
      row.endpoint != nullptr ? controls_.run(*target->env, req, form, row.endpoint, row.no_store, run, &note) : run();
  if (row.area == Area::oauth) cors(req, res, credentials); // injected faults too
  return res;
}

std::optional<Delegation> App::delegation_for(const HttpRequest& req, const Target& t) const {
  const EnvironmentSettings& s = t.env->settings();
  if (s.delegated_issuer.empty()) return std::nullopt;
  Delegation d;
  d.client_id = s.delegated_client_id;
  d.client_secret = s.delegated_client_secret;
  d.callback = t.issuer() + "/authorize/callback";
  d.issuer = s.delegated_issuer;
  d.fetcher = fetcher_;
  if (d.issuer.find("://") == std::string::npos) {
    // An environment of this process, at the issuer this request's proxy (if any) gives it.
    d.upstream = find_environment(environment_name(d.issuer));
    if (d.upstream == nullptr) return std::nullopt; // start-up checked the name
    const std::string& name = d.upstream->name();
    std::string prefix = route_prefix(*d.upstream, name.empty() ? "" : "/" + name);
    auto forwarded = req.header("X-Forwarded-Host") ? t.host : std::nullopt;
    IssuerChoice upstream = d.upstream->choose_issuer(t.scheme, forwarded, prefix);
    d.upstream->publish_issuer(upstream); // its tokens carry it
    d.issuer = upstream.issuer;
  }
  return d;
}

bool App::is_delegation_callback(const Client& client, const std::string& uri) const {
  if (client.delegation_for.empty()) return false;
  Environment* e = find_environment(environment_name(client.delegation_for));
  const std::string suffix = "/authorize/callback";
  if (e == nullptr || uri.size() <= suffix.size() ||
      uri.compare(uri.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  return e->trusts(uri.substr(0, uri.size() - suffix.size()));
}

bool App::cors_credentials(const HttpRequest& req, Environment& env) const {
  auto header = req.header("Origin");
  if (!header) return false;
  auto origin = parse_origin(*header);
  if (!origin) return false; // "null" among them
  const auto& listed = settings_.cors_origins;
  return std::find(listed.begin(), listed.end(), *origin) != listed.end() || env.clients().has_redirect_origin(*origin);
}

HttpResponse App::transport_error(const std::string& path, int status, const std::string& text) const {
  HttpResponse res;
  std::string message = text;
  if (message.empty()) switch (status) {
    case 413:
      message = "request body too large";
      break;
    case 414:
      message = "request URI too long";
      break;
    default:
      message = "malformed HTTP request, or headers over the limits (8 KiB a line, 100 headers)";
      break;
    }
  bool admin = is_admin_path(path);
  const Route* row = nullptr;
  if (!admin) {
    HttpRequest probe;
    probe.path = path;
    Target target = resolve_target(*stack_.environments(), probe);
    if (target.service.empty()) row = router_.match(kEnvironmentAreas, target.route, "").path;
  }
  if (admin || (row != nullptr && row->area == Area::management)) {
    res.json(status, management_error("VALIDATION", message));
  } else {
    res.json(status, oauth::with_code("invalid_request", message, status).body());
    if (row != nullptr && row->no_store) no_store(res);
  }
  return res;
}

} // namespace authemu
