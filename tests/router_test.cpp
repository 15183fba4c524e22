#include <catch2/catch.hpp>
#include <stdexcept>

#include "http/router.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

HttpResponse ok_route(RouteCall&) {
  HttpResponse res;
  res.json(200, "{}");
  return res;
}

HttpResponse throwing_route(RouteCall&) {
  throw std::runtime_error("boom");
}

// The default route table with one row's handler replaced.
std::vector<Route> with_handler(const std::string& pattern, RouteHandler handler) {
  std::vector<Route> routes = default_routes();
  bool found = false;
  for (Route& r : routes) {
    if (r.pattern == pattern) {
      r.handler = handler;
      found = true;
    }
  }
  if (!found) throw std::logic_error("no row " + pattern);
  return routes;
}

std::unique_ptr<App> app_with(std::vector<Route> routes, const Clock& clock) {
  AppSettings s;
  s.environment.issuer = kIssuer;
  Fixture f = test_fixture();
  std::vector<EnvironmentSpec> specs;
  specs.push_back(EnvironmentSpec{s.environment, std::move(f.clients), std::move(f.users), test_key()});
  return std::make_unique<App>(s, std::move(specs), clock, std::move(routes));
}

HttpResponse send(App& app, const std::string& method, const std::string& path, Headers headers = {}) {
  HttpRequest req;
  req.method = method;
  req.path = path;
  req.headers = std::move(headers);
  return app.handle(req);
}

} // namespace

TEST_CASE("router: a pattern's rows give its Allow list and the row for each method") {
  Router r({{Area::management, "GET, HEAD", "/clients", ok_route},
            {Area::management, "POST", "/clients", ok_route},
            {Area::management, "GET, HEAD", "/clients/{}", ok_route},
            {Area::management, "DELETE", "/clients/{}/secrets/{}", ok_route},
            {Area::service, "*", "/api/{}/*", ok_route}});
  const std::vector<Area> env = {Area::management};

  Router::Match post = r.match(env, "/clients", "POST");
  REQUIRE(post.route != nullptr);
  CHECK(std::string(post.route->methods) == "POST");
  CHECK(post.allow == "GET, HEAD, POST");

  Router::Match put = r.match(env, "/clients", "PUT");
  CHECK(put.route == nullptr);
  REQUIRE(put.path != nullptr);
  CHECK(put.allow == "GET, HEAD, POST");

  SECTION("{} takes one non-empty segment") {
    Router::Match m = r.match(env, "/clients/c1/secrets/s1", "DELETE");
    REQUIRE(m.route != nullptr);
    CHECK(m.params == std::vector<std::string>{"c1", "s1"});
    CHECK(r.match(env, "/clients/", "GET").path == nullptr);
    CHECK(r.match(env, "/clients/c1/", "GET").path == nullptr);
    CHECK(r.match(env, "/clients/c1/secrets", "DELETE").path == nullptr);
  }
  SECTION("a last * takes the rest, / when nothing is left") {
    const std::vector<Area> service = {Area::service};
    CHECK(r.match(service, "/api/ledger/v2/x", "PATCH").params == std::vector<std::string>{"ledger", "/v2/x"});
    CHECK(r.match(service, "/api/ledger", "GET").params == std::vector<std::string>{"ledger", "/"});
    CHECK(r.match(service, "/api/ledger/", "GET").params == std::vector<std::string>{"ledger", "/"});
    CHECK(r.match(service, "/api/", "GET").path == nullptr);
  }
  SECTION("rows of other areas are not seen") {
    CHECK(r.match({Area::admin}, "/clients", "GET").path == nullptr);
  }
}

TEST_CASE("router: the OAuth 405 text names what the route takes") {
  CHECK(method_hint("POST") == "this endpoint accepts POST only");
  CHECK(method_hint("GET, HEAD") == "use GET");
  CHECK(method_hint("GET, HEAD, POST") == "use GET or POST");
}

TEST_CASE("router: every row of the default table has a handler, and OAuth rows name their endpoint") {
  for (const Route& r : default_routes()) {
    INFO(r.pattern);
    CHECK(r.handler != nullptr);
    if (r.needs.client != Needs::Client::none) CHECK(r.needs.form != Needs::Form::none); // the client's form
    if (r.area == Area::oauth) {
      REQUIRE(r.endpoint != nullptr);
      CHECK(is_fault_endpoint(r.endpoint));
    }
  }
}

TEST_CASE("router: an unexpected exception is a logged 500 in the shape of the route's API") {
  FakeClock clock(kStart);
  SECTION("admin API: Formance shape") {
    auto app = app_with(with_handler("/_authemu/reset", throwing_route), clock);
    HttpResponse res = send(*app, "POST", "/_authemu/reset");
    CHECK(res.status == 500);
    CHECK(find_string(TestApp::parse(res.body), "errorCode") == "INTERNAL");
    CHECK(find_string(TestApp::parse(res.body), "errorMessage") == "internal error");
  }
  SECTION("stand-in: OAuth shape, after authentication") {
    auto app = app_with(with_handler("/api/{}/*", throwing_route), clock);
    CHECK(send(*app, "GET", "/api/ledger/v2").status == 401);
    TestApp t;
    HttpResponse res = send(*app, "GET", "/api/ledger/v2", bearer(t.access_token()));
    CHECK(res.status == 500);
    CHECK(find_string(TestApp::parse(res.body), "error") == "server_error");
  }
  SECTION("management: Formance shape, after authentication") {
    auto app = app_with(with_handler("/users", throwing_route), clock);
    CHECK(send(*app, "GET", "/api/auth/users").status == 401);
    TestApp t;
    HttpResponse res = send(*app, "GET", "/api/auth/users", bearer(t.access_token()));
    CHECK(res.status == 500);
    CHECK(find_string(TestApp::parse(res.body), "errorCode") == "INTERNAL");
  }
  SECTION("OAuth endpoint: RFC 6749 shape, no-store, and the journal sees the 500") {
    auto app = app_with(with_handler("/oauth/token", throwing_route), clock);
    HttpResponse res = send(*app, "POST", "/api/auth/oauth/token");
    CHECK(res.status == 500);
    CHECK(find_string(TestApp::parse(res.body), "error") == "server_error");
    CHECK(res.header("Cache-Control") == "no-store");
    JsonObject journal = TestApp::parse(send(*app, "GET", "/_authemu/journal").body);
    JsonObject entry = journal.at("entries").get<JsonArray>().back().get<JsonObject>();
    CHECK(find_int(entry, "status") == 500);
    CHECK(find_string(entry, "outcome") == "server_error");
  }
}

TEST_CASE("router: the admin index lists each admin row's methods but HEAD, the index left out") {
  auto lines = admin_index(default_routes());
  REQUIRE(lines.size() == 39);
  CHECK(lines.front() == "GET /_authemu/clock");
  CHECK(lines[10] == "DELETE /_authemu/faults/{id}");
  CHECK(lines[12] == "GET /_authemu/journal/stream");
  CHECK(lines[15] == "POST /_authemu/explain");
  CHECK(lines[28] == "POST /_authemu/devices/{user_code}/deny");
  CHECK(lines[29] == "GET /_authemu/environments");
  CHECK(lines[32] == "GET /_authemu/export/{format}");
  CHECK(lines[33] == "GET /_authemu/console");
  CHECK(lines[36] == "GET /_authemu/ca.pem");
  CHECK(lines[37] == "POST /_authemu/tls/client-certs");
  CHECK(lines.back() == "POST /_authemu/registration-tokens");
  Router router(default_routes());
  Router::Match m = router.match({Area::admin}, "/_authemu/sessions/abc", "DELETE");
  REQUIRE(m.route != nullptr);
  CHECK(m.params == std::vector<std::string>{"abc"});
  CHECK(router.match({Area::admin}, "/_authemu/clock", "PUT").allow == "GET, POST, DELETE");
}
