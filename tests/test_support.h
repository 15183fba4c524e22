// Shared helpers of the tests: an App on a fake clock with the embedded test key and a fixture,
// requests built in one line, and JSON access.
#pragma once
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include "base/base64.h"
#include "base/clock.h"
#include "base/embedded.h"
#include "base/json.h"
#include "base/monotonic_clock.h"
#include "http/app.h"
#include "jose/key_store.h"
#include "stack/fixtures.h"

namespace authemu::test {

constexpr int64_t kStart = 1700000000; // the fake clock's start
constexpr char kIssuer[] = "http://localhost:8080/api/auth";

// The contents of tests/data/<name> (the tests run from the repository's top folder).
inline std::string read_test_data(const std::string& name) {
  std::ifstream in("tests/data/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open tests/data/" + name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline SigningKey test_key() {
  return SigningKey::from_pem(Algorithm::RS256, *embedded_file("test-signing-key.pem"));
}

constexpr char kFixture[] = R"(
clients:
  - id: testing
    secrets: [testing]
    grantTypes: [client_credentials, password, refresh_token]
  - id: ftl
    secrets: [ftl]
    grantTypes: [password, refresh_token]
    audience: ftl
    scopes: [ftl:read, ftl:write]
    userTokenLifetime: 2m
    refreshTokenLifetime: 10m
  - id: cconly
    secrets: [cconly]
    grantTypes: [client_credentials]
  - id: scoped
    secrets: [s3cret, "p+ss w%rd"]
    scopes: [ledger:read, ledger:write, payments:read]
  - id: short
    secrets: [short]
    accessTokenLifetime: 90s
  - id: spa
    public: true
    grantTypes: [password, refresh_token]
  - id: admin
    secrets: [admin]
    scopes: [auth:read, auth:write, ledger:read, ledger:write]
users:
  - id: u-alice
    username: alice
    password: alice
    email: alice@example.com
    name: Alice Admin
    groups: [ftl-admin, ftl]
    claims: {department: qa, level: 3, sub: not-me}
  - id: u-bob
    username: bob
    password: bob
    groups: [ftl]
)";

inline Fixture test_fixture() {
  return load_fixture(kFixture, "test.yaml", [](const std::string&) { return std::nullopt; });
}

// A request for target ("/path?query").
inline HttpRequest make_request(const std::string& method, const std::string& target, const std::string& body,
                                Headers headers) {
  HttpRequest req;
  req.method = method;
  size_t q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) req.query = target.substr(q + 1);
  req.body = body;
  req.headers = std::move(headers);
  return req;
}

struct TestApp {
  // monotonic: the App's transport clock (fault delays, journal latencies).
  explicit TestApp(AppSettings settings = {}, const MonotonicClock& monotonic = steady_clock()) : clock(kStart) {
    if (settings.environment.issuer.empty()) settings.environment.issuer = kIssuer;
    app = std::make_unique<App>(settings, test_fixture(), test_key(), clock, monotonic);
  }
  FakeClock clock;
  std::unique_ptr<App> app;

  HttpResponse request(const std::string& method, const std::string& target, const std::string& body = "",
                       Headers headers = {}) {
    HttpRequest req = make_request(method, target, body, std::move(headers));
    if (!body.empty() && !req.header("Content-Type")) {
      bool form = target.find("/oauth/") != std::string::npos || target.find("/revoke") != std::string::npos;
      req.headers.emplace_back("Content-Type", form ? "application/x-www-form-urlencoded" : "application/json");
    }
    return app->handle(req);
  }
  HttpResponse token(const std::string& form, Headers headers = {}) {
    return request("POST", "/api/auth/oauth/token", form, std::move(headers));
  }
  // A client_credentials token of testing/testing.
  std::string
  access_token(const std::string& form = "grant_type=client_credentials&client_id=testing&client_secret=testing") {
    HttpResponse res = token(form);
    if (res.status != 200) throw std::runtime_error("token request failed: " + res.body);
    return *find_string(parse(res.body), "access_token");
  }
  static JsonObject parse(const std::string& body) {
    std::string error;
    auto v = parse_json(body, &error);
    if (!v || !v->is<JsonObject>()) throw std::runtime_error("not a JSON object: " + body);
    return v->get<JsonObject>();
  }
};

inline Headers bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}
inline Headers basic(const std::string& id, const std::string& secret) {
  return {{"Authorization", "Basic " + base64_encode(id + ":" + secret)}};
}

// The claims of a JWT, decoded without any check.
inline JsonObject jwt_claims(const std::string& token) {
  size_t a = token.find('.'), b = token.find('.', a + 1);
  return TestApp::parse(*base64url_decode(token.substr(a + 1, b - a - 1)));
}
inline JsonObject jwt_header(const std::string& token) {
  return TestApp::parse(*base64url_decode(token.substr(0, token.find('.'))));
}

} // namespace authemu::test
