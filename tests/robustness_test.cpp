// Random and mutated requests against App::handle: whatever comes in, the answer is a well-formed
// 2xx/4xx response (never a 500 or a crash), JSON bodies parse, and the server keeps working.
#include <catch2/catch.hpp>

#include <random>

#include "cli/startup.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

class Garbage {
 public:
  explicit Garbage(uint32_t seed) : rng_(seed) {}
  size_t below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  template <typename T>
  const T& pick(const std::vector<T>& items) { return items[below(items.size())]; }
  std::string bytes(size_t max) {
    std::string s(below(max + 1), '\0');
    for (auto& c : s) c = char(below(256));
    return s;
  }
  // A string with mutations: a byte flipped, cut, doubled, or garbage appended.
  std::string mutate(std::string s) {
    switch (below(6)) {
      case 0: if (!s.empty()) s[below(s.size())] ^= char(1 + below(255)); break;
      case 1: s = s.substr(0, below(s.size() + 1)); break;
      case 2: s += s; break;
      case 3: s += bytes(16); break;
      case 4: s.insert(below(s.size() + 1), pick<std::string>({"%", "%zz", "&", "=", "\"", "\\", "{", "[", "\x00", "+", " "})); break;
      default: break;
    }
    return s;
  }

 private:
  std::mt19937 rng_;
};

}  // namespace

TEST_CASE("robustness: random and mutated requests never give a 500 or an exception") {
  TestApp t;
  SECTION("the default fixture: environments and platform too") {
    // The embedded default fixture has the sandbox environment and the platform.
    Options options;
    AppSettings settings;
    settings.environment.issuer = kIssuer;
    t.app = std::make_unique<App>(settings,
                                  environment_specs(options, settings, load_fixture_option(options, [](const std::string&) {
                                                      return std::optional<std::string>();
                                                    }),
                                                    test_key()),
                                  t.clock);
  }
  SECTION("the test fixture") {}
  Garbage g(20261126);
  std::string token = t.access_token();
  std::string refresh = *find_string(TestApp::parse(t.token("grant_type=password&username=alice&password=alice",
                                                            basic("testing", "testing")).body),
                                     "refresh_token");
  const std::vector<std::string> methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "BREW", ""};
  const std::vector<std::string> paths = {
      "/api/auth/oauth/token", "/oauth/token", "/api/auth/oauth/introspect", "/api/auth/revoke", "/api/auth/userinfo",
      "/api/auth/clients", "/api/auth/clients/testing", "/api/auth/clients/x/secrets", "/api/auth/clients/x/secrets/y",
      "/api/auth/users", "/api/auth/users/u-alice", "/api/auth/keys", "/api/auth/.well-known/openid-configuration",
      "/.well-known/oauth-authorization-server/api/auth", "/api/ledger/v2/x", "/api/", "/api//", "/", "", "/_info",
      "/sandbox/api/auth/oauth/token", "/sandbox/api/auth/clients", "/platform/oauth/token", "/platform/keys",
      "/.well-known/oauth-authorization-server/sandbox/api/auth", "/sandbox", "/sandbox/api/ledger/x", "/platform/userinfo",
      "/_authemu", "/_authemu/clock", "/_authemu/mint", "/_authemu/reset", "/_authemu/journal", "/_authemu/faults",
      "/_authemu/faults/f1", "/_authemu/keys", "/_authemu/keys/rotate"};
  const std::string exchange = "grant_type=urn:ietf:params:oauth:grant-type:token-exchange&client_id=fctl&subject_token=" +
                               token + "&subject_token_type=urn:ietf:params:oauth:token-type:access_token&audience=sandbox";
  const std::vector<std::string> forms = {
      exchange, "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=" + token,
      "grant_type=client_credentials&client_id=testing&client_secret=testing",
      "grant_type=password&username=alice&password=alice&scope=openid+profile",
      "grant_type=refresh_token&refresh_token=" + refresh, "token=" + token, "token=" + refresh + "&token_type_hint=refresh_token",
      R"({"name":"x","scopes":["a"],"metadata":{"k":"v"},"public":true})", R"({"id":"fuzz","redirectUris":[1,2]})",
      R"({"advance":"1h","environment":"sandbox"})", R"({"case":"expired","claims":{"a":1},"header":{"kid":null}})",
      R"({"endpoint":"token","error":"invalid_grant","count":3})", R"({"set":"2030-01-01T00:00:00Z","freeze":true})"};
  const std::vector<std::string> auths = {"Basic " + base64_encode("testing:testing"), "Bearer " + token, "Basic",
                                          "Bearer", "bearer  " + token, "Basic " + base64_encode("testing"),
                                          "Digest x"};
  const std::vector<std::string> types = {"application/x-www-form-urlencoded", "application/json", "text/plain",
                                          "application/x-www-form-urlencoded; charset=utf-8", ""};
  // Every request is sent; the failures are counted and the first ones shown, so one run tells
  // how many inputs give a 5xx (or a status below 200) or an exception, not just the first.
  int server_errors = 0, exceptions = 0, bad_json = 0;
  std::string examples;
  auto note = [&](const HttpRequest& req, const std::string& what) {
    if (server_errors + exceptions <= 5) examples += req.method + " " + req.path + ": " + what + "\n";
  };
  for (int i = 0; i < 4000; ++i) {
    HttpRequest req;
    req.method = g.pick(methods);
    req.path = g.below(4) == 0 ? g.mutate(g.pick(paths)) : g.pick(paths);
    if (g.below(3) == 0) req.query = g.mutate(g.pick(forms));
    if (g.below(4) != 0) req.body = g.below(3) == 0 ? g.bytes(64) : g.mutate(g.pick(forms));
    if (g.below(3) != 0) req.headers.emplace_back("Authorization", g.below(3) == 0 ? g.mutate(g.pick(auths)) : g.pick(auths));
    if (g.below(4) != 0) req.headers.emplace_back("Content-Type", g.pick(types));
    if (g.below(8) == 0) req.headers.emplace_back("Origin", g.mutate("http://localhost:3000"));
    if (g.below(6) == 0) req.headers.emplace_back("Host", g.mutate("sandbox.localhost:8080"));
    if (g.below(8) == 0) req.headers.emplace_back("X-Forwarded-Host", g.mutate("platform.example.com"));
    if (g.below(8) == 0) req.headers.emplace_back("X-Forwarded-Proto", g.mutate("https"));
    HttpResponse res;
    try {
      res = t.app->handle(req);
    } catch (const std::exception& e) {
      ++exceptions;
      note(req, std::string("exception: ") + e.what());
      continue;
    }
    if (res.status < 200 || res.status >= 500) {
      ++server_errors;
      note(req, std::to_string(res.status) + " " + res.body.substr(0, 200));
    }
    auto type = res.header("Content-Type");
    if (type && *type == "application/json" && !res.body.empty()) {
      std::string error;
      if (!parse_json(res.body, &error)) ++bad_json;
    }
    if (g.below(50) == 0) t.clock.advance(int64_t(g.below(400)));
  }
  INFO("first failures:\n" << examples);
  CHECK(server_errors == 0);
  CHECK(exceptions == 0);
  CHECK(bad_json == 0);
  // Still serving.
  CHECK(t.token("grant_type=client_credentials", basic("testing", "testing")).status == 200);
}
