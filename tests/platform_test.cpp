#include <catch2/catch.hpp>

#include "cli/startup.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

constexpr char kPlatformFixture[] = R"(
clients:
  - {id: testing, secrets: [testing]}
environments:
  sandbox:
    signingKey: embedded:test-signing-key-sandbox.pem
    clients: [{id: testing, secrets: [testing]}]
  other:
    signingKey: tests/data/pkcs8-rsa-2048.pem
platform:
  signingKey: embedded:test-signing-key-platform.pem
  clients:
    - {id: fctl, public: true, grantTypes: [password, "urn:ietf:params:oauth:grant-type:token-exchange"],
       scopes: [ledger:read, auth:read]}
    - {id: ci, secrets: [ci], environments: [sandbox], scopes: [ledger:read, auth:write]}
  users:
    - {id: m-alice, username: alice, password: alice, email: alice@example.com, environments: [default, sandbox]}
)";

constexpr char kJwtBearer[] = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr char kExchange[] = "urn:ietf:params:oauth:grant-type:token-exchange";
const std::string kBase = "http://localhost:8080";

struct PlatformApp {
  PlatformApp() : clock(kStart) {
    Options options;
    AppSettings settings;
    settings.environment.issuer = kIssuer;
    Fixture f = load_fixture(kPlatformFixture, "p.yaml", [](const std::string&) { return std::nullopt; });
    app = std::make_unique<App>(settings, environment_specs(options, settings, std::move(f), test_key()), clock);
  }
  HttpResponse post(const std::string& path, const std::string& form, Headers headers = {}) {
    HttpRequest req;
    req.method = "POST";
    req.path = path;
    req.body = form;
    req.headers = std::move(headers);
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return app->handle(req);
  }
  JsonObject ok(const HttpResponse& res) {
    INFO(res.body);
    REQUIRE(res.status == 200);
    return TestApp::parse(res.body);
  }
  std::string member_token(const std::string& scope = "openid+email+ledger:read") {
    return *find_string(ok(post("/platform/oauth/token",
                                "grant_type=password&client_id=fctl&username=alice&password=alice&scope=" + scope)),
                        "access_token");
  }
  HttpResponse bearer_grant(const std::string& env_path, const std::string& assertion) {
    return post(env_path + "/oauth/token",
                std::string("grant_type=") + kJwtBearer + "&scope=openid+email&assertion=" + assertion);
  }
  // A token signed by the platform key with any claims.
  std::string platform_signed(const JsonObject& claims) {
    return app->find_environment("platform")->keys().sign(claims, "at+jwt");
  }
  FakeClock clock;
  std::unique_ptr<App> app;
};

// The claims of a platform token the sandbox's jwt-bearer grant accepts, for a minute.
JsonObject sandbox_assertion_claims() {
  JsonObject c;
  c["iss"] = json_string(kBase + "/platform");
  c["sub"] = json_string("m-alice");
  c["aud"] = json_string_array({kBase + "/sandbox/api/auth"});
  c["exp"] = json_int(kStart + 60);
  c["scope"] = json_string("ledger:read");
  return c;
}

std::string error_description(const HttpResponse& res) {
  return find_string(TestApp::parse(res.body), "error_description").value_or("");
}

} // namespace

TEST_CASE("platform: tokens name the environments they can be exchanged for") {
  PlatformApp p;
  JsonObject d =
      TestApp::parse(p.app->handle(HttpRequest{"GET", "/platform/.well-known/openid-configuration", "", {}, ""}).body);
  CHECK(*find_string(d, "issuer") == kBase + "/platform");
  CHECK_THAT(dump_json(d.at("grant_types_supported")), Catch::Contains(kExchange));
  JsonObject env_d = TestApp::parse(
      p.app->handle(HttpRequest{"GET", "/sandbox/api/auth/.well-known/openid-configuration", "", {}, ""}).body);
  CHECK_THAT(dump_json(env_d.at("grant_types_supported")), Catch::Contains(kJwtBearer));

  JsonObject member = jwt_claims(p.member_token());
  CHECK(*find_string(member, "iss") == kBase + "/platform");
  CHECK(*find_string(member, "sub") == "m-alice");
  CHECK(dump_json(member.at("aud")) ==
        R"(["http://localhost:8080/api/auth","http://localhost:8080/sandbox/api/auth"])");
  JsonObject ci = jwt_claims(*find_string(
      p.ok(p.post("/platform/oauth/token", "grant_type=client_credentials&scope=ledger:read", basic("ci", "ci"))),
      "access_token"));
  CHECK(dump_json(ci.at("aud")) == R"(["http://localhost:8080/sandbox/api/auth"])");
}

TEST_CASE("platform: jwt-bearer turns a platform token into an environment token") {
  PlatformApp p;
  std::string platform = p.member_token();
  JsonObject env = p.ok(p.bearer_grant("/sandbox/api/auth", platform));
  CHECK(*find_int(env, "expires_in") == 300);
  CHECK(*find_string(env, "scope") == "openid ledger:read"); // email is dropped, as Formance does
  std::string token = *find_string(env, "access_token");
  JsonObject c = jwt_claims(token);
  CHECK(*find_string(c, "iss") == kBase + "/sandbox/api/auth");
  CHECK(*find_string(c, "sub") == "m-alice");
  CHECK(*find_int(c, "exp") == kStart + 300);
  HttpRequest mgmt{"GET", "/sandbox/api/auth/clients", "", bearer(token), ""};
  CHECK(p.app->handle(mgmt).status == 200);
  HttpRequest wrong_env{"GET", "/other/api/auth/clients", "", bearer(token), ""};
  CHECK(p.app->handle(wrong_env).status == 401);
  SECTION("client authentication is optional, and checked when sent") {
    CHECK(p.post("/sandbox/api/auth/oauth/token", std::string("grant_type=") + kJwtBearer + "&assertion=" + platform,
                 basic("testing", "testing"))
              .status == 200);
    CHECK(p.post("/sandbox/api/auth/oauth/token", std::string("grant_type=") + kJwtBearer + "&assertion=" + platform,
                 basic("testing", "wrong"))
              .status == 401);
  }
}

TEST_CASE("platform: each failed jwt-bearer check is invalid_grant saying which") {
  PlatformApp p;
  auto refused = [&](const std::string& env_path, const std::string& assertion, const std::string& why) {
    HttpResponse res = p.bearer_grant(env_path, assertion);
    CHECK(res.status == 400);
    CHECK(*find_string(TestApp::parse(res.body), "error") == "invalid_grant");
    CHECK(error_description(res) == why);
  };
  JsonObject good = sandbox_assertion_claims();
  CHECK(p.bearer_grant("/sandbox/api/auth", p.platform_signed(good)).status == 200);

  SECTION("wrong issuer") {
    JsonObject c = good;
    c["iss"] = json_string("http://evil/platform");
    refused("/sandbox/api/auth", p.platform_signed(c),
            "assertion issuer http://evil/platform is not the platform issuer http://localhost:8080/platform");
  }
  SECTION("wrong key: an environment's own token, or any other key") {
    std::string env_token = *find_string(
        p.ok(p.post("/sandbox/api/auth/oauth/token", "grant_type=client_credentials", basic("testing", "testing"))),
        "access_token");
    refused("/sandbox/api/auth", env_token,
            "assertion issuer http://localhost:8080/sandbox/api/auth is not the platform issuer "
            "http://localhost:8080/platform");
    JsonObject header;
    header["alg"] = json_string("RS256");
    header["kid"] = json_string(p.app->find_environment("platform")->keys().active().kid());
    refused("/sandbox/api/auth", sign_jws(SigningKey::generate(Algorithm::RS256), header, good),
            "assertion signature does not verify with the platform's key");
  }
  SECTION("wrong audience") {
    refused("/other/api/auth", p.platform_signed(good),
            "assertion audience does not contain this environment's issuer http://localhost:8080/other/api/auth");
    JsonObject c = good;
    c.erase("aud");
    refused("/sandbox/api/auth", p.platform_signed(c),
            "assertion audience does not contain this environment's issuer http://localhost:8080/sandbox/api/auth");
  }
  SECTION("expired: valid just before exp, refused at exp") {
    std::string a = p.platform_signed(good);
    p.clock.set(kStart + 59);
    CHECK(p.bearer_grant("/sandbox/api/auth", a).status == 200);
    p.clock.set(kStart + 60);
    refused("/sandbox/api/auth", a, "assertion expired");
  }
  SECTION("tampered") {
    std::string a = p.platform_signed(good);
    JsonObject c = good;
    c["sub"] = json_string("someone-else");
    std::string forged = a.substr(0, a.find('.') + 1) + base64url_encode(dump_json(Json(c))) + a.substr(a.rfind('.'));
    refused("/sandbox/api/auth", forged, "assertion signature does not verify with the platform's key");
    refused("/sandbox/api/auth", "not-a-jwt", "assertion is not a JWT: not a JWT: expected three dot-separated parts");
  }
  SECTION("no sub, alg none, missing assertion") {
    JsonObject c = good;
    c.erase("sub");
    refused("/sandbox/api/auth", p.platform_signed(c), "assertion has no sub");
    std::string a = p.platform_signed(good);
    refused("/sandbox/api/auth", base64url_encode(R"({"alg":"none"})") + a.substr(a.find('.')),
            "assertion alg none does not match the platform's key " +
                p.app->find_environment("platform")->keys().active().kid() + " (RS256)");
    HttpResponse missing = p.post("/sandbox/api/auth/oauth/token", std::string("grant_type=") + kJwtBearer);
    CHECK(error_description(missing) == "assertion missing");
  }
  SECTION("the platform itself does not take the grant") {
    HttpResponse res = p.bearer_grant("/platform", p.platform_signed(good));
    CHECK(*find_string(TestApp::parse(res.body), "error") == "unsupported_grant_type");
  }
}

TEST_CASE("platform: RFC 8693 token exchange binds a token to one environment") {
  PlatformApp p;
  std::string subject = p.member_token();
  auto exchange = [&](const std::string& extra) {
    return p.post("/platform/oauth/token",
                  std::string("grant_type=") + kExchange + "&client_id=fctl&subject_token=" + subject +
                      "&subject_token_type=urn:ietf:params:oauth:token-type:access_token" + extra);
  };
  JsonObject out = p.ok(exchange("&audience=sandbox"));
  CHECK(*find_string(out, "issued_token_type") == "urn:ietf:params:oauth:token-type:access_token");
  CHECK(*find_string(out, "token_type") == "Bearer");
  std::string bound = *find_string(out, "access_token");
  CHECK(dump_json(jwt_claims(bound).at("aud")) == R"(["http://localhost:8080/sandbox/api/auth"])");
  CHECK(p.bearer_grant("/sandbox/api/auth", bound).status == 200);
  CHECK(p.bearer_grant("/api/auth", bound).status == 400); // bound to sandbox only
  // fctl's form, with this platform's organization (the fixture names none: "authemu").
  CHECK(p.ok(exchange("&audience=stack://authemu/sandbox")).count("access_token") == 1);
  CHECK(p.ok(exchange("&audience=http://localhost:8080/api/auth")).count("access_token") == 1);

  auto refused = [&](const HttpResponse& res, const std::string& error, const std::string& why) {
    CHECK(res.status == 400);
    CHECK(*find_string(TestApp::parse(res.body), "error") == error);
    CHECK(error_description(res) == why);
  };
  refused(exchange("&audience=nowhere"), "invalid_target", "unknown environment nowhere");
  refused(exchange("&audience=stack://authemu/nowhere"), "invalid_target", "unknown environment nowhere");
  // The organization counts, as at device authorization.
  refused(exchange("&audience=stack://globex/sandbox"), "invalid_target",
          "unknown organization globex (this platform's is authemu)");
  refused(exchange("&resource=stack://org/sandbox"), "invalid_target",
          "unknown organization org (this platform's is authemu)");
  refused(exchange("&audience=stack://sandbox"), "invalid_target", "expected stack://<organization>/<environment>");
  refused(exchange("&audience=other"), "invalid_target", "the subject token is not valid for environment other");
  refused(exchange(""), "invalid_target", "audience missing: name the environment to exchange for");
  refused(exchange("&audience=sandbox&scope=payments:write"), "invalid_scope",
          "scope payments:write is not in the subject token");
  refused(p.post("/platform/oauth/token",
                 std::string("grant_type=") + kExchange +
                     "&client_id=fctl&subject_token=garbage"
                     "&subject_token_type=urn:ietf:params:oauth:token-type:access_token&audience=sandbox"),
          "invalid_request", "subject_token is invalid: not a JWT: expected three dot-separated parts");
  refused(p.post("/platform/oauth/token",
                 std::string("grant_type=") + kExchange + "&client_id=fctl&subject_token=" + subject +
                     "&subject_token_type=urn:ietf:params:oauth:token-type:saml2&audience=sandbox"),
          "invalid_request",
          "subject_token_type urn:ietf:params:oauth:token-type:saml2 is not supported (access_token or jwt)");
  refused(p.post("/platform/oauth/token", std::string("grant_type=") + kExchange + "&client_id=fctl&audience=sandbox"),
          "invalid_request", "subject_token missing");
  SECTION("an environment's token is not a platform subject token") {
    std::string env_token = *find_string(
        p.ok(p.post("/sandbox/api/auth/oauth/token", "grant_type=client_credentials", basic("testing", "testing"))),
        "access_token");
    HttpResponse res = p.post("/platform/oauth/token",
                              std::string("grant_type=") + kExchange + "&client_id=fctl&subject_token=" + env_token +
                                  "&subject_token_type=urn:ietf:params:oauth:token-type:access_token&audience=sandbox");
    CHECK(*find_string(TestApp::parse(res.body), "error") == "invalid_request");
  }
  SECTION("environments do not offer token exchange") {
    HttpResponse res = p.post("/sandbox/api/auth/oauth/token", std::string("grant_type=") + kExchange);
    CHECK(*find_string(TestApp::parse(res.body), "error") == "unsupported_grant_type");
  }
}

TEST_CASE("platform: start-up checks of the platform fixture") {
  auto load = [](const std::string& text) {
    return load_fixture(text, "p.yaml", [](const std::string&) { return std::nullopt; });
  };
  Options options;
  AppSettings settings;
  settings.environment.issuer = kIssuer;
  Fixture f = load("platform:\n  signingKey: embedded:test-signing-key-platform.pem\n  users:\n"
                   "    - {username: a, password: a, environments: [nope]}\n");
  CHECK_THROWS_WITH(environment_specs(options, settings, std::move(f), test_key()),
                    "p.yaml:4: platform.users[0].environments: user a names unknown environment nope");
  Fixture same = load("platform:\n  signingKey: embedded:test-signing-key.pem\n");
  CHECK_THROWS_WITH(environment_specs(options, settings, std::move(same), test_key()),
                    "p.yaml:2: platform.signingKey: the same key as environment default; the platform needs its own");
}

TEST_CASE("platform: assertions and subject tokens keep their own typ rules (any typ, or none)") {
  PlatformApp p;
  JsonObject c = sandbox_assertion_claims();
  const KeyStore& keys = p.app->find_environment("platform")->keys();
  SECTION("RFC 7523 jwt-bearer: an assertion typed JWT, or without typ") {
    CHECK(p.bearer_grant("/sandbox/api/auth", keys.sign(c, "JWT")).status == 200);
    JsonObject header;
    header["alg"] = json_string("RS256");
    header["kid"] = json_string(keys.active().kid());
    CHECK(p.bearer_grant("/sandbox/api/auth", sign_jws(keys.active(), header, c)).status == 200);
  }
  SECTION("RFC 8693 token exchange: a subject token typed JWT") {
    HttpResponse res =
        p.post("/platform/oauth/token",
               std::string("grant_type=") + kExchange + "&client_id=fctl&subject_token=" + keys.sign(c, "JWT") +
                   "&subject_token_type=urn:ietf:params:oauth:token-type:jwt&audience=sandbox");
    CHECK(p.ok(res).count("access_token") == 1);
  }
}
