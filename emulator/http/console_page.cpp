#include "http/console_page.h"

#include "base/clock.h"
#include "http/console_assets.h"
#include "http/pages.h"
#include "stack/environment.h"

namespace authemu {

namespace {

std::string head(const std::string& title) {
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
         "content=\"width=device-width,initial-scale=1\"><title>" +
         html_escape(title) + "</title><style>" + kConsoleStyle + "</style></head><body>";
}

std::string attr(const std::string& s) {
  return "\"" + html_escape(s) + "\"";
}

// A button that sends one admin API request (method path) with a JSON body.
std::string action(const std::string& label, const std::string& method_path, const std::string& json_body = "",
                   const std::string& cls = "") {
  return "<button type=\"button\"" + (cls.empty() ? "" : " class=" + attr(cls)) + " data-act=" + attr(method_path) +
         (json_body.empty() ? "" : " data-body=" + attr(json_body)) + ">" + html_escape(label) + "</button>";
}

std::string env_json(const std::string& env) {
  return "{\"environment\":" + dump_json(json_string(env)) + "}";
}

std::string journal_row(const JournalEntry& e) {
  bool err = e.status >= 400;
  std::string env = environment_label(e.environment);
  std::string r = "<tr tabindex=\"0\" data-seq=\"" + std::to_string(e.seq) + "\" data-env=" + attr(env) +
                  " data-endpoint=" + attr(e.endpoint) + " data-client=" + attr(e.client_id) + " data-status=\"" +
                  std::to_string(e.status) + "\" data-error=\"" + (err ? "1" : "") + "\">";
  char latency[32];
  std::snprintf(latency, sizeof latency, "%.1f ms", double(e.latency_us) / 1000.0);
  r += "<td>" + std::to_string(e.seq) + "</td><td title=" + attr(format_utc(e.time)) + ">" +
       format_utc(e.time, "%H:%M:%S") + "</td><td>" + format_utc(e.wall_time_ms / 1000, "%H:%M:%S") + "</td>";
  r += "<td>" + html_escape(env) + "</td><td>" + html_escape(e.endpoint) + "</td><td" + (err ? " class=\"st-err\"" : "") +
       ">" + std::to_string(e.status) + "</td><td>" + (err ? html_escape(e.outcome) : "") + "</td>";
  // A URN grant by its last word (device_code, token-exchange, jwt-bearer).
  std::string grant = e.grant_type.rfind("urn:", 0) == 0 ? e.grant_type.substr(e.grant_type.rfind(':') + 1) : e.grant_type;
  for (const std::string& v : {e.client_id, grant, e.user})
    r += "<td>" + html_escape(v) + "</td>";
  r += std::string("<td>") + latency + "</td><td>" + html_escape(e.method) + "</td><td>" + html_escape(e.path) +
       "</td></tr>";
  return r;
}

std::string table(const std::vector<std::string>& heads, const std::string& rows, const std::string& id = "") {
  std::string h = "<div class=\"scroll\"><table" + (id.empty() ? "" : " id=" + attr(id)) + "><thead><tr>";
  for (const auto& x : heads)
    h += "<th>" + html_escape(x) + "</th>";
  return h + "</tr></thead><tbody>" + rows + "</tbody></table></div>";
}

std::string environment_state(const ConsoleEnvironment& e) {
  const std::string env = env_json(e.name);
  const std::string q = "?environment=" + e.name;
  std::string h = "<details open><summary>environment " + html_escape(e.name) + " <span class=\"muted\">" +
                  html_escape(e.issuer) + "</span></summary>";
  std::string keys;
  for (const auto& k : e.keys) {
    keys += "<tr><td><code>" + html_escape(k.kid) + "</code></td><td>" + html_escape(k.alg) + "</td><td>" +
            (k.retires.empty() ? "active" : "retiring at " + html_escape(k.retires)) + "</td></tr>";
  }
  h += "<h3>keys</h3>" + table({"kid", "alg", "state"}, keys) + "<div class=\"row\">" +
       action("Rotate key", "POST /_authemu/keys/rotate", env) + "</div>";
  std::string clients;
  for (const auto& c : e.clients) {
    clients += "<tr><td>" + html_escape(c.id) + "</td><td>" + html_escape(c.kind) + "</td><td class=\"wrap\">" +
               html_escape(c.grants) + "</td><td class=\"wrap\">" + html_escape(c.redirect_uris) + "</td></tr>";
  }
  h += "<h3>clients (" + std::to_string(e.clients_total) + ")</h3>" +
       table({"client", "kind", "grants", "redirect URIs"}, clients);
  if (e.clients_total > e.clients.size()) {
    h += "<p class=\"muted\">the first " + std::to_string(e.clients.size()) + " shown</p>";
  }
  std::string users;
  for (const auto& u : e.users) {
    users += "<tr><td><code>" + html_escape(u.id) + "</code></td><td>" + html_escape(u.username) + "</td><td>" +
             html_escape(u.email) + "</td><td>" + html_escape(u.name) + "</td></tr>";
  }
  h += "<h3>users (" + std::to_string(e.users_total) + ")</h3>" + table({"id", "username", "email", "name"}, users);
  h += "<form class=\"row\" data-act=\"POST /_authemu/users\" data-fixed=" + attr(env) +
       "><label>username<input name=\"username\" required autocomplete=\"off\"></label>"
       "<label>email<input name=\"email\" type=\"email\" autocomplete=\"off\"></label>"
       "<label>password<input name=\"password\" type=\"password\" autocomplete=\"new-password\"></label>"
       "<button type=\"submit\">Add user</button></form>";
  std::string sessions;
  for (const auto& s : e.sessions) {
    sessions += "<tr><td><code>" + html_escape(s.sid) + "</code></td><td>" + html_escape(s.user) + "</td><td>" +
                html_escape(s.auth_time) + "</td><td>" + html_escape(s.clients) + "</td><td>" +
                action("End", "DELETE /_authemu/sessions/" + s.sid + q, "", "danger") + "</td></tr>";
  }
  h += "<h3>sessions</h3>" + table({"sid", "user", "signed in", "clients", ""}, sessions);
  std::string devices, user_options;
  for (const auto& u : e.users)
    user_options += "<option value=" + attr(u.username) + ">" + html_escape(u.username) + "</option>";
  for (const auto& d : e.devices) {
    std::string path = "/_authemu/devices/" + d.user_code;
    devices += "<tr><td><code>" + html_escape(d.user_code) + "</code></td><td>" + html_escape(d.client_id) +
               "</td><td>" + html_escape(d.scope) + "</td><td>" + html_escape(d.expires) +
               "</td><td><form class=\"row\" style=\"margin:0\" data-act=" + attr("POST " + path + "/approve") +
               " data-fixed=" + attr(env) + "><label class=\"sr\" for=" + attr("approve-" + d.user_code) +
               ">approve as</label><select name=\"user\" id=" + attr("approve-" + d.user_code) + ">" + user_options +
               "</select><button type=\"submit\" class=\"primary\">Approve</button>" +
               action("Deny", "POST " + path + "/deny", env, "danger") + "</form></td></tr>";
  }
  h += "<h3>pending device requests</h3>" + table({"user code", "client", "scope", "expires", ""}, devices);
  h += "<h3>queue a sign-in</h3><form class=\"row\" data-act=\"POST /_authemu/logins\" data-fixed=" + attr(env) +
       "><label>user<input name=\"user\" autocomplete=\"off\" placeholder=\"alice\"></label>"
       "<label>or error<input name=\"error\" autocomplete=\"off\" placeholder=\"access_denied\"></label>"
       "<label>client<input name=\"client_id\" autocomplete=\"off\"></label><button type=\"submit\">Queue</button></form>";
  h += "<h3>add a fault</h3><form class=\"row\" data-act=\"POST /_authemu/faults\" data-fixed=" + attr(env) +
       "><label>endpoint<select name=\"endpoint\"><option>token</option><option>introspect</option><option>revoke"
       "</option><option>userinfo</option><option>jwks</option><option>discovery</option><option>authorize</option>"
       "<option>device_authorization</option></select></label><label>error<input name=\"error\" "
       "placeholder=\"invalid_grant\" autocomplete=\"off\"></label><label>status<input name=\"status\" data-num "
       "inputmode=\"numeric\" size=\"4\"></label><label>delay<input name=\"delay\" placeholder=\"2s\" size=\"5\">"
       "</label><label>count<input name=\"count\" data-num inputmode=\"numeric\" size=\"3\"></label>"
       "<button type=\"submit\">Add fault</button>" +
       action("Clear faults", "DELETE /_authemu/faults" + q, "", "danger") + "</form>";
  return h + "</details>";
}

} // namespace

HttpResponse console_response(int status, std::string body) {
  HttpResponse res = html_response(status, std::move(body), true);
  res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                                            "connect-src 'self'; img-src data:; form-action 'self'; "
                                            "frame-ancestors 'none'; base-uri 'none'");
  return res;
}

std::string console_html(const ConsoleView& v) {
  std::string h = head("authemu console");
  h += "<header class=\"top\"><span class=\"brand\">authemu console</span><nav aria-label=\"sections\">"
       "<a href=\"#journal-section\">Journal</a><a href=\"#explain\">Explain</a><a href=\"#state\">State</a>"
       "<a href=\"#signin\">Try a sign-in</a></nav>";
  for (const auto& e : v.environments) {
    const std::string env = env_json(e.name);
    std::string state = e.frozen ? "frozen" : e.offset != 0 ? "moved" : "real time";
    h += "<div class=\"clock\" role=\"group\" aria-label=" + attr("clock of " + e.name) + "><b>" +
         html_escape(e.name) + "</b> <time>" + html_escape(format_utc(e.now)) + "</time> <span class=\"pill\">" +
         state + "</span>" +
         (e.frozen ? action("Release", "POST /_authemu/clock", "{\"environment\":" + dump_json(json_string(e.name)) + ",\"freeze\":false}")
                   : action("Freeze", "POST /_authemu/clock", "{\"environment\":" + dump_json(json_string(e.name)) + ",\"freeze\":true}")) +
         action("+1 min", "POST /_authemu/clock", "{\"environment\":" + dump_json(json_string(e.name)) + ",\"advance\":\"1m\"}") +
         action("+1 h", "POST /_authemu/clock", "{\"environment\":" + dump_json(json_string(e.name)) + ",\"advance\":\"1h\"}") +
         "<form class=\"row\" style=\"margin:0\" data-act=\"POST /_authemu/clock\" data-clock=\"set\" data-fixed=" +
         attr(env) + "><label class=\"sr\" for=" + attr("set-" + e.name) + ">set the clock of " + html_escape(e.name) +
         "</label><input id=" + attr("set-" + e.name) +
         " name=\"set\" size=\"20\" placeholder=\"2030-01-01T00:00:00Z\"><button type=\"submit\">Set</button></form>" +
         action("Reset clock", "DELETE /_authemu/clock?environment=" + e.name) + "</div>";
  }
  h += action("Reset everything", "POST /_authemu/reset", "{}", "danger") +
       "<span id=\"status\" role=\"status\" aria-live=\"polite\"></span></header><main>";

  // The journal, newest first, and the details of a row.
  std::string rows;
  for (auto it = v.journal.rbegin(); it != v.journal.rend(); ++it)
    rows += journal_row(*it);
  std::string env_options = "<option value=\"\">all</option>";
  for (const auto& e : v.environments)
    env_options += "<option>" + html_escape(e.name) + "</option>";
  h += "<section id=\"journal-section\"><h1>Journal <span id=\"live\" class=\"pill\">connecting</span> <span "
       "class=\"muted\"><span id=\"journal-count\">" +
       std::to_string(v.journal.size()) +
       "</span> requests</span></h1><div class=\"row\" id=\"filters\"><label>environment<select id=\"f-env\">" +
       env_options +
       "</select></label><label>endpoint<select id=\"f-endpoint\"><option value=\"\">all</option><option>token</option>"
       "<option>authorize</option><option>login</option><option>userinfo</option><option>introspect</option>"
       "<option>revoke</option><option>jwks</option><option>discovery</option><option>par</option>"
       "<option>device_authorization</option><option>device</option><option>end_session</option></select></label>"
       "<label>client<input id=\"f-client\" size=\"10\"></label><label>status<input id=\"f-status\" size=\"4\" "
       "inputmode=\"numeric\"></label><label><span><input type=\"checkbox\" id=\"f-errors\"> errors only</span></label>"
       "<label><span><input type=\"checkbox\" id=\"f-pause\"> pause</span></label></div>" +
       table({"#", "time (environment)", "wall (UTC)", "environment", "endpoint", "status", "error", "client", "grant",
              "user", "latency", "method", "path"},
             rows, "journal");
  h += "</section><section aria-live=\"polite\"><div id=\"details\" hidden></div><div id=\"details-hint\" "
       "class=\"muted\">Select a request (click, or Enter) to see its parameters, headers, tokens and a curl "
       "command.</div></section>";

  h += "<section id=\"explain\"><h2>Token explainer</h2><form id=\"explain-form\"><label for=\"explain-token\">JWT"
       "</label><textarea id=\"explain-token\" rows=\"4\" spellcheck=\"false\" placeholder=\"eyJ...\"></textarea>"
       "<div class=\"row\"><label>audience (optional)<input id=\"explain-aud\" size=\"28\"></label>"
       "<button type=\"submit\" class=\"primary\">Explain</button></div></form><div id=\"explain-out\"></div>"
       "</section>";

  // Try a sign-in: each environment's console client, and fixture clients that accept the callback.
  std::string envs, clients;
  for (const auto& e : v.environments) {
    envs += "<option>" + html_escape(e.name) + "</option>";
    clients += "<option data-env=" + attr(e.name) + " data-issuer=" + attr(e.issuer) + " value=" +
               attr(kConsoleClientId) + ">" + html_escape(std::string(kConsoleClientId) + " (built in, public)") +
               "</option>";
    for (const auto& c : e.clients) {
      if (c.console_sign_in && c.id != kConsoleClientId) {
        clients += "<option data-env=" + attr(e.name) + " data-issuer=" + attr(e.issuer) + " value=" + attr(c.id) +
                   ">" + html_escape(c.id) + "</option>";
      }
    }
  }
  h += "<section id=\"signin\"><h2>Try a sign-in</h2><p class=\"muted\">The code flow with PKCE, from this browser to "
       "this server, back to the console, which explains the tokens.</p><form id=\"signin-form\"><div class=\"row\">"
       "<label>environment<select id=\"signin-env\">" +
       envs + "</select></label><label>client<select id=\"signin-client\">" + clients +
       "</select></label></div><div class=\"row\"><label>scope<input id=\"signin-scope\" size=\"34\" "
       "value=\"openid profile email offline_access\"></label><label>prompt<select id=\"signin-prompt\"><option "
       "value=\"\">(none)</option><option>login</option><option>consent</option><option>none</option>"
       "<option>select_account</option></select></label><label>login_hint<input id=\"signin-login_hint\" "
       "size=\"10\"></label><label>max_age<input id=\"signin-max_age\" size=\"5\" inputmode=\"numeric\"></label>"
       "</div><button type=\"submit\" class=\"primary\">Sign in</button></form></section>";

  h += "<section id=\"state\" class=\"wide\"><h2>State</h2><div class=\"envs\">";
  for (const auto& e : v.environments)
    h += environment_state(e);
  std::string logins, faults;
  for (const auto& r : v.logins) {
    logins += "<tr><td><code>" + html_escape(r.id) + "</code></td><td>" + html_escape(r.environment) + "</td><td>" +
              html_escape(r.what) + "</td><td>" + action("Remove", "DELETE /_authemu/logins/" + r.id, "", "danger") +
              "</td></tr>";
  }
  for (const auto& r : v.faults) {
    faults += "<tr><td><code>" + html_escape(r.id) + "</code></td><td>" + html_escape(r.environment) + "</td><td>" +
              html_escape(r.what) + "</td><td>" + action("Remove", "DELETE /_authemu/faults/" + r.id, "", "danger") +
              "</td></tr>";
  }
  h += "<h3>queued sign-ins</h3>" + table({"id", "environment", "what", ""}, logins) + "<h3>faults</h3>" +
       table({"id", "environment", "what", ""}, faults) + "</div></section></main><script>" + kConsoleHelpers +
       kConsoleScript + "</script></body></html>";
  return h;
}

std::string console_callback_html() {
  return head("authemu console: signed in") +
         "<header class=\"top\"><span class=\"brand\">authemu console</span><nav aria-label=\"sections\"><a "
         "href=\"/_authemu/console\">Back to the console</a></nav><span id=\"who\" class=\"muted\"></span>"
         "<span id=\"status\" role=\"status\" aria-live=\"polite\">exchanging the code…</span></header><main>"
         "<section class=\"wide\"><h1>Try a sign-in: the tokens</h1><div class=\"row\"><button type=\"button\" "
         "id=\"userinfo\">Userinfo</button><button type=\"button\" id=\"refresh\">Refresh</button><button "
         "type=\"button\" id=\"logout\" class=\"danger\">Log out</button></div><div id=\"userinfo-out\"></div>"
         "<div id=\"out\"></div></section></main><script>" +
         kConsoleHelpers + kCallbackScript + "</script></body></html>";
}

std::string console_token_html(const std::string& error) {
  return head("authemu console: admin token") +
         "<main style=\"display:block;max-width:420px;margin:40px auto\"><section><h1>authemu console</h1><p>This "
         "server has an admin token. Enter it once: the console keeps it in an HttpOnly cookie for /_authemu.</p>" +
         (error.empty() ? "" : "<p class=\"bad\" role=\"alert\">" + html_escape(error) + "</p>") +
         "<form method=\"post\" action=\"/_authemu/console/token\"><label for=\"token\">admin token</label><div "
         "class=\"row\"><input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" "
         "required autofocus><button type=\"submit\" class=\"primary\">Open the console</button></div></form>"
         "</section></main></body></html>";
}

} // namespace authemu
