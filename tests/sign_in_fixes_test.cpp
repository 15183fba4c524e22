#include <catch2/catch.hpp>

#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

constexpr char kBrowserFixture[] = R"(
clients:
  - id: web
    secrets: [web]
    redirectUris: [http://127.0.0.1/callback]
    postLogoutRedirectUris: [http://127.0.0.1/, http://localhost:3000/]
users:
  - {id: u-alice, username: alice, password: alice}
)";

std::unique_ptr<App> browser_app(const Clock& clock, const std::string& login_mode = "page") {
  AppSettings s;
  s.environment.issuer = kIssuer;
  s.environment.login_mode = login_mode;
  return std::make_unique<App>(
      s, load_fixture(kBrowserFixture, "browser.yaml", [](const std::string&) { return std::nullopt; }), test_key(),
      clock);
}

HttpResponse authorize(App& app, const std::string& query, const std::string& cookie = "") {
  HttpRequest req;
  req.method = "GET";
  req.path = "/api/auth/authorize";
  req.query = "response_type=code&client_id=web&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback&scope=openid&" + query;
  if (!cookie.empty()) req.headers.emplace_back("Cookie", cookie);
  return app.handle(req);
}

HttpResponse end_session(App& app, const std::string& query) {
  HttpRequest req;
  req.method = "GET";
  req.path = "/api/auth/end_session";
  req.query = query;
  return app.handle(req);
}

} // namespace

TEST_CASE("sign_in: post_logout_redirect_uri matches as redirect URIs do (any port on loopback IPs)") {
  FakeClock clock(kStart);
  AppSettings s;
  s.environment.issuer = kIssuer;
  App app(s, load_fixture(kBrowserFixture, "browser.yaml", [](const std::string&) { return std::nullopt; }), test_key(),
          clock);

  SECTION("the registered URI") {
    HttpResponse res = end_session(app, "client_id=web&post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%2F&state=s");
    CHECK(res.status == 302);
    CHECK(res.header("Location") == "http://127.0.0.1/?state=s");
  }
  SECTION("a loopback IP on another port (RFC 8252 §7.3)") {
    HttpResponse res =
        end_session(app, "client_id=web&post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A49152%2F&state=s");
    CHECK(res.status == 302);
    CHECK(res.header("Location") == "http://127.0.0.1:49152/?state=s");
  }
  SECTION("refused: another path, a host name on another port, another address") {
    for (const char* uri : {"http%3A%2F%2F127.0.0.1%3A49152%2Fother", "http%3A%2F%2Flocalhost%3A3001%2F",
                            "http%3A%2F%2F127.0.0.10%2F", "https%3A%2F%2F127.0.0.1%3A49152%2F"}) {
      HttpResponse res = end_session(app, std::string("client_id=web&post_logout_redirect_uri=") + uri);
      INFO(uri);
      CHECK(res.status == 400);
      CHECK(res.body.find("post_logout_redirect_uri invalid") != std::string::npos);
    }
  }
}

TEST_CASE("sign_in: max_age decides whether the session signs in again (OIDC Core §3.1.2.1)") {
  FakeClock clock(kStart);
  auto app_ptr = browser_app(clock, "auto");
  App& app = *app_ptr;
  HttpResponse first = authorize(app, "");
  REQUIRE(first.status == 302);
  std::string cookie;
  for (const auto& [name, value] : first.headers) {
    if (iequals(name, "Set-Cookie") && value.rfind("authemu_sid_default=", 0) == 0)
      cookie = value.substr(0, value.find(';'));
  }
  REQUIRE(!cookie.empty());
  auto answer = [&](const std::string& query) {
    std::string location = authorize(app, "prompt=none&" + query, cookie).header("Location").value_or("");
    return location.substr(0, location.find('=', location.find('?')));
  };

  SECTION("max_age=0 is prompt=login, even within the second of the sign-in") {
    CHECK(answer("") == "http://127.0.0.1/callback?code");
    CHECK(answer("max_age=0") == "http://127.0.0.1/callback?error");
  }
  SECTION("a session exactly max_age old still counts; one second more does not") {
    clock.advance(60);
    CHECK(answer("max_age=60") == "http://127.0.0.1/callback?code");
    clock.advance(1);
    CHECK(answer("max_age=60") == "http://127.0.0.1/callback?error");
  }
}

namespace {
std::string hidden_value(const std::string& html, const std::string& name) {
  std::string key = "name=\"" + name + "\" value=\"";
  size_t i = html.find(key);
  if (i == std::string::npos) return "";
  i += key.size();
  return html.substr(i, html.find('"', i) - i);
}
std::string set_cookie(const HttpResponse& res, const std::string& name) {
  for (const auto& [header, value] : res.headers) {
    if (iequals(header, "Set-Cookie") && value.rfind(name + "=", 0) == 0) return value.substr(0, value.find(';'));
  }
  return "";
}
} // namespace

TEST_CASE("sign_in: two login pages open in one browser both sign in") {
  FakeClock clock(kStart);
  auto app_ptr = browser_app(clock);
  App& app = *app_ptr;
  HttpResponse first = authorize(app, "state=one");
  REQUIRE(first.status == 200);
  std::string cookie = set_cookie(first, "authemu_login_default");
  REQUIRE(!cookie.empty());
  HttpResponse second = authorize(app, "state=two", cookie);
  REQUIRE(second.status == 200);
  CHECK(set_cookie(second, "authemu_login_default") == cookie); // the browser's binding is kept

  auto submit = [&](const HttpResponse& page) {
    HttpRequest req;
    req.method = "POST";
    req.path = "/api/auth/login";
    req.body = "action=user&user=u-alice&request=" + hidden_value(page.body, "request") +
               "&csrf=" + hidden_value(page.body, "csrf");
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}};
    return app.handle(req);
  };
  HttpResponse a = submit(first);
  CHECK(a.status == 302);
  CHECK(a.header("Location").value_or("").find("state=one") != std::string::npos);
  HttpResponse b = submit(second);
  CHECK(b.status == 302);
  CHECK(b.header("Location").value_or("").find("state=two") != std::string::npos);

  SECTION("a binding cookie of another shape is replaced") {
    HttpResponse res = authorize(app, "state=three", "authemu_login_default=short");
    CHECK(set_cookie(res, "authemu_login_default").size() == std::string("authemu_login_default=").size() + 43);
  }
}
