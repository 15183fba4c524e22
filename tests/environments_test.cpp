#include <catch2/catch.hpp>

#include "base/config_error.h"
#include "cli/startup.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

constexpr char kEnvFixture[] = R"(
clients:
  - {id: testing, secrets: [testing], grantTypes: [client_credentials, password, refresh_token]}
users:
  - {id: u-alice, username: alice, password: alice}
environments:
  sandbox:
    signingKey: embedded:test-signing-key-sandbox.pem
    checkScopes: true
    accessTokenLifetime: 10m
    clients:
      - {id: testing, secrets: [testing], grantTypes: [client_credentials, password], scopes: [auth:read, ledger:read]}
      - {id: only-here, secrets: [x]}
    users:
      - {id: s-alice, username: alice, password: alice}
)";

struct EnvApp {
  // by_listener: the issuer is the default one (no BASE_URL), so a TLS listener gives its own.
  explicit EnvApp(const char* fixture = kEnvFixture, bool by_listener = false) : clock(kStart) {
    Options options;
    AppSettings settings;
    settings.environment.issuer = kIssuer;
    settings.environment.issuer_by_listener = by_listener;
    Fixture f = load_fixture(fixture, "env.yaml", [](const std::string& name) -> std::optional<std::string> {
      if (name == "ENV_SECRET") return std::string("an HS256 secret from the environment, 32+ bytes");
      return std::nullopt;
    });
    app = std::make_unique<App>(settings, environment_specs(options, settings, std::move(f), test_key()), clock);
  }
  HttpResponse request(const std::string& method, const std::string& path, const std::string& body = "",
                       Headers headers = {}) {
    HttpRequest req;
    req.method = method;
    req.path = path;
    req.body = body;
    req.headers = std::move(headers);
    if (!body.empty()) req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return app->handle(req);
  }
  std::string token(const std::string& path, Headers extra = {}) {
    Headers h = basic("testing", "testing");
    h.insert(h.end(), extra.begin(), extra.end());
    HttpResponse res = request("POST", path, "grant_type=client_credentials&scope=auth:read+ledger:read", h);
    REQUIRE(res.status == 200);
    return *find_string(TestApp::parse(res.body), "access_token");
  }
  std::string issuer_at(const std::string& path, Headers headers = {}) {
    return *find_string(TestApp::parse(request("GET", path, "", std::move(headers)).body), "issuer");
  }
  FakeClock clock;
  std::unique_ptr<App> app;
};

const std::string kSandbox = "http://localhost:8080/sandbox/api/auth";

} // namespace

TEST_CASE("environments: routing by path, with the issuer byte-identical everywhere") {
  EnvApp e;
  CHECK(e.issuer_at("/sandbox/api/auth/.well-known/openid-configuration") == kSandbox);
  CHECK(e.issuer_at("/.well-known/oauth-authorization-server/sandbox/api/auth") == kSandbox);
  CHECK(e.issuer_at("/api/auth/.well-known/openid-configuration") == kIssuer);
  std::string t = e.token("/sandbox/api/auth/oauth/token");
  JsonObject c = jwt_claims(t);
  CHECK(*find_string(c, "iss") == kSandbox);
  CHECK(*find_int(c, "exp") == kStart + 600); // the environment's own lifetime
  HttpResponse api = e.request("GET", "/sandbox/api/ledger/v2/x", "", bearer(t));
  REQUIRE(api.status == 200);
  CHECK(*find_string(TestApp::parse(api.body).at("token").get<JsonObject>(), "iss") == kSandbox);
  CHECK(e.request("GET", "/sandbox/api/auth/clients", "", bearer(t)).status == 200);
}

TEST_CASE("environments: routing by host name and through a proxy") {
  EnvApp e;
  SECTION("<name>.<host> selects the environment; the issuer is that host's") {
    Headers host = {{"Host", "sandbox.localhost:8080"}};
    CHECK(e.issuer_at("/api/auth/.well-known/openid-configuration", host) == "http://sandbox.localhost:8080/api/auth");
    std::string t = e.token("/api/auth/oauth/token", host);
    CHECK(*find_string(jwt_claims(t), "iss") == "http://sandbox.localhost:8080/api/auth");
    Headers h = bearer(t);
    h.emplace_back("Host", "sandbox.localhost:8080");
    CHECK(e.request("GET", "/api/ledger/x", "", h).status == 200);
    CHECK(e.request("GET", "/api/auth/clients", "", h).status == 200);
  }
  SECTION("X-Forwarded-Host and X-Forwarded-Proto give the public issuer") {
    Headers fwd = {
        {"Host", "auth:8080"}, {"X-Forwarded-Host", "org-stack.example.com"}, {"X-Forwarded-Proto", "https"}};
    CHECK(e.issuer_at("/api/auth/.well-known/openid-configuration", fwd) == "https://org-stack.example.com/api/auth");
    CHECK(e.issuer_at("/sandbox/api/auth/.well-known/openid-configuration", fwd) ==
          "https://org-stack.example.com/sandbox/api/auth");
    Headers sandbox_host = {{"X-Forwarded-Host", "sandbox.example.com, proxy.internal"}};
    CHECK(e.issuer_at("/api/auth/.well-known/openid-configuration", sandbox_host) ==
          "http://sandbox.example.com/api/auth");
  }
  SECTION("malformed forwarded values are ignored") {
    CHECK(e.issuer_at("/api/auth/.well-known/openid-configuration", {{"X-Forwarded-Host", "evil.com/x?y"}}) == kIssuer);
    CHECK(e.issuer_at("/api/auth/.well-known/openid-configuration",
                      {{"X-Forwarded-Host", "h.example"}, {"X-Forwarded-Proto", "gopher"}}) ==
          "http://h.example/api/auth");
  }
  SECTION("only issuers that were handed out are trusted") {
    // A token signed by the right key but naming a host never published is refused.
    Environment* sandbox = e.app->find_environment("sandbox");
    REQUIRE(sandbox != nullptr);
    CHECK(sandbox->trusts(kSandbox));
    CHECK_FALSE(sandbox->trusts("http://never.example/api/auth"));
    for (int i = 0; i < 64; ++i) {
      e.issuer_at("/sandbox/api/auth/.well-known/openid-configuration",
                  {{"X-Forwarded-Host", "h" + std::to_string(i) + ".example"}});
    }
    CHECK(sandbox->trusts("http://h63.example/sandbox/api/auth")); // the 64th, at the limit
    // Client input cannot grow the list without bound: past the limit a new host is refused.
    const char* kTooMany =
        R"({"error":"invalid_request","error_description":"too many distinct issuers from X-Forwarded-Host or host )"
        R"(names (64); POST /_authemu/reset forgets them, or configure this host with --base-url or --auth-issuers"})";
    HttpResponse late = e.request("GET", "/sandbox/api/auth/.well-known/openid-configuration", "",
                                  {{"X-Forwarded-Host", "late.example"}});
    CHECK(late.status == 400);
    CHECK(late.body == kTooMany);
    HttpResponse token =
        e.request("POST", "/sandbox/api/auth/oauth/token", "grant_type=client_credentials",
                  {{"X-Forwarded-Host", "late.example"}, {"Authorization", basic("testing", "testing")[0].second}});
    CHECK(token.status == 400);
    CHECK(token.body == kTooMany);
    CHECK_FALSE(sandbox->trusts("http://late.example/sandbox/api/auth"));
    // Hosts already published and configured hosts still work.
    CHECK(e.issuer_at("/sandbox/api/auth/.well-known/openid-configuration", {{"X-Forwarded-Host", "h0.example"}}) ==
          "http://h0.example/sandbox/api/auth");
    CHECK(e.issuer_at("/sandbox/api/auth/.well-known/openid-configuration", {{"X-Forwarded-Host", "localhost:8080"}}) ==
          kSandbox);
    CHECK(e.issuer_at("/sandbox/api/auth/.well-known/openid-configuration",
                      {{"X-Forwarded-Host", "localhost:8080"}, {"X-Forwarded-Proto", "https"}}) ==
          "https://localhost:8080/sandbox/api/auth");
    CHECK(e.issuer_at("/api/auth/.well-known/openid-configuration", {{"Host", "sandbox.localhost:8080"}}) ==
          "http://sandbox.localhost:8080/api/auth");
    // The default environment has its own count.
    CHECK(e.issuer_at("/api/auth/.well-known/openid-configuration", {{"X-Forwarded-Host", "late.example"}}) ==
          "http://late.example/api/auth");
    // Reset forgets the derived ones.
    HttpRequest reset;
    reset.method = "POST";
    reset.path = "/_authemu/reset";
    REQUIRE(e.app->handle(reset).status == 200);
    CHECK(e.issuer_at("/sandbox/api/auth/.well-known/openid-configuration", {{"X-Forwarded-Host", "late.example"}}) ==
          "http://late.example/sandbox/api/auth");
  }
  SECTION("configured hosts never count against the limit") {
    AppSettings settings;
    settings.environment.issuer = "https://auth.example.com/api/auth";
    settings.environment.extra_issuers = {"https://legacy.example.com/api/auth"};
    FakeClock clock(kStart);
    Options options;
    Fixture f = load_fixture(kEnvFixture, "env.yaml", [](const std::string&) { return std::nullopt; });
    App app(settings, environment_specs(options, settings, std::move(f), test_key()), clock);
    auto issuer = [&](const std::string& forwarded, const std::string& base = "") {
      HttpRequest req;
      req.method = "GET";
      req.path = base + "/api/auth/.well-known/openid-configuration";
      req.headers = {{"X-Forwarded-Host", forwarded}, {"X-Forwarded-Proto", "https"}};
      HttpResponse res = app.handle(req);
      return res.status == 200 ? *find_string(TestApp::parse(res.body), "issuer") : res.body;
    };
    for (int i = 0; i < 64; ++i) {
      REQUIRE(issuer("junk" + std::to_string(i) + ".example") != "");
      REQUIRE(issuer("junk" + std::to_string(i) + ".example", "/sandbox") != "");
    }
    CHECK_THAT(issuer("junk64.example"), Catch::Contains("too many distinct issuers"));
    CHECK_THAT(issuer("junk64.example", "/sandbox"), Catch::Contains("too many distinct issuers"));
    CHECK(issuer("auth.example.com") == "https://auth.example.com/api/auth");
    CHECK(issuer("AUTH.example.com:443") == "https://AUTH.example.com:443/api/auth");
    CHECK(issuer("legacy.example.com") == "https://legacy.example.com/api/auth");
    CHECK(issuer("sandbox.auth.example.com") == "https://sandbox.auth.example.com/api/auth");
  }
}

TEST_CASE("environments: isolation") {
  EnvApp e;
  std::string sandbox = e.token("/sandbox/api/auth/oauth/token");
  std::string main = e.token("/api/auth/oauth/token");
  SECTION("keys differ") {
    CHECK(*find_string(jwt_header(sandbox), "kid") != *find_string(jwt_header(main), "kid"));
    CHECK(e.request("GET", "/sandbox/api/auth/keys").body != e.request("GET", "/api/auth/keys").body);
  }
  SECTION("a token of one environment is refused by every other one") {
    CHECK(e.request("GET", "/api/auth/clients", "", bearer(sandbox)).status == 401);
    CHECK(e.request("GET", "/sandbox/api/auth/clients", "", bearer(main)).status == 401);
    CHECK(e.request("GET", "/api/ledger/x", "", bearer(sandbox)).status == 401);
    CHECK(e.request("GET", "/sandbox/api/ledger/x", "", bearer(main)).status == 401);
    CHECK(e.request("POST", "/api/auth/oauth/introspect", "token=" + sandbox, basic("testing", "testing")).body ==
          R"({"active":false})");
    std::string user =
        *find_string(TestApp::parse(e.request("POST", "/sandbox/api/auth/oauth/token",
                                              "grant_type=password&username=alice&password=alice&scope=openid",
                                              basic("testing", "testing"))
                                        .body),
                     "access_token");
    CHECK(e.request("GET", "/sandbox/api/auth/userinfo", "", bearer(user)).status == 200);
    CHECK(e.request("GET", "/api/auth/userinfo", "", bearer(user)).status == 401);
  }
  SECTION("clients and users of one environment do not exist in another") {
    CHECK(e.request("POST", "/sandbox/api/auth/oauth/token", "grant_type=client_credentials", basic("only-here", "x"))
              .status == 200);
    CHECK(e.request("POST", "/api/auth/oauth/token", "grant_type=client_credentials", basic("only-here", "x")).status ==
          401);
    HttpResponse u = e.request("GET", "/sandbox/api/auth/users", "", bearer(sandbox));
    CHECK(u.body == R"({"data":[{"email":"","id":"s-alice","subject":"s-alice"}]})");
  }
  SECTION("each environment has its own scope checking") {
    // checkScopes: true in sandbox only.
    CHECK(e.request("POST", "/sandbox/api/ledger/x", "", bearer(sandbox)).status == 403);
    CHECK(e.request("POST", "/api/ledger/x", "", bearer(main)).status == 200);
  }
}

namespace {

constexpr char kAlgFixture[] = R"(
clients:
  - {id: testing, secrets: [testing]}
environments:
  es:
    signingAlgorithm: ES256
    keyRotationGrace: 10m
    clients: [{id: testing, secrets: [testing]}]
  ps:
    signingAlgorithm: PS256
    signingKey: tests/data/rsa-2048.jwk
    clients: [{id: testing, secrets: [testing]}]
  hs:
    signingAlgorithm: HS256
    signingSecret: $ENV_SECRET
    clients: [{id: testing, secrets: [testing]}]
)";

} // namespace

TEST_CASE("environments: each has its signing algorithm, in its tokens, JWKS and discovery") {
  EnvApp e(kAlgFixture);
  for (const char* name : {"es", "ps", "hs"}) {
    std::string prefix = std::string("/") + name + "/api/auth";
    Environment* env = e.app->find_environment(name);
    REQUIRE(env != nullptr);
    std::string alg = algorithm_name(env->keys().active().alg());
    HttpResponse res =
        e.request("POST", prefix + "/oauth/token", "grant_type=client_credentials", basic("testing", "testing"));
    REQUIRE(res.status == 200);
    std::string token = *find_string(TestApp::parse(res.body), "access_token");
    CHECK(*find_string(jwt_header(token), "alg") == alg);
    CHECK(e.request("GET", std::string("/") + name + "/api/ledger/x", "", bearer(token)).status == 200);
    CHECK(e.request("GET", "/api/ledger/x", "", bearer(token)).status == 401);
    JsonObject discovery = TestApp::parse(e.request("GET", prefix + "/.well-known/openid-configuration").body);
    const auto& algs = discovery.at("id_token_signing_alg_values_supported").get<JsonArray>();
    REQUIRE(algs.size() == 1);
    CHECK(algs[0].get<std::string>() == alg);
  }
  CHECK(algorithm_name(e.app->find_environment("es")->keys().active().alg()) == std::string("ES256"));
  CHECK(algorithm_name(e.app->find_environment("ps")->keys().active().alg()) == std::string("PS256"));
  CHECK(e.app->find_environment("es")->keys().rotation_grace() == 600);
  CHECK(e.app->find_environment("ps")->keys().rotation_grace() == 86400);
  SECTION("ES256: one EC key on P-256") {
    JsonObject jwks = TestApp::parse(e.request("GET", "/es/api/auth/keys").body);
    const auto& keys = jwks.at("keys").get<JsonArray>();
    REQUIRE(keys.size() == 1);
    const auto& k = keys[0].get<JsonObject>();
    CHECK(*find_string(k, "kty") == "EC");
    CHECK(*find_string(k, "crv") == "P-256");
    CHECK(*find_string(k, "alg") == "ES256");
    CHECK(k.count("d") == 0);
  }
  SECTION("HS256: the shared secret is never published") {
    CHECK(e.request("GET", "/hs/api/auth/keys").body == R"({"keys":[]})");
  }
  SECTION("a rotated key is published next to the new one and leaves after the grace") {
    Environment* es = e.app->find_environment("es");
    HttpResponse res =
        e.request("POST", "/es/api/auth/oauth/token", "grant_type=client_credentials", basic("testing", "testing"));
    std::string old_token = *find_string(TestApp::parse(res.body), "access_token");
    es->keys().rotate(std::nullopt, std::nullopt);
    CHECK(TestApp::parse(e.request("GET", "/es/api/auth/keys").body).at("keys").get<JsonArray>().size() == 2);
    CHECK(e.request("GET", "/es/api/ledger/x", "", bearer(old_token)).status == 200);
    e.clock.set(kStart + 600);
    CHECK(TestApp::parse(e.request("GET", "/es/api/auth/keys").body).at("keys").get<JsonArray>().size() == 1);
    CHECK(e.request("GET", "/es/api/ledger/x", "", bearer(old_token)).status == 401);
  }
}

TEST_CASE("environments: fixture and start-up errors") {
  auto load = [](const std::string& text) {
    return load_fixture(text, "f.yaml", [](const std::string&) { return std::nullopt; });
  };
  CHECK_THROWS_WITH(load("environments:\n  Bad_Name: {}\n"),
                    "f.yaml:2: environments.Bad_Name: environment names are 1-63 of a-z, 0-9 and '-', and not a route "
                    "name (api, platform, …)");
  CHECK_THROWS_WITH(load("environments:\n  api: {}\n"),
                    Catch::StartsWith("f.yaml:2: environments.api: environment names"));
  CHECK_THROWS_WITH(load("environments:\n  a: {checkScopes: maybe}\n"),
                    "f.yaml:2: environments.a.checkScopes: expected true or false");
  CHECK_THROWS_WITH(load("environments:\n  a:\n    clients: [{id: x}, {id: x}]\n"),
                    "f.yaml:3: environments.a.clients[1].id: duplicate client id x");
  CHECK_THROWS_WITH(load("environments: [a]\n"), "f.yaml:1: environments: expected a map of environment names");

  Options options;
  AppSettings settings;
  settings.environment.issuer = "https://h.example:9000/api/auth";
  SECTION("issuers: derived from the default one's origin, or set") {
    Fixture f = load("environments:\n  a: {signingKey: embedded:test-signing-key-sandbox.pem}\n"
                     "  b: {issuer: 'https://b.example/api/auth/', signingKey: tests/data/pkcs8-rsa-2048.pem}\n");
    auto specs = environment_specs(options, settings, std::move(f), test_key());
    REQUIRE(specs.size() == 3);
    CHECK(specs[1].settings.issuer == "https://h.example:9000/a/api/auth");
    CHECK(specs[2].settings.issuer == "https://b.example/api/auth");
    CHECK(specs[2].settings.fixed_issuer);
  }
  SECTION("each environment needs its own key") {
    Fixture f = load("environments:\n  a: {signingKey: embedded:test-signing-key.pem}\n");
    CHECK_THROWS_WITH(
        environment_specs(options, settings, std::move(f), test_key()),
        "f.yaml:2: environments.a.signingKey: the same key as environment default; each environment needs its own");
  }
  SECTION("an error about a field of a block-style environment names the field's own line") {
    Fixture f = load("environments:\n  a:\n    checkScopes: true\n    signingKey: tests/data/rsa-1024.pem\n");
    CHECK_THROWS_WITH(environment_specs(options, settings, std::move(f), test_key()),
                      "f.yaml:4: environments.a.signingKey: RSA key of 1024 bits; RS256 needs at least 2048");
    Fixture h = load("environments:\n  a:\n    signingAlgorithm: HS256\n    accessTokenLifetime: 1h\n"
                     "    signingSecret: short\n");
    CHECK_THROWS_WITH(environment_specs(options, settings, std::move(h), test_key()),
                      Catch::StartsWith("f.yaml:5: environments.a.signingSecret: "));
  }
  SECTION("a bad key names the environment") {
    Fixture f = load("environments:\n  a: {signingKey: tests/data/rsa-1024.pem}\n");
    CHECK_THROWS_WITH(environment_specs(options, settings, std::move(f), test_key()),
                      "f.yaml:2: environments.a.signingKey: RSA key of 1024 bits; RS256 needs at least 2048");
  }
  SECTION("signing settings") {
    CHECK_THROWS_WITH(load("environments:\n  a: {signingAlgorithm: none}\n"),
                      "f.yaml:2: environments.a.signingAlgorithm: expected RS256, PS256, ES256 or HS256");
    CHECK_THROWS_WITH(
        environment_specs(options, settings, load("environments:\n  a: {signingAlgorithm: HS256}\n"), test_key()),
        "f.yaml:2: environments.a.signingSecret: required with signingAlgorithm HS256");
    CHECK_THROWS_WITH(environment_specs(options, settings,
                                        load("environments:\n  a: {signingSecret: " + std::string(40, 'x') + "}\n"),
                                        test_key()),
                      "f.yaml:2: environments.a.signingSecret: only used with HS256, and signingAlgorithm is RS256");
    CHECK_THROWS_WITH(
        environment_specs(
            options, settings,
            load("environments:\n  a: {signingAlgorithm: ES256, signingKey: tests/data/pkcs8-rsa-2048.pem}\n"),
            test_key()),
        "f.yaml:2: environments.a.signingKey: not an EC key");
    std::string secret = std::string(40, 'x');
    CHECK_THROWS_WITH(
        environment_specs(options, settings,
                          load("environments:\n  a: {signingAlgorithm: HS256, signingSecret: " + secret +
                               "}\n  b: {signingAlgorithm: HS256, signingSecret: " + secret + "}\n"),
                          test_key()),
        "f.yaml:3: environments.b.signingSecret: the same key as environment a; each environment needs its own");
    CHECK_THROWS_WITH(load("environments:\n  a: {signingSecret: $NOPE}\n"),
                      "f.yaml:2: environments.a.signingSecret: environment variable NOPE is not set");
  }
}

TEST_CASE("environments: resolving a request publishes no issuer; the route that hands one out does") {
  EnvApp e;
  Environment* sandbox = e.app->find_environment("sandbox");
  REQUIRE(sandbox != nullptr);
  const std::string proxied = "https://proxy.example/sandbox/api/auth";
  Headers forwarded{{"X-Forwarded-Host", "proxy.example"}, {"X-Forwarded-Proto", "https"}};
  // The JWKS route hands out no issuer: the proxy's stays untrusted.
  CHECK(e.request("GET", "/sandbox/api/auth/keys", "", forwarded).status == 200);
  CHECK_FALSE(sandbox->trusts(proxied));
  // Choosing is pure; publishing trusts it.
  IssuerChoice choice = sandbox->choose_issuer(std::string("https"), std::string("proxy.example"), "/sandbox/api/auth");
  CHECK(choice.issuer == proxied);
  CHECK(choice.derived);
  CHECK_FALSE(choice.configured);
  CHECK_FALSE(sandbox->trusts(proxied));
  // Discovery hands it out.
  CHECK(e.issuer_at("/sandbox/api/auth/.well-known/openid-configuration", forwarded) == proxied);
  CHECK(sandbox->trusts(proxied));
}

TEST_CASE("environments: each environment's grants reach other servers through the App's fetcher") {
  EnvApp e;
  Fetcher* fetcher = e.app->find_environment("")->tokens().context().fetcher;
  CHECK(fetcher != nullptr);
  CHECK(e.app->find_environment("sandbox")->tokens().context().fetcher == fetcher);
}

TEST_CASE("environments: a request on a TLS listener gets https on that listener's port") {
  auto over_tls = [](EnvApp& e, const std::string& path, Headers headers = {}) {
    HttpRequest req;
    req.method = "GET";
    req.path = path;
    req.headers = std::move(headers);
    req.tls = true;
    req.local_port = 8443;
    return *find_string(TestApp::parse(e.app->handle(req).body), "issuer");
  };
  const std::string wk = "/.well-known/openid-configuration";
  SECTION("the default issuer: its host, the listener's port") {
    EnvApp e(kEnvFixture, true);
    CHECK(over_tls(e, "/api/auth" + wk) == "https://localhost:8443/api/auth");
    CHECK(over_tls(e, "/sandbox/api/auth" + wk) == "https://localhost:8443/sandbox/api/auth");
    CHECK(e.issuer_at("/api/auth" + wk) == kIssuer); // the plain listener keeps its own
    CHECK(over_tls(e, "/api/auth" + wk, {{"X-Forwarded-Host", "pub.example"}}) == "https://pub.example/api/auth");
    CHECK(over_tls(e, "/api/auth" + wk, {{"X-Forwarded-Host", "pub.example"}, {"X-Forwarded-Proto", "http"}}) ==
          "http://pub.example/api/auth");
    CHECK(over_tls(e, "/api/auth" + wk, {{"X-Forwarded-Proto", "http"}}) == kIssuer);
    // A token handed out there verifies there.
    HttpRequest req;
    req.method = "POST";
    req.path = "/api/auth/oauth/token";
    req.body = "grant_type=client_credentials";
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, basic("testing", "testing")[0]};
    req.tls = true;
    req.local_port = 8443;
    HttpResponse res = e.app->handle(req);
    REQUIRE(res.status == 200);
    CHECK(e.app->find_environment("")->trusts("https://localhost:8443/api/auth"));
  }
  SECTION("a configured issuer (BASE_URL, --browser-url) stays") {
    EnvApp e(kEnvFixture, false);
    CHECK(over_tls(e, "/api/auth" + wk) == kIssuer);
    CHECK(over_tls(e, "/sandbox/api/auth" + wk) == kSandbox);
  }
}
