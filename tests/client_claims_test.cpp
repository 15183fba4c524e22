#include <catch2/catch.hpp>

#include "base/config_error.h"
#include "cli/startup.h"
#include "oauth/client_claims.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

Fixture load(const std::string& text) {
  return load_fixture(text, "f.yaml", [](const std::string&) { return std::nullopt; });
}

// The test fixture plus a machine client with its own claims, and the platform of a jwt-bearer
// and token-exchange round.
constexpr char kFixture[] = R"(
clients:
  - id: ftl-client
    secrets: [ftl-client]
    grantTypes: [client_credentials, password, refresh_token]
    audience: ftl
    username: ftl-service
    groups: [ftl, ftl-internal]
    claims: {tier: gold, level: 3, group: overridden}
  - {id: plain, secrets: [plain]}
users:
  - {id: u-alice, username: alice, password: alice, groups: [ftl-admin, ftl], claims: {department: qa}}
environments:
  sandbox:
    signingKey: embedded:test-signing-key-sandbox.pem
    clients:
      - {id: ci, secrets: [ci], groups: [ftl], username: sandbox-ci}
platform:
  signingKey: embedded:test-signing-key-platform.pem
  clients:
    - {id: ci, secrets: [ci], environments: [sandbox], groups: [ftl-admin], username: platform-ci,
       claims: {team: ops}}
)";

struct ClaimsApp {
  ClaimsApp() : clock(kStart) {
    Options options;
    AppSettings settings;
    settings.environment.issuer = kIssuer;
    app = std::make_unique<App>(settings, environment_specs(options, settings, load(kFixture), test_key()), clock);
  }
  HttpResponse request(const std::string& method, const std::string& path, const std::string& body,
                       Headers headers = {}) {
    HttpRequest req = make_request(method, path, body, std::move(headers));
    req.headers.emplace_back("Content-Type", path.find("/oauth/") != std::string::npos
                                                 ? "application/x-www-form-urlencoded"
                                                 : "application/json");
    return app->handle(req);
  }
  JsonObject token_claims(const std::string& path, const std::string& form) {
    HttpResponse res = request("POST", path, form);
    INFO(res.body);
    REQUIRE(res.status == 200);
    return jwt_claims(*find_string(TestApp::parse(res.body), "access_token"));
  }
  FakeClock clock;
  std::unique_ptr<App> app;
};

} // namespace

TEST_CASE("client claims: fixtures read claims, groups and username") {
  Fixture f = load("clients:\n  - id: a\n    claims: {x: 1, y: [a]}\n    groups: [ftl]\n    username: svc\n");
  const Client& c = f.clients[0];
  CHECK(dump_json(Json(c.claims)) == R"({"x":1,"y":["a"]})");
  CHECK(c.groups == std::vector<std::string>{"ftl"});
  CHECK(*c.username == "svc");
  CHECK(f.warnings.empty()); // no longer "unknown key, ignored"
  CHECK_FALSE(load("clients: [{id: b}]\n").clients[0].username);
}

TEST_CASE("client claims: a reserved claim is a start-up error naming the field") {
  for (const char* claim : {"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "cnf"}) {
    std::string name(claim);
    CHECK_THROWS_WITH(load("clients:\n  - id: a\n    claims:\n      ok: 1\n      " + name + ": x\n"),
                      "f.yaml:5: clients[0].claims." + name + ": reserved: authemu sets " + name + " itself");
  }
  CHECK_THROWS_WITH(load("clients:\n  - id: a\n    claims: [x]\n"), "f.yaml:3: clients[0].claims: expected a map");
  CHECK_THROWS_WITH(load("clients:\n  - id: a\n    groups: ftl\n"),
                    "f.yaml:3: clients[0].groups: expected a list of strings");
  CHECK_THROWS_WITH(load("clients:\n  - id: a\n    username: [x]\n"),
                    "f.yaml:3: clients[0].username: expected a string");
  CHECK_THROWS_WITH(load("environments:\n  e:\n    clients:\n      - id: a\n        claims: {scope: x}\n"),
                    "f.yaml:5: environments.e.clients[0].claims.scope: reserved: authemu sets scope itself");
  CHECK(is_reserved_claim("cnf"));
  CHECK_FALSE(is_reserved_claim("group"));
}

TEST_CASE("client claims: into client credentials tokens; a user's token keeps the user's") {
  ClaimsApp a;
  JsonObject c = a.token_claims("/api/auth/oauth/token",
                                "grant_type=client_credentials&client_id=ftl-client&client_secret=ftl-client");
  CHECK(dump_json(c.at("group")) == R"(["ftl","ftl-internal"])"); // groups win over claims.group
  CHECK(*find_string(c, "preferred_username") == "ftl-service");
  CHECK(*find_string(c, "tier") == "gold");
  CHECK(*find_int(c, "level") == 3);
  CHECK(dump_json(c.at("aud")) == R"(["ftl"])");
  CHECK(*find_string(c, "sub") == "ftl-client");

  JsonObject u = a.token_claims("/api/auth/oauth/token", "grant_type=password&client_id=ftl-client&client_secret=ftl-"
                                                         "client&username=alice&password=alice");
  CHECK(dump_json(u.at("group")) == R"(["ftl-admin","ftl"])");
  CHECK(*find_string(u, "preferred_username") == "alice");
  CHECK(*find_string(u, "department") == "qa");
  CHECK(u.count("tier") == 0);
  CHECK(u.count("level") == 0);
  CHECK(dump_json(u.at("aud")) == R"(["ftl"])");

  // A client without any: none of these claims.
  JsonObject p =
      a.token_claims("/api/auth/oauth/token", "grant_type=client_credentials&client_id=plain&client_secret=plain");
  CHECK(p.count("group") == 0);
  CHECK(p.count("preferred_username") == 0);
}

TEST_CASE("client claims: token exchange and jwt-bearer without a user carry the client's") {
  ClaimsApp a;
  std::string platform =
      *find_string(TestApp::parse(a.request("POST", "/platform/oauth/token",
                                            "grant_type=client_credentials&client_id=ci&client_secret=ci")
                                      .body),
                   "access_token");
  JsonObject pc = jwt_claims(platform);
  CHECK(dump_json(pc.at("group")) == R"(["ftl-admin"])");
  CHECK(*find_string(pc, "team") == "ops");

  JsonObject exchanged =
      a.token_claims("/platform/oauth/token",
                     "grant_type=urn:ietf:params:oauth:grant-type:token-exchange&subject_token=" + platform +
                         "&subject_token_type=urn:ietf:params:oauth:token-type:access_token&audience=sandbox");
  CHECK(dump_json(exchanged.at("group")) == R"(["ftl-admin"])"); // the platform's client ci
  CHECK(*find_string(exchanged, "preferred_username") == "platform-ci");
  CHECK(*find_string(exchanged, "team") == "ops");

  // At the sandbox, the token goes to its own client ci: its claims.
  JsonObject bearer = a.token_claims("/sandbox/api/auth/oauth/token",
                                     "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=" + platform +
                                         "&client_id=ci&client_secret=ci");
  CHECK(dump_json(bearer.at("group")) == R"(["ftl"])");
  CHECK(*find_string(bearer, "preferred_username") == "sandbox-ci");
  CHECK(bearer.count("team") == 0);
}

TEST_CASE("client claims: the management API's authemu fields") {
  TestApp t;
  Headers auth = bearer(t.access_token());
  HttpResponse created =
      t.request("POST", "/api/auth/clients",
                R"({"id":"svc","secrets":[],"claims":{"tier":"gold"},"groups":["ftl"],"username":"svc-user"})", auth);
  REQUIRE(created.status == 201);
  JsonObject c = TestApp::parse(created.body).at("data").get<JsonObject>();
  CHECK(dump_json(c.at("claims")) == R"({"tier":"gold"})");
  CHECK(dump_json(c.at("groups")) == R"(["ftl"])");
  CHECK(*find_string(c, "username") == "svc-user");
  // A client without them shows none.
  JsonObject plain =
      TestApp::parse(t.request("POST", "/api/auth/clients", R"({"id":"p"})", auth).body).at("data").get<JsonObject>();
  CHECK(plain.count("claims") == 0);
  CHECK(plain.count("groups") == 0);
  CHECK(plain.count("username") == 0);

  auto refused = [&](const std::string& body, const std::string& message) {
    HttpResponse r = t.request("POST", "/api/auth/clients", body, auth);
    CHECK(r.status == 400);
    CHECK(r.body == R"({"errorCode":"VALIDATION","errorMessage":")" + message + "\"}");
  };
  refused(R"({"id":"x","claims":{"aud":"y"}})", "claims.aud: reserved: authemu sets aud itself");
  refused(R"({"id":"x","claims":[1]})", "claims: expected an object");
  refused(R"({"id":"x","claims":{"big":")" + std::string(9000, 'a') + "\"}}", "claims: larger than 8192 bytes");
  refused(R"({"id":"x","groups":"ftl"})", "groups: expected an array of strings");
  refused(R"({"id":"x","username":1})", "username: expected a string");
  CHECK(t.request("GET", "/api/auth/clients/x", "", auth).status == 404);
}
