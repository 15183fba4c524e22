#include "http/console_routes.h"

#include <algorithm>

#include "base/origin.h"
#include "http/console_page.h"
#include "oauth/form.h"
#include "testkit/admin_api.h"

namespace authemu {

namespace {

constexpr size_t kShownClients = 1000, kShownUsers = 1000, kShownSessions = 200;

std::string joined(const std::vector<std::string>& v, const char* sep = " ") {
  std::string out;
  for (const auto& s : v)
    out += (out.empty() ? "" : sep) + s;
  return out;
}

ConsoleEnvironment view_of(Environment& env) {
  ConsoleEnvironment e;
  e.name = env.label();
  e.issuer = env.settings().issuer;
  AdjustableClock::State s = env.clock().state();
  e.now = s.now;
  e.offset = s.offset;
  e.frozen = s.frozen;
  for (const KeyInfo& k : env.keys().list()) {
    e.keys.push_back({k.kid, algorithm_name(k.alg), k.retires_at ? format_utc(*k.retires_at) : ""});
  }
  auto add_clients = [&](const std::vector<ClientStore::Ptr>& list, const char* kind) {
    e.clients_total += list.size();
    for (const auto& c : list) {
      if (e.clients.size() >= kShownClients) break;
      bool callback = std::any_of(c->redirect_uris.begin(), c->redirect_uris.end(), [](const std::string& u) {
        return u.size() > std::string(kConsoleCallbackPath).size() &&
               u.compare(u.size() - std::string(kConsoleCallbackPath).size(), std::string::npos, kConsoleCallbackPath) == 0;
      });
      e.clients.push_back({c->id, c->id == kConsoleClientId ? "console (public)" : kind,
                           c->grant_types ? joined(*c->grant_types) : "Formance's set",
                           joined(c->redirect_uris), callback});
    }
  };
  add_clients(env.clients().list_static(), "static");
  add_clients(env.clients().list_dynamic(), "dynamic");
  std::vector<UserStore::Ptr> users = env.users().list();
  e.users_total = users.size();
  for (const auto& u : users) {
    if (e.users.size() >= kShownUsers) break;
    e.users.push_back({u->id, u->username, u->email, u->name});
  }
  for (const BrowserSession& s : env.sessions().list()) {
    if (e.sessions.size() >= kShownSessions) break;
    e.sessions.push_back({s.sid, s.user_id, format_utc(s.auth_time), joined(s.clients, ", ")});
  }
  for (const DeviceRequest& d : env.devices().list_pending(s.now)) {
    std::string code = d.user_code.size() == 8 ? d.user_code.substr(0, 4) + "-" + d.user_code.substr(4) : d.user_code;
    e.devices.push_back({code, d.client_id, d.scope, format_utc(d.exp)});
  }
  return e;
}

} // namespace

HttpResponse console_route(RouteCall& c) {
  AdminApi& admin = *c.admin;
  ConsoleView v;
  const EnvironmentList all = admin.environments();
  for (Environment* env : all.list)
    v.environments.push_back(view_of(*env));
  JournalQuery q;
  q.limit = kJournalCapacity;
  v.journal = admin.journal_log().query(q);
  for (const QueuedLogin& l : admin.login_queue().list(std::nullopt)) {
    std::string what = !l.error.empty() ? "error " + l.error : !l.user.empty() ? "user " + l.user : "subject " + l.subject;
    if (!l.client_id.empty()) what += " for client " + l.client_id;
    v.logins.push_back({l.id, l.environment.empty() ? "any" : l.environment, what + " (" + std::to_string(l.remaining) + " left)"});
  }
  for (const Fault& f : admin.fault_queue().list()) {
    std::string what = f.endpoint;
    if (!f.error.empty()) what += " error " + f.error;
    if (f.status != 0) what += " status " + std::to_string(f.status);
    if (f.delay_ms != 0) what += " delay " + std::to_string(f.delay_ms) + " ms";
    if (f.client_id) what += " client " + *f.client_id;
    v.faults.push_back({f.id, environment_label(f.environment), what + " (" + std::to_string(f.remaining) + " left)"});
  }
  v.admin_token = admin.guard().has_token();
  return console_response(200, console_html(v));
}

HttpResponse console_callback_route(RouteCall&) {
  return console_response(200, console_callback_html());
}

HttpResponse console_token_route(RouteCall&) {
  HttpResponse res;
  res.status = 303;
  res.set_header("Location", kConsolePath);
  return res;
}

std::optional<HttpResponse> console_unlock(const HttpRequest& req, const HttpResponse& denied, const AdminGuard& guard) {
  if (denied.status != 401) return std::nullopt;
  if (req.path == kConsolePath && (req.method == "GET" || req.method == "HEAD")) {
    return console_response(401, console_token_html(""));
  }
  if (req.path != std::string(kConsolePath) + "/token" || req.method != "POST") return std::nullopt;
  if (auto refused = guard.refuse_cross_site(req)) return refused;
  std::optional<std::string> token;
  try {
    token = Params::parse(req.body, "body").get("token");
  } catch (const std::exception&) {
  }
  if (!token || !guard.is_admin_token(*token)) {
    return console_response(401, console_token_html("That is not the admin token."));
  }
  // RFC 6265 §4.1.1: a cookie-octet value; a token with others cannot be kept in a cookie.
  bool cookie_safe = std::all_of(token->begin(), token->end(), [](char ch) {
    return ch > 0x20 && ch < 0x7f && ch != '"' && ch != ',' && ch != ';' && ch != '\\';
  });
  if (!cookie_safe) {
    return console_response(400, console_token_html("This admin token has characters a cookie cannot hold (spaces, "
                                                    "quotes, commas, semicolons, backslashes): send it as a bearer token instead."));
  }
  HttpResponse res;
  res.status = 303;
  res.set_header("Location", kConsolePath);
  res.set_header("Cache-Control", "no-store");
  res.add_header("Set-Cookie", std::string(kAdminCookie) + "=" + *token + "; Path=/_authemu; HttpOnly; SameSite=Strict" +
                                   (req.tls ? "; Secure" : ""));
  return res;
}

Client console_client(const std::string& issuer) {
  Client c;
  c.id = kConsoleClientId;
  c.name = "authemu console";
  c.is_public = true;
  c.trusted = true;
  c.is_static = true;
  for (const std::string& origin : {origin_of_url(issuer).value_or(""), std::string("http://127.0.0.1"),
                                    std::string("http://[::1]")}) {
    if (origin.empty()) continue;
    c.redirect_uris.push_back(origin + kConsoleCallbackPath);
    c.post_logout_redirect_uris.push_back(origin + kConsolePath);
  }
  c.grant_types = std::vector<std::string>{"authorization_code", "refresh_token"};
  return c;
}

} // namespace authemu
