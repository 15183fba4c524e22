// The console and what it stands on: the token explainer (each mint case's verdict), the journal's
// details, the console page (no secret in it), its admin-token cookie, and the console client.
#include <catch2/catch.hpp>

#include "cli/startup.h"
#include "http/console_page.h"
#include "http/console_routes.h"
#include "testkit/explain.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

JsonObject explain(TestApp& t, const std::string& body) {
  HttpResponse res = t.request("POST", "/_authemu/explain", body);
  REQUIRE(res.status == 200);
  return TestApp::parse(res.body);
}

std::string minted(TestApp& t, const std::string& body) {
  HttpResponse res = t.request("POST", "/_authemu/mint", body);
  REQUIRE(res.status == 200);
  JsonObject o = TestApp::parse(res.body);
  return find_string(o, "access_token").value_or(find_string(o, "id_token").value_or(""));
}

// The failed checks as "check:reason" words, in order.
std::vector<std::string> failures(const JsonObject& x) {
  std::vector<std::string> out;
  for (const Json& c : x.at("checks").get<JsonArray>()) {
    const JsonObject& o = c.get<JsonObject>();
    if (!o.at("ok").get<bool>()) out.push_back(o.at("check").get<std::string>() + ":" + o.at("reason").get<std::string>());
  }
  return out;
}

std::string message_of(const JsonObject& x, const std::string& check) {
  for (const Json& c : x.at("checks").get<JsonArray>()) {
    if (c.get<JsonObject>().at("check").get<std::string>() == check) return c.get<JsonObject>().at("message").get<std::string>();
  }
  return "";
}

std::string body_with_token(const std::string& token, const std::string& more = "") {
  return "{\"token\":\"" + token + "\"" + more + "}";
}

} // namespace

TEST_CASE("explain: the exact verdict of each mint case") {
  TestApp t;
  using V = std::vector<std::string>;
  struct Case {
    const char* mint;
    V failed;
  };
  for (const Case& c : {Case{"valid", {}}, Case{"expired", {"exp:expired"}}, Case{"not_yet_valid", {"nbf:not_yet_valid"}},
                        Case{"wrong_audience", {"aud:wrong_audience"}}, Case{"wrong_issuer", {"iss:untrusted_issuer"}},
                        Case{"foreign_key", {"signature:unknown_key"}}, Case{"alg_none", {"signature:alg_none"}},
                        Case{"bad_signature", {"signature:bad_signature"}}}) {
    SECTION(c.mint) {
      JsonObject x = explain(t, body_with_token(minted(t, std::string("{\"case\":\"") + c.mint + "\"}")));
      CHECK(failures(x) == c.failed);
      CHECK(x.at("valid").get<bool>() == c.failed.empty());
      CHECK(x.at("environment").get<std::string>() == "default");
    }
  }
  SECTION("ID token: wrong_nonce and wrong_at_hash, judged against the nonce and access token given") {
    std::string nonce = minted(t, R"({"token":"id_token","case":"wrong_nonce","nonce":"n-1"})");
    CHECK(failures(explain(t, body_with_token(nonce, R"(,"nonce":"n-1")"))) == V{"nonce:wrong_nonce"});
    std::string good = minted(t, R"({"token":"id_token","nonce":"n-1","access_token":"at-1"})");
    JsonObject x = explain(t, body_with_token(good, R"(,"nonce":"n-1","access_token":"at-1")"));
    CHECK(failures(x) == V{});
    CHECK(message_of(x, "typ") == "an ID token (typ JWT): a resource server refuses it as an access token");
    std::string bad = minted(t, R"({"token":"id_token","case":"wrong_at_hash","access_token":"at-1"})");
    CHECK(failures(explain(t, body_with_token(bad, R"(,"access_token":"at-1")"))) == V{"at_hash:wrong_at_hash"});
  }
  SECTION("a chosen audience") {
    std::string token = minted(t, "{}");
    CHECK(failures(explain(t, body_with_token(token, R"(,"audience":"ledger")"))) == V{"aud:wrong_audience"});
    CHECK(failures(explain(t, body_with_token(token, R"(,"audience":"testing")"))) == V{});
  }
  SECTION("alg not the key's") {
    std::string token = minted(t, R"({"header":{"alg":"HS256"}})");
    CHECK(failures(explain(t, body_with_token(token))) == V{"signature:alg_mismatch"});
  }
  SECTION("revoked, and bound") {
    std::string token = t.access_token();
    CHECK(t.request("POST", "/api/auth/oauth/revoke", "token=" + token + "&client_id=testing&client_secret=testing").status == 200);
    JsonObject x = explain(t, body_with_token(token));
    CHECK(failures(x) == V{"revoked:revoked"});
    std::string bound = minted(t, R"({"cnf":{"x5t#S256":"abc"}})");
    CHECK(message_of(explain(t, body_with_token(bound)), "cnf") == "bound to the client certificate with x5t#S256 abc (RFC 8705)");
  }
  SECTION("times by the environment clock: relative, and the frozen clock named") {
    std::string token = minted(t, R"({"expires_in":"10m"})");
    CHECK(message_of(explain(t, body_with_token(token)), "exp") == "expires in 10 min (2023-11-14T22:23:20Z)");
    REQUIRE(t.request("POST", "/_authemu/clock", R"({"freeze":true,"advance":"13m"})").status == 200);
    CHECK(message_of(explain(t, body_with_token(token)), "exp") ==
          "expired 3 min ago (2023-11-14T22:23:20Z) by the frozen clock");
  }
  SECTION("not a JWT") {
    JsonObject x = explain(t, body_with_token("not-a-jwt"));
    CHECK(failures(x) == V{"format:malformed"});
    CHECK(x.at("environment").is<picojson::null>());
  }
}

TEST_CASE("explain: HS256 signed with another secret, and a token of another environment") {
  FakeClock clock(kStart);
  EnvironmentSettings hs, rs;
  hs.issuer = "http://localhost:8080/hs/api/auth";
  hs.name = "hs";
  rs.issuer = kIssuer;
  Environment rs_env(rs, {}, {}, test_key(), clock);
  Environment hs_env(hs, {}, {}, SigningKey::from_secret(std::string(32, 'a')), clock);
  JsonObject header{{"alg", json_string("HS256")}, {"kid", json_string(hs_env.keys().active().kid())}};
  JsonObject claims{{"iss", json_string(hs.issuer)}, {"exp", json_int(kStart + 60)}};
  Explanation x = explain_token({sign_jws(SigningKey::from_secret(std::string(32, 'b')), header, claims)},
                                {&rs_env, &hs_env});
  REQUIRE(x.checks.size() > 1);
  CHECK(x.checks[1].reason == "wrong_secret");
  CHECK(x.checks[1].message == "HS256 with the wrong secret: key " + hs_env.keys().active().kid() +
                                   " (HS256) of environment hs does not verify it");
  CHECK(x.environment == &hs_env);
  x = explain_token({sign_jws(hs_env.keys().active(), header, claims)}, {&rs_env, &hs_env});
  CHECK(x.valid == false); // no aud
  CHECK(x.environment == &hs_env);
  CHECK(x.checks[1].message == "signed by key " + hs_env.keys().active().kid() + " (HS256) of environment hs");
  CHECK(x.checks[2].message == "http://localhost:8080/hs/api/auth is environment hs's issuer");
}

TEST_CASE("explain: refusals of the endpoint") {
  TestApp t;
  HttpResponse res = t.request("POST", "/_authemu/explain", "{}");
  CHECK(res.status == 400);
  CHECK(res.body == R"x({"errorCode":"VALIDATION","errorMessage":"token: required (a JWT)"})x");
  res = t.request("POST", "/_authemu/explain", R"({"token":"x","aud":"y"})");
  CHECK(res.status == 400);
  CHECK(res.body == R"({"errorCode":"VALIDATION","errorMessage":"aud: unknown member"})");
  res = t.request("POST", "/_authemu/explain", "{\"token\":\"" + std::string(16 * 1024 + 1, 'a') + "\"}");
  CHECK(res.body == R"({"errorCode":"VALIDATION","errorMessage":"token: longer than 16 KiB"})");
}

TEST_CASE("explain: relative_time in people's words") {
  CHECK(relative_time(0) == "now");
  CHECK(relative_time(45) == "in 45 s");
  CHECK(relative_time(-180) == "3 min ago");
  CHECK(relative_time(3600 + 300) == "in 1 h 5 min");
  CHECK(relative_time(-2 * 86400) == "2 d ago");
}

TEST_CASE("console: the journal keeps masked details and the tokens decoded; GET /_authemu/journal/{seq}") {
  TestApp t;
  t.token("grant_type=password&client_id=testing&client_secret=testing&username=alice&password=wrong-pass");
  t.access_token();
  HttpResponse res = t.request("GET", "/_authemu/journal/1");
  REQUIRE(res.status == 200);
  CHECK(res.body.find("wrong-pass") == std::string::npos);
  JsonObject e = TestApp::parse(res.body);
  CHECK(e.at("params").get<JsonObject>().at("password").get<std::string>() == "****");
  CHECK(e.at("params").get<JsonObject>().at("client_secret").get<std::string>() == "****");
  CHECK(e.at("user").get<std::string>() == "alice");
  CHECK(e.at("path").get<std::string>() == "/api/auth/oauth/token");
  CHECK(e.at("error_description").get<std::string>() == "invalid username or password");
  JsonObject ok = TestApp::parse(t.request("GET", "/_authemu/journal/2").body);
  const JsonArray& tokens = ok.at("tokens").get<JsonArray>();
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].get<JsonObject>().at("role").get<std::string>() == "access_token");
  CHECK(tokens[0].get<JsonObject>().at("claims").get<JsonObject>().at("client_id").get<std::string>() == "testing");
  res = t.request("GET", "/_authemu/journal/99");
  CHECK(res.status == 404);
  CHECK(res.body == R"x({"errorCode":"NOT_FOUND","errorMessage":"no journal entry 99 (the journal keeps the last 1000)"})x");
}

TEST_CASE("console: the page, with no secret in its source, and its built-in client") {
  TestApp t;
  t.token("grant_type=password&client_id=testing&client_secret=testing&username=alice&password=Pw-unit-0001");
  HttpResponse res = t.request("GET", "/_authemu/console");
  REQUIRE(res.status == 200);
  CHECK(res.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(res.header("Content-Security-Policy")->find("connect-src 'self'") != std::string::npos);
  CHECK(res.body.find("Pw-unit-0001") == std::string::npos);
  CHECK(res.body.find("client_secret=testing") == std::string::npos);
  CHECK(res.body.find("<script src") == std::string::npos);
  CHECK(res.body.find("data-act=\"POST /_authemu/clock\"") != std::string::npos);
  CHECK(res.body.find("value=\"authemu-console\"") != std::string::npos);
  // The console client: public, the console's callback, not among the management API's clients.
  Client c = console_client("http://localhost:8080/api/auth");
  CHECK(c.is_public);
  CHECK(c.redirect_uris == std::vector<std::string>{"http://localhost:8080/_authemu/console/callback",
                                                    "http://127.0.0.1/_authemu/console/callback",
                                                    "http://[::1]/_authemu/console/callback"});
  CHECK(t.app->find_environment("")->clients().find(kConsoleClientId) != nullptr);
  CHECK(t.request("GET", "/api/auth/clients").body.find(kConsoleClientId) == std::string::npos);
}

TEST_CASE("console: with an admin token, a prompt, then an HttpOnly SameSite=Strict cookie scoped to /_authemu") {
  AppSettings settings;
  settings.admin_token = "adm-token-123";
  TestApp t(settings);
  HttpResponse res = t.request("GET", "/_authemu/console");
  CHECK(res.status == 401);
  CHECK(res.body.find("admin token") != std::string::npos);
  res = t.request("POST", "/_authemu/console/token", "token=nope", {{"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(res.status == 401);
  CHECK(res.body.find("That is not the admin token.") != std::string::npos);
  res = t.request("POST", "/_authemu/console/token", "token=adm-token-123",
                  {{"Content-Type", "application/x-www-form-urlencoded"}, {"Sec-Fetch-Site", "cross-site"}});
  CHECK(res.status == 403);
  res = t.request("POST", "/_authemu/console/token", "token=adm-token-123",
                  {{"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(res.status == 303);
  CHECK(res.header("Location") == "/_authemu/console");
  CHECK(res.header("Set-Cookie") == "authemu_admin=adm-token-123; Path=/_authemu; HttpOnly; SameSite=Strict");
  Headers cookie{{"Cookie", "authemu_admin=adm-token-123"}};
  CHECK(t.request("GET", "/_authemu/console", "", cookie).status == 200);
  CHECK(t.request("GET", "/_authemu/keys", "", cookie).status == 200);
  CHECK(t.request("GET", "/_authemu/keys", "", {{"Cookie", "authemu_admin=wrong"}}).status == 401);
  // The cookie is the token, not a way around the cross-site rule.
  Headers cross = cookie;
  cross.emplace_back("Origin", "https://evil.example");
  CHECK(t.request("POST", "/_authemu/reset", "{}", cross).status == 403);
}

TEST_CASE("console: refused where the admin API is refused") {
  TestApp t;
  HttpResponse res = t.request("GET", "/_authemu/console", "", {{"Host", "attacker.example"}});
  CHECK(res.status == 403);
  AppSettings off;
  off.admin_api = false;
  TestApp closed(off);
  CHECK(closed.request("GET", "/_authemu/console").status == 404);
}
