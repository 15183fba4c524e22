#include "http/pages.h"

#include <algorithm>

namespace authemu {

namespace {

const char* const kStyle = R"(
:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#1d2330;--muted:#667085;--line:#d9dde5;
--accent:#2f5bea;--accent-text:#fff;--danger:#b42318;--soft:#eef2ff}
@media (prefers-color-scheme:dark){:root{--bg:#14161b;--card:#1d2027;--text:#e6e8ee;--muted:#9aa3b2;
--line:#333846;--accent:#6d8bff;--accent-text:#0d1020;--danger:#ff8a80;--soft:#252a3a}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:flex-start;justify-content:center;background:var(--bg);
color:var(--text);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{width:100%;max-width:440px;margin:48px 16px;background:var(--card);border:1px solid var(--line);
border-radius:12px;padding:28px 28px 20px;box-shadow:0 1px 2px rgba(0,0,0,.05)}
header{display:flex;align-items:center;justify-content:space-between;margin-bottom:18px}
.brand{font-weight:700;letter-spacing:.02em}
.env{font-size:12px;color:var(--muted);border:1px solid var(--line);border-radius:999px;padding:2px 10px}
h1{font-size:20px;margin:0 0 4px}
p.sub{margin:0 0 18px;color:var(--muted);font-size:13px;word-break:break-word}
h2{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:22px 0 8px}
label{display:block;font-size:13px;margin:10px 0 4px}
input,textarea{width:100%;padding:9px 11px;border:1px solid var(--line);border-radius:8px;background:var(--card);
color:var(--text);font:inherit}
textarea{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;min-height:64px}
button{font:inherit;cursor:pointer;border-radius:8px;padding:9px 14px;border:1px solid var(--line);
background:var(--card);color:var(--text)}
button.primary{width:100%;margin-top:14px;background:var(--accent);border-color:var(--accent);color:var(--accent-text);
font-weight:600}
.users{display:grid;gap:8px}
.users button{width:100%;text-align:left;display:flex;flex-direction:column;background:var(--soft)}
button:hover{border-color:var(--accent)}
button.primary:hover{filter:brightness(1.08)}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.notice{margin:-8px 0 16px;font-size:12px;color:var(--muted)}
.users small{color:var(--muted)}
.error{background:rgba(180,35,24,.08);border:1px solid var(--danger);color:var(--danger);border-radius:8px;
padding:9px 12px;margin:0 0 14px;font-size:14px}
details{margin-top:18px;border-top:1px solid var(--line);padding-top:10px}
summary{cursor:pointer;font-size:13px;color:var(--muted)}
.deny{margin-top:20px;border-top:1px solid var(--line);padding-top:14px;display:flex;justify-content:space-between;
align-items:center;font-size:12px;color:var(--muted)}
.deny button{color:var(--danger)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
ul.uris{padding-left:18px;word-break:break-all}
)";

std::string hidden(const char* name, const std::string& value) {
  return std::string("<input type=\"hidden\" name=\"") + name + "\" value=\"" + html_escape(value) + "\">";
}

std::string document(const std::string& title, const std::string& body) {
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" "
         "content=\"noindex\"><title>" +
         html_escape(title) + "</title><style>" + kStyle + "</style></head><body><main>" + body +
         "</main></body></html>\n";
}

} // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string login_page_html(const LoginPage& p) {
  std::string common = hidden("request", p.request_id) + hidden("csrf", p.csrf);
  std::string form = "<form method=\"post\" action=\"" + html_escape(p.action) + "\">" + common;
  std::string b = "<header><span class=\"brand\">authemu</span><span class=\"env\" title=\"environment\">" +
                  html_escape(p.environment) + "</span></header>";
  std::string heading = p.heading.empty() ? "Sign in to " + p.client : p.heading;
  b += "<h1>" + html_escape(heading) + "</h1>";
  b += "<p class=\"sub\">Scope: <code>" + html_escape(p.scope) + "</code>";
  if (!p.return_to.empty()) b += "<br>Returns to <code>" + html_escape(p.return_to) + "</code>";
  b += "</p><p class=\"notice\">A test identity provider: these are test users, not real accounts.</p>";
  if (!p.error.empty()) b += "<div class=\"error\" role=\"alert\">" + html_escape(p.error) + "</div>";
  if (!p.users.empty()) {
    b += "<h2>Test users</h2><div class=\"users\">";
    for (const auto& u : p.users) {
      std::string label = u.name.empty() ? u.username : u.name;
      std::string detail = u.username + (u.email.empty() ? "" : " · " + u.email);
      b += form + hidden("action", "user") + hidden("user", u.id) + "<button type=\"submit\" name=\"as\" value=\"" +
           html_escape(u.username) + "\"><span>" + html_escape(label) + "</span><small>" + html_escape(detail) +
           "</small></button></form>";
    }
    b += "</div>";
  }
  b += "<h2>Username and password</h2>" + form + hidden("action", "password") +
       "<label for=\"username\">Username</label><input id=\"username\" name=\"username\" autocomplete=\"username\" "
       "autocapitalize=\"none\" value=\"" +
       html_escape(p.login_hint) +
       "\" required><label for=\"password\">Password</label><input id=\"password\" name=\"password\" "
       "type=\"password\" autocomplete=\"current-password\" required>"
       "<button class=\"primary\" type=\"submit\">Sign in</button></form>";
  if (p.sign_in_as_anyone) {
    b += std::string("<details") + (p.anyone_subject.empty() ? "" : " open") + "><summary>Sign in as anyone</summary>" +
         form + hidden("action", "anyone") +
         "<label for=\"subject\">Subject (sub)</label><input id=\"subject\" name=\"subject\" value=\"" +
         html_escape(p.anyone_subject) +
         "\" placeholder=\"any-user-id\" required><label for=\"claims\">Extra claims (JSON object)</label>"
         "<textarea id=\"claims\" name=\"claims\" placeholder='{\"email\": \"someone@example.com\", \"groups\": "
         "[\"admin\"]}'>" +
         html_escape(p.anyone_claims) +
         "</textarea><button class=\"primary\" type=\"submit\">Sign in as this subject</button></form></details>";
  }
  b += "<div class=\"deny\"><span>authemu test identity provider</span>" + form + hidden("action", "deny") +
       "<button type=\"submit\">" + html_escape(p.deny_label) + "</button></form></div>";
  return document(heading + " · authemu", b);
}

namespace {

std::string device_header(const DevicePage& p) {
  std::string b = "<header><span class=\"brand\">authemu</span><span class=\"env\" title=\"environment\">" +
                  html_escape(p.environment) + "</span></header>";
  if (!p.error.empty()) b += "<div class=\"error\" role=\"alert\">" + html_escape(p.error) + "</div>";
  return b;
}

std::string device_form(const DevicePage& p, const char* action) {
  return "<form method=\"post\" action=\"" + html_escape(p.action) + "\">" + hidden("csrf", p.csrf) +
         hidden("action", action);
}

} // namespace

std::string device_entry_html(const DevicePage& p) {
  std::string b = device_header(p) +
                  "<h1>Connect a device</h1><p class=\"sub\">Enter the code shown on your device or "
                  "command line.</p>" +
                  device_form(p, "code") +
                  "<label for=\"user_code\">Code</label><input id=\"user_code\" name=\"user_code\" "
                  "autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" placeholder=\"XXXX-XXXX\" "
                  "value=\"" +
                  html_escape(p.user_code) +
                  "\" required autofocus><button class=\"primary\" type=\"submit\">Continue</button></form>";
  return document("Connect a device · authemu", b);
}

std::string device_consent_html(const DevicePage& p) {
  std::string code = hidden("user_code", p.user_code);
  std::string b =
      device_header(p) + "<h1>" + html_escape(p.client) + " asks to sign in</h1><p class=\"sub\">Code <code>" +
      html_escape(p.user_code) + "</code><br>Scope: <code>" + html_escape(p.scope) +
      "</code><br>Signed in as <strong>" + html_escape(p.user) +
      "</strong></p><p class=\"notice\">Approve only if you started this on your own device and the code "
      "matches.</p>" +
      device_form(p, "approve") + code + "<button class=\"primary\" type=\"submit\">Approve</button></form>";
  b += "<div class=\"deny\">" + device_form(p, "switch") + code +
       "<button type=\"submit\">Use another account</button></form>" + device_form(p, "deny") + code +
       "<button type=\"submit\">Deny</button></form></div>";
  return document("Approve a device · authemu", b);
}

std::string message_page_html(const std::string& title, const std::string& message, const std::string& details_html) {
  return document(title + " · authemu", "<header><span class=\"brand\">authemu</span></header><h1>" +
                                            html_escape(title) + "</h1><p>" + html_escape(message) + "</p>" +
                                            details_html);
}

std::string redirect_uri_help_html(const RedirectUriHelp& help) {
  std::string id = "<code>" + html_escape(help.client_id) + "</code>";
  std::string out;
  if (help.registered.empty()) {
    out = "<p>Client " + id + " has no redirect URIs registered.</p>";
  } else {
    out = "<h2>Registered redirect URIs</h2><ul class=\"uris\">"; // h2 is upper-cased: no client id in it
    size_t shown = std::min(help.registered.size(), kListedRedirectUris);
    for (size_t i = 0; i < shown; ++i) {
      out += "<li><code>" + html_escape(help.registered[i].uri) + "</code>" +
             (help.registered[i].any_port ? " (any port)" : "") + "</li>";
    }
    if (help.registered.size() > shown)
      out += "<li>and " + std::to_string(help.registered.size() - shown) + " more</li>";
    out += "</ul>";
  }
  return out + "<p class=\"sub\">" + html_escape(help.how_to_add) + "</p>";
}

std::string form_post_html(const std::string& action, const std::vector<std::pair<std::string, std::string>>& params) {
  std::string b = "<form method=\"post\" action=\"" + html_escape(action) + "\">";
  for (const auto& [name, value] : params)
    b += "<input type=\"hidden\" name=\"" + html_escape(name) + "\" value=\"" + html_escape(value) + "\">";
  b += "<p>Returning to the application…</p><noscript><button type=\"submit\">Continue</button></noscript></form>"
       "<script>document.forms[0].submit()</script>";
  return document("Signing in", b);
}

HttpResponse html_response(int status, std::string body, bool script) {
  HttpResponse res;
  res.status = status;
  res.body = std::move(body);
  res.set_header("Content-Type", "text/html; charset=utf-8");
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", std::string("default-src 'none'; style-src 'unsafe-inline'; ") +
                                                (script ? "script-src 'unsafe-inline'; " : "") +
                                                "frame-ancestors 'none'; base-uri 'none'");
  return res;
}

} // namespace authemu
