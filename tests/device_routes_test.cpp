// The device verification page (RFC 8628 §3.3, §5.1): entering the code, signing in on the login
// page or with the session, approving and denying, CSRF, escaping and the wrong-code limit; and the
// platform's device flow as fctl runs it (org claim, stack resource, jwt-bearer at the environment).
#include <catch2/catch.hpp>

#include "cli/startup.h"
#include "device_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

std::string form_of(const std::string& html, const std::string& action) {
  return "csrf=" + Browser::field(html, "csrf") + "&action=" + action;
}

} // namespace

TEST_CASE("device_page: enter the code, sign in, see who asks for what, approve") {
  Device d;
  JsonObject a = d.start();
  std::string code = *find_string(a, "user_code");
  HttpResponse entry = d.send("GET", "/api/auth/device");
  CHECK(entry.status == 200);
  CHECK_THAT(entry.body, Catch::Contains("Connect a device"));
  CHECK(entry.header("Content-Type") == std::optional<std::string>("text/html; charset=utf-8"));
  REQUIRE(d.cookies.count("authemu_device_default") == 1);

  // Typed in lower case and without the dash: the login page of the sign-in, for this client.
  std::string typed = code.substr(0, 4) + code.substr(5);
  for (auto& ch : typed)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  HttpResponse login = d.send("POST", "/api/auth/device", form_of(entry.body, "code") + "&user_code=" + typed);
  CHECK(login.status == 200);
  CHECK_THAT(login.body, Catch::Contains("Sign in to approve a device"));
  CHECK_THAT(login.body, Catch::Contains("openid offline_access ledger:read"));
  HttpResponse signed_in = d.login(login.body, "action=password&username=alice&password=alice");
  REQUIRE(signed_in.status == 303);
  CHECK(signed_in.header("Location") == std::optional<std::string>("device?user_code=" + code));

  HttpResponse consent = d.send("GET", "/api/auth/device?user_code=" + code);
  CHECK(consent.status == 200);
  CHECK_THAT(consent.body, Catch::Contains("CLI &lt;tool&gt; &amp; &quot;Co&quot; asks to sign in"));
  CHECK_THAT(consent.body, Catch::Contains("Signed in as <strong>Alice (alice)</strong>"));
  CHECK(error_of(d.poll(a)) == "authorization_pending");

  SECTION("approve: the next poll gets tokens of the session's user, with its sid and amr") {
    HttpResponse done = d.send("POST", "/api/auth/device", form_of(consent.body, "approve") + "&user_code=" + code);
    CHECK(done.status == 200);
    CHECK_THAT(done.body, Catch::Contains("Device approved"));
    d.clock.advance(1);
    HttpResponse t = d.poll(a);
    REQUIRE(t.status == 200);
    JsonObject id = jwt_claims(*find_string(TestApp::parse(t.body), "id_token"));
    CHECK(*find_string(id, "sub") == "u-alice");
    CHECK(dump_json(id.at("amr")) == R"(["pwd"])");
    CHECK(find_string(id, "sid"));
    SECTION("a second device reuses the session: no login page") {
      JsonObject b = d.start();
      HttpResponse again = d.send("GET", "/api/auth/device?user_code=" + *find_string(b, "user_code"));
      CHECK_THAT(again.body, Catch::Contains("asks to sign in"));
      HttpResponse other = d.send("POST", "/api/auth/device",
                                  form_of(again.body, "switch") + "&user_code=" + *find_string(b, "user_code"));
      CHECK_THAT(other.body, Catch::Contains("Sign in to approve a device"));
    }
  }
  SECTION("deny") {
    HttpResponse done = d.send("POST", "/api/auth/device", form_of(consent.body, "deny") + "&user_code=" + code);
    CHECK_THAT(done.body, Catch::Contains("Request denied"));
    d.clock.advance(1);
    CHECK(error_of(d.poll(a)) == "access_denied");
  }
  SECTION("deny on the login page") {
    JsonObject b = d.start();
    d.cookies.erase("authemu_sid_default");
    HttpResponse page = d.send("GET", "/api/auth/device?user_code=" + *find_string(b, "user_code"));
    HttpResponse done = d.login(page.body, "action=deny");
    CHECK_THAT(done.body, Catch::Contains("Request denied"));
    CHECK(error_of(d.poll(b)) == "access_denied");
  }
  SECTION("without the page's CSRF value or cookie: refused, nothing decided") {
    HttpResponse forged = d.send("POST", "/api/auth/device", "csrf=x&action=approve&user_code=" + code);
    CHECK(forged.status == 403);
    d.cookies.erase("authemu_device_default");
    HttpResponse no_cookie =
        d.send("POST", "/api/auth/device", form_of(consent.body, "approve") + "&user_code=" + code);
    CHECK(no_cookie.status == 403);
    CHECK(error_of(d.poll(a)) == "slow_down");
  }
}

TEST_CASE("device_page: wrong codes and bad input") {
  Device d;
  HttpResponse entry = d.send("GET", "/api/auth/device");
  std::string form = form_of(entry.body, "code");
  HttpResponse bad = d.send("POST", "/api/auth/device", form + "&user_code=%3Cscript%3E");
  CHECK(bad.status == 400);
  CHECK_THAT(bad.body, Catch::Contains("A code is 8 letters, such as BCDF-GHJK."));
  CHECK_THAT(bad.body, Catch::Contains("value=\"&lt;script&gt;\""));
  HttpResponse unknown = d.send("GET", "/api/auth/device?user_code=BCDF-GHJK");
  CHECK(unknown.status == 400);
  CHECK_THAT(unknown.body, Catch::Contains("No request has this code, or it has expired"));
  for (int i = 2; i < kWrongCodesPerBrowser; ++i)
    d.send("POST", "/api/auth/device", form + "&user_code=BCDF-GHJK");
  // RFC 8628 §5.1: the limit stops even a right code, until the window has passed.
  JsonObject a = d.start();
  HttpResponse limited = d.send("GET", "/api/auth/device?user_code=" + *find_string(a, "user_code"));
  CHECK(limited.status == 429);
  CHECK_THAT(limited.body, Catch::Contains("Too many wrong codes"));
  d.clock.advance(kWrongCodeWindow);
  CHECK(d.send("GET", "/api/auth/device?user_code=" + *find_string(a, "user_code")).status == 200);
  HttpResponse json = d.send("POST", "/api/auth/device", "{}", {{"Content-Type", "application/json"}});
  CHECK(json.status == 415);
  HttpResponse doubled = d.send("GET", "/api/auth/device?user_code=a&user_code=b");
  CHECK(doubled.status == 400);
}

namespace {

constexpr char kPlatform[] = R"(
environments:
  sandbox:
    signingKey: embedded:test-signing-key-sandbox.pem
platform:
  signingKey: embedded:test-signing-key-platform.pem
  deviceCodeInterval: 1s
  organization: {id: acme, name: Acme <Inc>}
  clients:
    - {id: fctl, public: true, grantTypes: [refresh_token, "urn:ietf:params:oauth:grant-type:device_code"],
       scopes: [ledger:read, ledger:write, auth:read]}
  users:
    - {id: m-alice, username: alice, password: alice, environments: [sandbox]}
)";

} // namespace

TEST_CASE("device_page: the platform's device flow as fctl login and stack access run it") {
  Device d;
  Options options;
  AppSettings settings;
  settings.environment.issuer = kIssuer;
  Fixture f = load_fixture(kPlatform, "p.yaml", [](const std::string&) { return std::nullopt; });
  d.app = std::make_unique<App>(settings, environment_specs(options, settings, std::move(f), test_key()), d.clock);
  auto start = [&](const std::string& form) {
    HttpResponse res = d.send("POST", "/platform/device_authorization", form, basic("fctl", ""), false);
    INFO(res.body);
    REQUIRE(res.status == 200);
    return TestApp::parse(res.body);
  };
  auto poll = [&](const JsonObject& a, const std::string& extra = "") {
    return d.send("POST", "/platform/oauth/token",
                  std::string(kGrant) + "&device_code=" + *find_string(a, "device_code") + extra, basic("fctl", ""),
                  false);
  };
  // fctl login: Basic fctl: with an empty secret, prompt=no-org.
  JsonObject login = start("scope=openid+offline_access+accesses+on_behalf&prompt=no-org");
  CHECK(d.decide(login, "approve", R"({"user":"alice"})").status == 200);
  HttpResponse t = poll(login);
  REQUIRE(t.status == 200);
  std::string id_token = *find_string(TestApp::parse(t.body), "id_token");
  JsonObject id = jwt_claims(id_token);
  CHECK(
      dump_json(id.at("org")) ==
      R"([{"applications":[],"displayName":"Acme <Inc>","id":"acme","stacks":[{"displayName":"sandbox","id":"sandbox",)"
      R"("scopes":["stack:Read","stack:Write"],"uri":"http://localhost:8080/sandbox"}]}])");

  // Stack access: organization_id, id_token_hint, resource; approved as the hint's user by default.
  std::string resource = "stack%3A%2F%2Facme%2Fsandbox%7Cstack%3ARead+stack%3AWrite";
  JsonObject access =
      start("scope=openid+offline_access&organization_id=acme&id_token_hint=" + id_token + "&resource=" + resource);
  HttpResponse approved = d.decide(access, "approve");
  REQUIRE(approved.status == 200);
  CHECK(*find_string(TestApp::parse(approved.body), "user") == "alice");
  HttpResponse stack = poll(access, "&resource=" + resource);
  INFO(stack.body);
  REQUIRE(stack.status == 200);
  JsonObject body = TestApp::parse(stack.body);
  JsonObject claims = jwt_claims(*find_string(body, "access_token"));
  CHECK(dump_json(claims.at("aud")) == R"(["http://localhost:8080/sandbox/api/auth"])");
  CHECK(*find_string(claims, "scope") == "openid offline_access ledger:read auth:read ledger:write");
  // The refresh keeps the stack audience.
  HttpResponse refreshed =
      d.send("POST", "/platform/oauth/token",
             "grant_type=refresh_token&client_id=fctl&refresh_token=" + *find_string(body, "refresh_token"), {}, false);
  REQUIRE(refreshed.status == 200);
  CHECK(dump_json(jwt_claims(*find_string(TestApp::parse(refreshed.body), "access_token")).at("aud")) ==
        R"(["http://localhost:8080/sandbox/api/auth"])");
  // The environment's jwt-bearer grant accepts it (fctl's FetchStackToken: no client authentication).
  HttpResponse env = d.send("POST", "/sandbox/api/auth/oauth/token",
                            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&scope=openid+email"
                            "&assertion=" +
                                *find_string(body, "access_token"),
                            {}, false);
  INFO(env.body);
  CHECK(env.status == 200);

  SECTION("refusals: another organisation, an unknown stack, a stack the member may not access") {
    HttpResponse org =
        d.send("POST", "/platform/device_authorization", "organization_id=other", basic("fctl", ""), false);
    CHECK(description_of(org) == "unknown organization_id other");
    HttpResponse other = d.send("POST", "/platform/device_authorization", "resource=stack%3A%2F%2Fglobex%2Fsandbox",
                                basic("fctl", ""), false);
    CHECK(description_of(other) == "resource: unknown organization globex (this platform's is acme)");
    HttpResponse unknown = d.send("POST", "/platform/device_authorization", "resource=stack%3A%2F%2Facme%2Fprod",
                                  basic("fctl", ""), false);
    CHECK(error_of(unknown) == "invalid_target");
    CHECK(description_of(unknown) == "resource: unknown environment prod");
    JsonObject denied = start("resource=stack%3A%2F%2Facme%2Fdefault");
    HttpResponse refused = d.decide(denied, "approve", R"({"user":"alice"})");
    CHECK(refused.status == 403);
    CHECK(*find_string(TestApp::parse(refused.body), "errorMessage") == "alice may not access environment default");
  }
}
