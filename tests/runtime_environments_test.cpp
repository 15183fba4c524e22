#include <catch2/catch.hpp>

#include <atomic>

#include "race_support.h"
#include "stack/stack.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

HttpResponse admin(TestApp& t, const std::string& method, const std::string& path, const std::string& body = "") {
  return t.request(method, std::string("/_authemu") + path, body);
}

std::string error_message(const HttpResponse& res) {
  return find_string(TestApp::parse(res.body), "errorMessage").value_or("");
}

// A small environment of one client; ES256 keys are made at once.
std::string small(const std::string& name, const std::string& extra = "") {
  return R"({"name":")" + name + R"(","signingAlgorithm":"ES256","clients":[{"id":"c","secrets":["c"]}])" + extra + "}";
}

HttpResponse client_token(TestApp& t, const std::string& name) {
  return t.request("POST", "/" + name + "/api/auth/oauth/token", "grant_type=client_credentials", basic("c", "c"));
}

} // namespace

TEST_CASE("runtime environments: made, used and thrown away") {
  TestApp t;
  HttpResponse made = admin(t, "POST", "/environments", R"({"name":"mine","accessTokenLifetime":"2m",
    "clients":[{"id":"svc","secrets":["svc"],"groups":["ftl"],"username":"svc-user","audience":"ftl"}],
    "users":[{"username":"carol","password":"carol","groups":["ftl-admin"]}],"oddity":1})");
  REQUIRE(made.status == 201);
  JsonObject m = TestApp::parse(made.body);
  const std::string issuer = "http://localhost:8080/mine/api/auth";
  CHECK(*find_string(m, "name") == "mine");
  CHECK(*find_string(m, "issuer") == issuer);
  CHECK(*find_string(m, "discovery") == issuer + "/.well-known/openid-configuration");
  CHECK(*find_string(m, "jwks_uri") == issuer + "/keys");
  CHECK(*find_string(m, "signingAlgorithm") == "RS256");
  CHECK(m.at("runtime").get<bool>());
  CHECK(dump_json(m.at("warnings")) == R"(["oddity: unknown key, ignored"])"); // as a fixture's

  // Its discovery, its own key in its JWKS, its clients and settings.
  HttpResponse d = t.request("GET", "/mine/api/auth/.well-known/openid-configuration");
  REQUIRE(d.status == 200);
  CHECK(*find_string(TestApp::parse(d.body), "issuer") == issuer);
  std::string kid = *find_string(m, "kid");
  CHECK(t.request("GET", "/mine/api/auth/keys").body.find(kid) != std::string::npos);
  CHECK(t.request("GET", "/api/auth/keys").body.find(kid) == std::string::npos);
  HttpResponse cc =
      t.request("POST", "/mine/api/auth/oauth/token", "grant_type=client_credentials", basic("svc", "svc"));
  REQUIRE(cc.status == 200);
  CHECK(*find_int(TestApp::parse(cc.body), "expires_in") == 120);
  std::string token = *find_string(TestApp::parse(cc.body), "access_token");
  JsonObject claims = jwt_claims(token);
  CHECK(*find_string(claims, "iss") == issuer);
  CHECK(*find_string(jwt_header(token), "kid") == kid);
  CHECK(dump_json(claims.at("group")) == R"(["ftl"])");
  CHECK(*find_string(claims, "preferred_username") == "svc-user");
  HttpResponse pw = t.request("POST", "/mine/api/auth/oauth/token", "grant_type=password&username=carol&password=carol",
                              basic("svc", "svc"));
  CHECK(pw.status == 400); // svc may not use the password grant: Formance's default grants
  // The default environment knows nothing of it.
  CHECK(t.request("POST", "/api/auth/oauth/token", "grant_type=client_credentials", basic("svc", "svc")).status == 401);

  JsonObject list = TestApp::parse(admin(t, "GET", "/environments").body);
  JsonArray all = list.at("environments").get<JsonArray>();
  REQUIRE(all.size() == 2);
  CHECK(*find_string(all[0].get<JsonObject>(), "name") == "default");
  CHECK_FALSE(all[0].get<JsonObject>().at("runtime").get<bool>());
  CHECK(*find_string(all[1].get<JsonObject>(), "name") == "mine");
  CHECK(admin(t, "GET", "/").body.find("\"mine\"") != std::string::npos); // the index lists it too

  REQUIRE(admin(t, "DELETE", "/environments/mine").status == 204);
  CHECK(t.request("GET", "/mine/api/auth/.well-known/openid-configuration").status == 404);
  HttpResponse again = admin(t, "DELETE", "/environments/mine");
  CHECK(again.status == 404);
  CHECK(error_message(again) == "no environment mine");
  CHECK(TestApp::parse(admin(t, "GET", "/environments").body).at("environments").get<JsonArray>().size() == 1);
  // Its name is free again.
  CHECK(admin(t, "POST", "/environments", small("mine")).status == 201);
}

TEST_CASE("runtime environments: refused with the fixture's own messages") {
  TestApp t;
  auto refused = [&](const std::string& body, const std::string& message) {
    HttpResponse r = admin(t, "POST", "/environments", body);
    INFO(body);
    CHECK(r.status == 400);
    CHECK(r.body == R"({"errorCode":"VALIDATION","errorMessage":")" + message + "\"}");
  };
  refused(R"({"name":"e","clients":[{"secrets":["x"]}]})", "clients[0].id: required");
  refused(R"({"name":"e","clients":[{"id":"a"},{"id":"a"}]})", "clients[1].id: duplicate client id a");
  refused(R"({"name":"e","users":[{"username":"u"}]})", "users[0].password: required");
  refused(R"({"name":"e","clients":[{"id":"a","claims":{"aud":"x"}}]})",
          "clients[0].claims.aud: reserved: authemu sets aud itself");
  CHECK_THAT(
      error_message(admin(t, "POST", "/environments", R"({"name":"e","clients":[{"id":"a","grantTypes":["magic"]}]})")),
      Catch::StartsWith("clients[0].grantTypes[0]: unknown grant type magic (known: client_credentials, "));
  refused(R"({"name":"e","accessTokenLifetime":"forever"})",
          "accessTokenLifetime: expected a duration such as 3600, 90s, 5m or 1h");
  refused(R"({"name":"e","signingAlgorithm":"RS1"})", "signingAlgorithm: expected RS256, PS256, ES256 or HS256");
  refused(R"({"name":"e","signingAlgorithm":"HS256"})", "signingSecret: required with signingAlgorithm HS256");
  refused(R"({"name":"e","signingKey":"keys/my.pem"})",
          "signingKey: expected PEM or JWK text or embedded:<file> (no file paths at run time), or nothing for a "
          "generated key");
  refused(R"({"name":"e","clients":[{"id":"a","secrets":["$HOME"]}]})",
          "clients[0].secrets[0]: environment variable HOME is not set");
  refused(R"({"name":"e","delegatedIssuer":"sandbox","delegatedClientId":"a","delegatedClientSecret":"b"})",
          "delegatedIssuer: expected the http:// or https:// URL of an OpenID issuer (at run time, not an "
          "environment's name)");
  refused(R"({"name":"e","issuer":"not a url"})", "issuer: expected an http:// or https:// URL, got 'not a url'");
  refused(R"({"clients":[]})", "name: required");
  refused(R"({"name":"Bad_Name"})",
          "name: environment names are 1-63 of a-z, 0-9 and '-', and not a route name (api, platform, …)");
  refused(R"({"name":"keys"})",
          "name: environment names are 1-63 of a-z, 0-9 and '-', and not a route name (api, platform, …)");
  refused(R"({"name":"e","clients":{"id":"a"}})", "clients: expected a list");
  refused(R"({"name":"e","pad":")" + std::string(262144, 'x') + "\"}", "body: larger than 262144 bytes");
  CHECK(admin(t, "POST", "/environments", "[1]").status == 400);
  CHECK(admin(t, "POST", "/environments", "{").status == 400);
  CHECK(TestApp::parse(admin(t, "GET", "/environments").body).at("environments").get<JsonArray>().size() == 1);
}

TEST_CASE("runtime environments: names and keys are each environment's own; fixture ones stay") {
  TestApp t;
  REQUIRE(admin(t, "POST", "/environments", small("one")).status == 201);
  HttpResponse taken = admin(t, "POST", "/environments", small("one"));
  CHECK(taken.status == 409);
  CHECK(error_message(taken) == "environment one already exists");
  CHECK(error_message(admin(t, "POST", "/environments", small("default"))) == "environment default already exists");
  HttpResponse same_key =
      admin(t, "POST", "/environments", R"({"name":"copy","signingKey":"embedded:test-signing-key.pem"})");
  CHECK(same_key.status == 409);
  CHECK(error_message(same_key) == "signingKey: the same key as environment default; each environment needs its own");
  HttpResponse fixture = admin(t, "DELETE", "/environments/default");
  CHECK(fixture.status == 409);
  CHECK(error_message(fixture) ==
        "environment default comes from the fixture: only environments made at run time can be removed");
  // A given key (here the sandbox's test key) and an HS256 secret.
  HttpResponse given =
      admin(t, "POST", "/environments", R"({"name":"given","signingKey":"embedded:test-signing-key-sandbox.pem"})");
  REQUIRE(given.status == 201);
  HttpResponse hs =
      admin(t, "POST", "/environments",
            R"({"name":"hs","signingAlgorithm":"HS256","signingSecret":"a shared secret of 32 bytes or more"})");
  REQUIRE(hs.status == 201);
  CHECK(*find_string(TestApp::parse(hs.body), "signingAlgorithm") == "HS256");
}

TEST_CASE("runtime environments: at most 64; reset removes them") {
  TestApp t;
  for (size_t i = 0; i < kMaxRuntimeEnvironments; ++i)
    REQUIRE(admin(t, "POST", "/environments", small("e" + std::to_string(i))).status == 201);
  HttpResponse full = admin(t, "POST", "/environments", small("one-more"));
  CHECK(full.status == 409);
  CHECK(error_message(full) == "at most 64 environments made at run time: DELETE /_authemu/environments/{name} or "
                               "POST /_authemu/reset removes them");
  REQUIRE(admin(t, "DELETE", "/environments/e7").status == 204);
  CHECK(admin(t, "POST", "/environments", small("one-more")).status == 201);

  // A reset of one of them resets it in place; a whole reset removes them all.
  REQUIRE(admin(t, "POST", "/faults", R"({"environment":"e1","endpoint":"token","status":503})").status == 201);
  CHECK(admin(t, "POST", "/reset", R"({"environment":"e1"})").body == R"({"reset":["e1"]})");
  CHECK(client_token(t, "e1").status == 200);
  REQUIRE(admin(t, "POST", "/faults", R"({"environment":"e2","endpoint":"token","status":503})").status == 201);
  HttpResponse reset = admin(t, "POST", "/reset");
  REQUIRE(reset.status == 200);
  JsonObject r = TestApp::parse(reset.body);
  CHECK(r.at("removed").get<JsonArray>().size() == 64);
  CHECK(r.at("reset").get<JsonArray>().size() == 65); // the default and the 64, reset before they go
  CHECK(TestApp::parse(admin(t, "GET", "/environments").body).at("environments").get<JsonArray>().size() == 1);
  CHECK(admin(t, "GET", "/faults").body == R"({"faults":[]})");
  CHECK(client_token(t, "e2").status == 404);
  // Made again under an old name: none of the old one's faults or journal.
  REQUIRE(admin(t, "POST", "/environments", small("e2")).status == 201);
  CHECK(client_token(t, "e2").status == 200);
}

TEST_CASE("runtime environments: requests in flight while environments come and go") {
  TestApp t;
  REQUIRE(admin(t, "POST", "/environments", small("busy")).status == 201);
  std::atomic<bool> done{false};
  std::vector<std::vector<int>> statuses(3);
  race(3, [&](int i) {
    if (i == 0) {
      for (int round = 0; round < 20; ++round) {
        statuses[0].push_back(admin(t, "DELETE", "/environments/busy").status);
        statuses[0].push_back(admin(t, "POST", "/environments", small("busy")).status);
      }
      done = true;
      return;
    }
    while (!done)
      statuses[i].push_back(client_token(t, "busy").status);
  });
  for (int s : statuses[0])
    CHECK((s == 204 || s == 201));
  for (int i = 1; i < 3; ++i) {
    for (int s : statuses[i])
      CHECK((s == 200 || s == 404));
  }
}
