// Formance's delegated login between two environments of one process: start-up checks, the
// redirect to the upstream, the callback's refusals, and a user made per upstream subject.
#include <catch2/catch.hpp>

#include "cli/startup.h"
#include "jose/crypto.h"
#include "sign_in_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

constexpr char kDelegating[] = R"(
clients:
  - id: web
    secrets: [web]
    redirectUris: [https://app.example/cb]
users:
  - {id: u-a, username: alice, password: alice, email: a@example.com}
environments:
  stack:
    signingKey: embedded:test-signing-key-sandbox.pem
    delegatedIssuer: default
    delegatedClientId: stack-login
    delegatedClientSecret: s3cret
    clients:
      - id: web
        secrets: [web]
        redirectUris: [https://app.example/cb]
)";

std::vector<EnvironmentSpec> specs_of(const std::string& extra_clients, const std::string& login_mode = "page") {
  Options options;
  AppSettings settings;
  settings.environment.issuer = kIssuer;
  settings.environment.login_mode = login_mode;
  std::string text = kDelegating;
  text.insert(text.find("users:"), extra_clients);
  Fixture f = load_fixture(text, "d.yaml", [](const std::string&) { return std::nullopt; });
  return environment_specs(options, settings, std::move(f), test_key());
}

const std::string kLoginClient = "  - id: stack-login\n    secrets: [s3cret]\n    grantTypes: [authorization_code]\n";

} // namespace

TEST_CASE("delegation: start-up needs the upstream's client and its secret") {
  CHECK_THROWS_WITH(specs_of(""), Catch::Contains("default has no client stack-login with that secret"));
  CHECK_THROWS_WITH(specs_of("  - id: stack-login\n    secrets: [other]\n"),
                    Catch::Contains("has no client stack-login with that secret"));
  CHECK_NOTHROW(specs_of(kLoginClient));
  Fixture f = load_fixture("environments:\n  a:\n    signingKey: embedded:test-signing-key-sandbox.pem\n"
                           "    delegatedIssuer: nowhere\n    delegatedClientId: x\n    delegatedClientSecret: y\n",
                           "e.yaml", [](const std::string&) { return std::nullopt; });
  AppSettings settings;
  settings.environment.issuer = kIssuer;
  CHECK_THROWS_WITH(environment_specs(Options{}, settings, std::move(f), test_key()),
                    "e.yaml:3: environments.a: delegated issuer nowhere is neither a URL nor another environment of "
                    "this fixture");
  Options o;
  o.delegated_issuer = "https://idp.example";
  AppSettings s2 = app_settings(o, kIssuer);
  CHECK_THROWS_WITH(environment_specs(o, s2, Fixture{}, test_key()),
                    "--delegated-issuer: a delegated issuer needs a client id and a client secret");
}

TEST_CASE("delegation: the stack's users sign in at the upstream and come back as users of their own") {
  FakeClock clock(kStart);
  AppSettings settings;
  settings.environment.issuer = kIssuer;
  settings.environment.login_mode = "auto"; // the upstream signs its first user in without a page
  Browser b;                                // for its cookie jar and helpers
  b.app = std::make_unique<App>(settings, specs_of(kLoginClient, "auto"), b.clock);
  const std::string q =
      "client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=openid%20email&"
      "state=st";
  HttpResponse to_upstream = b.send("GET", "/stack/api/auth/authorize?" + q);
  REQUIRE(to_upstream.status == 302);
  std::string location = *to_upstream.header("Location");
  CHECK_THAT(location, Catch::StartsWith("http://localhost:8080/api/auth/authorize?client_id=stack-login&redirect_uri="
                                         "http%3A%2F%2Flocalhost%3A8080%2Fstack%2Fapi%2Fauth%2Fauthorize%2Fcallback"));
  std::string state = Params::parse(location.substr(location.find('?') + 1), "q").get("state").value_or("");

  SECTION("the whole round trip") {
    HttpResponse upstream = b.send("GET", location.substr(std::string("http://localhost:8080").size()));
    REQUIRE(upstream.status == 302);
    std::string back = *upstream.header("Location");
    HttpResponse done = b.send("GET", back.substr(std::string("http://localhost:8080").size()));
    REQUIRE(done.status == 302);
    CHECK(Browser::answer(done, "state") == "st");
    HttpResponse t = b.send("POST", "/stack/api/auth/oauth/token",
                            "grant_type=authorization_code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code=" +
                                Browser::answer(done, "code"),
                            basic("web", "web"), false);
    REQUIRE(t.status == 200);
    JsonObject id = jwt_claims(*find_string(TestApp::parse(t.body), "id_token"));
    std::string made = uuid_v5(std::string(kIssuer) + " u-a");
    CHECK(*find_string(id, "sub") == made);
    CHECK(*find_string(id, "email") == "a@example.com");
    CHECK(dump_json(id.at("amr")) == R"(["fed"])");
    // Formance's GET /users lists it with the upstream subject.
    std::string mgmt =
        b.send("POST", "/stack/api/auth/oauth/token", "grant_type=client_credentials", basic("web", "web"), false).body;
    HttpResponse users =
        b.send("GET", "/stack/api/auth/users", "", bearer(*find_string(TestApp::parse(mgmt), "access_token")), false);
    CHECK_THAT(users.body, Catch::Contains(R"("id":")" + made + R"(","subject":"u-a")"));
  }
  SECTION("an upstream error reaches the client as access_denied") {
    HttpResponse res = b.send("GET", "/stack/api/auth/authorize/callback?state=" + state + "&error=access_denied");
    CHECK(Browser::answer(res, "error") == "access_denied");
    CHECK(Browser::answer(res, "error_description") == "the delegated issuer answered access_denied");
  }
  SECTION("a callback this browser did not start") {
    b.cookies.clear();
    CHECK(b.send("GET", "/stack/api/auth/authorize/callback?state=" + state + "&code=x").status == 403);
    CHECK(b.send("GET", "/stack/api/auth/authorize/callback?state=nope&code=x").status == 400);
  }
  SECTION("a code the upstream does not know") {
    HttpResponse res = b.send("GET", "/stack/api/auth/authorize/callback?state=" + state + "&code=forged");
    CHECK(res.status == 400);
    CHECK_THAT(res.body, Catch::Contains("authorization code unknown, expired or already used"));
  }
}

namespace {

// An issuer over HTTP as the fetcher sees it: discovery, token endpoint and UserInfo by URL.
struct FakeIdp : Fetcher {
  std::vector<FetchRequest> seen;
  std::optional<FetchError> failure; // thrown by every fetch when set
  FetchResponse fetch(const FetchRequest& r) override {
    seen.push_back(r);
    if (failure) throw *failure;
    FetchResponse res;
    res.status = 200;
    res.url = r.url;
    if (r.url == "http://idp.fake.test/.well-known/openid-configuration") {
      res.body =
          R"({"authorization_endpoint":"http://idp.fake.test/auth","token_endpoint":"http://idp.fake.test/token",)"
          R"("userinfo_endpoint":"http://idp.fake.test/me"})";
    } else if (r.url == "http://idp.fake.test/token") {
      res.body = R"({"access_token":"at-1","token_type":"Bearer"})";
    } else if (r.url == "http://idp.fake.test/me") {
      res.body = R"({"sub":"ext-1","email":"ext@example.com","preferred_username":"ext"})";
    } else {
      res.status = 404;
    }
    return res;
  }
};

} // namespace

TEST_CASE("delegation: an issuer over HTTP is reached through the App's fetcher") {
  FakeIdp idp;
  Browser b;
  AppSettings settings;
  settings.environment.issuer = kIssuer;
  settings.environment.delegated_issuer = "http://idp.fake.test";
  settings.environment.delegated_client_id = "down";
  settings.environment.delegated_client_secret = "s3cret";
  Fixture f = load_fixture(kBrowserFixture, "browser.yaml", [](const std::string&) { return std::nullopt; });
  std::vector<EnvironmentSpec> specs;
  specs.push_back(EnvironmentSpec{settings.environment, std::move(f.clients), std::move(f.users), test_key()});
  b.app = std::make_unique<App>(settings, std::move(specs), b.clock, default_routes(), &idp);

  HttpResponse to_idp = b.authorize(kWebQuery);
  REQUIRE(to_idp.status == 302);
  std::string location = *to_idp.header("Location");
  CHECK_THAT(location, Catch::StartsWith("http://idp.fake.test/auth?client_id=down&redirect_uri="
                                         "http%3A%2F%2Flocalhost%3A8080%2Fapi%2Fauth%2Fauthorize%2Fcallback"));
  std::string state = Params::parse(location.substr(location.find('?') + 1), "q").get("state").value_or("");
  // Discovery, unless an earlier run in this process cached it (the cache is per process).
  REQUIRE(idp.seen.size() <= 1);
  for (const auto& r : idp.seen)
    CHECK(r.url == "http://idp.fake.test/.well-known/openid-configuration");
  size_t before = idp.seen.size();

  SECTION("the code is redeemed and the user read through the fetcher") {
    HttpResponse done = b.send("GET", "/api/auth/authorize/callback?code=up-code&state=" + state);
    INFO(done.body);
    REQUIRE(done.status == 302);
    CHECK(Browser::answer(done, "state") == "st");
    REQUIRE(idp.seen.size() == before + 2); // discovery from the cache
    const FetchRequest& token = idp.seen[before];
    CHECK(token.method == "POST");
    CHECK(token.url == "http://idp.fake.test/token");
    CHECK(token.body == "grant_type=authorization_code&code=up-code&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fapi%"
                        "2Fauth%2Fauthorize%2Fcallback");
    CHECK(token.headers == Headers{{"Authorization", "Basic " + base64_encode("down:s3cret")},
                                   {"Content-Type", "application/x-www-form-urlencoded"}});
    CHECK(idp.seen[before + 1].url == "http://idp.fake.test/me");
    CHECK(idp.seen[before + 1].headers == Headers{{"Authorization", "Bearer at-1"}});
    HttpResponse t = b.token("grant_type=authorization_code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code=" +
                                 Browser::answer(done, "code"),
                             basic("web", "web"));
    REQUIRE(t.status == 200);
    JsonObject id = jwt_claims(*find_string(TestApp::parse(t.body), "id_token"));
    CHECK(*find_string(id, "sub") == uuid_v5("http://idp.fake.test ext-1"));
  }
  SECTION("a fetch that fails is the delegated issuer's failure, named on the error page") {
    idp.failure = FetchError(FetchFailure::timeout, "POST http://idp.fake.test/token: no answer within 5000 ms");
    HttpResponse res = b.send("GET", "/api/auth/authorize/callback?code=up-code&state=" + state);
    CHECK(res.status == 502);
    CHECK_THAT(res.body, Catch::Contains("The delegated issuer http://idp.fake.test failed: its token endpoint did "
                                         "not answer: POST http://idp.fake.test/token: no answer within 5000 ms"));
  }
}
