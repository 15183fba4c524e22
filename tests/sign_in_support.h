// A browser for the sign-in tests: an App with browser clients on a fake clock, and a cookie jar
// that follows Set-Cookie, so tests walk authorize → login page → code → token as a browser does.
#pragma once
#include <map>
#include <regex>

#include "base/base64.h"
#include "jose/crypto.h"
#include "oauth/form.h"
#include "test_support.h"

namespace authemu::test {

constexpr char kBrowserFixture[] = R"(
clients:
  - id: web
    name: Web <App> & "Co"
    secrets: [web]
    redirectUris: [https://app.example/cb, http://127.0.0.1/callback]
    postLogoutRedirectUris: [https://app.example/bye]
    scopes: [ledger:read]
  - id: spa
    public: true
    redirectUris: [http://localhost:3000/cb]
  - id: noreuse
    secrets: [noreuse]
    grantTypes: [authorization_code]
    redirectUris: [https://n.example/cb]
  - id: auto
    secrets: [auto]
    loginMode: auto
    redirectUris: [https://auto.example/cb]
users:
  - id: u-alice
    username: alice
    password: alice
    email: alice@example.com
    name: Alice <Admin>
    groups: [admins]
  - id: u-bob
    username: bob
    password: bob
    email: bob@example.com
)";

// A web client whose redirect and post-logout URIs are on loopback addresses (RFC 8252 §7.3),
// for tests that drive an App with their own requests and cookies.
constexpr char kLoopbackFixture[] = R"(
clients:
  - id: web
    secrets: [web]
    redirectUris: [http://127.0.0.1/callback]
    postLogoutRedirectUris: [http://127.0.0.1/, http://localhost:3000/]
users:
  - {id: u-alice, username: alice, password: alice}
)";

inline std::unique_ptr<App> loopback_app(const Clock& clock, const std::string& login_mode = "page") {
  AppSettings s;
  s.environment.issuer = kIssuer;
  s.environment.login_mode = login_mode;
  return std::make_unique<App>(
      s, load_fixture(kLoopbackFixture, "browser.yaml", [](const std::string&) { return std::nullopt; }), test_key(),
      clock);
}

// GET /authorize for web of kLoopbackFixture, query appended, with the Cookie header when given.
inline HttpResponse authorize_loopback(App& app, const std::string& query, const std::string& cookie = "") {
  HttpRequest req;
  req.method = "GET";
  req.path = "/api/auth/authorize";
  req.query = "response_type=code&client_id=web&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback&scope=openid&" + query;
  if (!cookie.empty()) req.headers.emplace_back("Cookie", cookie);
  return app.handle(req);
}

// A verifier and its S256 challenge (BASE64URL(SHA256(verifier)), computed independently).
constexpr char kVerifier[] = "dBjftJeZ4CK-zsAfTmXwnjRiDM3GEvTI6Tx0wqIaZz8M";
constexpr char kS256Challenge[] = "yXP6VVOkcToSw1TckqEK08Aa2X-CBkop2wyvxN19ioU";

struct Browser {
  explicit Browser(AppSettings settings = {}) : clock(kStart) {
    if (settings.environment.issuer.empty()) settings.environment.issuer = kIssuer;
    Fixture f = load_fixture(kBrowserFixture, "browser.yaml", [](const std::string&) { return std::nullopt; });
    app = std::make_unique<App>(settings, std::move(f), test_key(), clock);
  }
  FakeClock clock;
  std::unique_ptr<App> app;
  std::map<std::string, std::string> cookies;
  std::vector<std::string> set_cookies; // of the last response

  HttpResponse send(const std::string& method, const std::string& target, const std::string& body = "",
                    Headers headers = {}, bool with_cookies = true) {
    HttpRequest req = make_request(method, target, body, std::move(headers));
    if (!body.empty() && !req.header("Content-Type"))
      req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    std::string jar;
    for (const auto& [k, v] : cookies)
      jar += (jar.empty() ? "" : "; ") + k + "=" + v;
    if (with_cookies && !jar.empty()) req.headers.emplace_back("Cookie", jar);
    HttpResponse res = app->handle(req);
    set_cookies.clear();
    for (const auto& [k, v] : res.headers) {
      if (!iequals(k, "Set-Cookie")) continue;
      set_cookies.push_back(v);
      std::string pair = v.substr(0, v.find(';'));
      std::string name = pair.substr(0, pair.find('=')), value = pair.substr(pair.find('=') + 1);
      if (value.empty() || v.find("Max-Age=0") != std::string::npos) {
        cookies.erase(name);
      } else {
        cookies[name] = value;
      }
    }
    return res;
  }
  HttpResponse authorize(const std::string& query) { return send("GET", "/api/auth/authorize?" + query); }
  // The login page's hidden values.
  static std::string field(const std::string& html, const std::string& name) {
    std::smatch m;
    std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
    return std::regex_search(html, m, re) ? m[1].str() : "";
  }
  HttpResponse login(const std::string& page, const std::string& form) {
    return send("POST", "/api/auth/login",
                "request=" + field(page, "request") + "&csrf=" + field(page, "csrf") + "&" + form);
  }
  // A parameter of a redirect's query or fragment.
  static std::string answer(const HttpResponse& res, const std::string& name) {
    auto location = res.header("Location").value_or("");
    size_t start = location.find_first_of("?#");
    if (start == std::string::npos) return "";
    Params p = Params::parse(location.substr(start + 1), "answer");
    return p.get(name).value_or("");
  }
  HttpResponse token(const std::string& form, Headers headers = {}) {
    return send("POST", "/api/auth/oauth/token", form, std::move(headers), false);
  }
};

const std::string kWebQuery =
    "client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&state=st&nonce=nn&scope=openid";

} // namespace authemu::test
