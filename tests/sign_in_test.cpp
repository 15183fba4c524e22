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
)";

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
