#include <catch2/catch.hpp>

#include <vector>

#include "race_support.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {
JsonObject body_of(const HttpResponse& res) {
  return TestApp::parse(res.body);
}
std::string error_of(const HttpResponse& res) {
  return *find_string(body_of(res), "error");
}
std::string description_of(const HttpResponse& res) {
  return find_string(body_of(res), "error_description").value_or("");
}
constexpr char kAlice[] = "grant_type=password&username=alice&password=alice";
} // namespace

TEST_CASE("password: tokens for a user, with FTL's claims") {
  TestApp t;
  HttpResponse res = t.token(kAlice, basic("testing", "testing"));
  REQUIRE(res.status == 200);
  CHECK(*res.header("Cache-Control") == "no-store");
  JsonObject b = body_of(res);
  CHECK(*find_int(b, "expires_in") == 300); // Formance: 5 minutes for tokens with a user
  CHECK(find_string(b, "refresh_token")->size() == 43);
  CHECK(b.count("id_token") == 0); // no openid scope
  JsonObject c = jwt_claims(*find_string(b, "access_token"));
  CHECK(*find_string(c, "sub") == "u-alice");
  CHECK(*find_string(c, "client_id") == "testing");
  CHECK(*find_string(c, "preferred_username") == "alice");
  CHECK(*find_string(c, "email") == "alice@example.com");
  CHECK(*find_string(c, "name") == "Alice Admin");
  CHECK(dump_json(c.at("group")) == R"(["ftl-admin","ftl"])");
  CHECK(*find_string(c, "department") == "qa"); // fixture claims, typed
  CHECK(*find_int(c, "level") == 3);
  CHECK(dump_json(c.at("aud")) == R"(["testing"])");
  CHECK(*find_int(c, "exp") == kStart + 300);

  SECTION("public clients send only their client_id") {
    HttpResponse p = t.token(std::string(kAlice) + "&client_id=spa");
    CHECK(p.status == 200);
  }
  SECTION("a role claim of another name and a per-client audience and lifetime") {
    AppSettings s;
    s.environment.tokens.role_claim = "roles";
    TestApp r(s);
    JsonObject b2 = body_of(r.token(kAlice, basic("ftl", "ftl")));
    JsonObject c2 = jwt_claims(*find_string(b2, "access_token"));
    CHECK(dump_json(c2.at("roles")) == R"(["ftl-admin","ftl"])");
    CHECK(c2.count("group") == 0);
    CHECK(dump_json(c2.at("aud")) == R"(["ftl"])"); // FTL checks aud against oauth2.audience
    CHECK(*find_int(b2, "expires_in") == 120);
  }
}

TEST_CASE("password: scope and the ID token") {
  TestApp t;
  JsonObject b =
      body_of(t.token(std::string(kAlice) + "&scope=openid+profile+email+ledger:read", basic("testing", "testing")));
  CHECK(*find_string(b, "scope") == "openid profile email"); // ledger:read is not a scope of testing
  std::string access = *find_string(b, "access_token");
  JsonObject id = jwt_claims(*find_string(b, "id_token"));
  CHECK(*find_string(jwt_header(*find_string(b, "id_token")), "typ") == "JWT");
  CHECK(*find_string(id, "iss") == kIssuer);
  CHECK(*find_string(id, "sub") == "u-alice");
  CHECK(dump_json(id.at("aud")) == R"(["testing"])");
  CHECK(*find_string(id, "azp") == "testing");
  CHECK(*find_int(id, "auth_time") == kStart);
  CHECK(*find_string(id, "at_hash") == base64url_encode(sha256(access).substr(0, 16)));
  CHECK(*find_string(id, "email") == "alice@example.com");
  CHECK(*find_string(id, "preferred_username") == "alice");
}

TEST_CASE("password: errors") {
  TestApp t;
  auto check = [](const HttpResponse& res, int status, const std::string& error, const std::string& description) {
    CHECK(res.status == status);
    CHECK(error_of(res) == error);
    CHECK(description_of(res) == description);
  };
  check(t.token("grant_type=password&username=alice&password=wrong", basic("testing", "testing")), 400, "invalid_grant",
        "invalid username or password");
  check(t.token("grant_type=password&username=nobody&password=alice", basic("testing", "testing")), 400,
        "invalid_grant", "invalid username or password");
  check(t.token("grant_type=password&password=alice", basic("testing", "testing")), 400, "invalid_request",
        "username missing");
  check(t.token("grant_type=password&username=alice", basic("testing", "testing")), 400, "invalid_request",
        "password missing");
  check(t.token(kAlice, basic("cconly", "cconly")), 400, "unauthorized_client",
        "client cconly may not use the password grant");
  check(t.token(kAlice, basic("testing", "bad")), 401, "invalid_client", "invalid client secret");
  check(t.token(std::string(kAlice) + "&client_id=testing"), 401, "invalid_client",
        "client_secret required for confidential client testing");
}

TEST_CASE("refresh: rotation, narrowing, reuse detection") {
  TestApp t;
  JsonObject first = body_of(t.token(std::string(kAlice) + "&scope=openid+profile", basic("testing", "testing")));
  std::string rt1 = *find_string(first, "refresh_token");
  t.clock.advance(60);
  HttpResponse r2 = t.token("grant_type=refresh_token&refresh_token=" + rt1, basic("testing", "testing"));
  REQUIRE(r2.status == 200);
  JsonObject second = body_of(r2);
  std::string rt2 = *find_string(second, "refresh_token");
  CHECK(rt2 != rt1);
  JsonObject c = jwt_claims(*find_string(second, "access_token"));
  CHECK(*find_string(c, "sub") == "u-alice");
  CHECK(*find_string(c, "scope") == "openid profile");
  CHECK(*find_int(c, "iat") == kStart + 60);
  CHECK(*find_int(jwt_claims(*find_string(second, "id_token")), "auth_time") == kStart); // OIDC Core §12.2

  SECTION("a narrower scope is allowed, a wider one is invalid_scope and uses nothing up") {
    HttpResponse wide =
        t.token("grant_type=refresh_token&scope=openid+email&refresh_token=" + rt2, basic("testing", "testing"));
    CHECK(wide.status == 400);
    CHECK(error_of(wide) == "invalid_scope");
    CHECK(description_of(wide) == "scope email was not granted originally; a refresh can only narrow scope");
    HttpResponse narrow =
        t.token("grant_type=refresh_token&scope=openid&refresh_token=" + rt2, basic("testing", "testing"));
    REQUIRE(narrow.status == 200);
    JsonObject n = body_of(narrow);
    CHECK(*find_string(n, "scope") == "openid");
    // The next refresh may go back up to the original grant's scope.
    HttpResponse back =
        t.token("grant_type=refresh_token&scope=openid+profile&refresh_token=" + *find_string(n, "refresh_token"),
                basic("testing", "testing"));
    CHECK(back.status == 200);
  }
  SECTION("reusing a rotated token revokes the whole family") {
    std::string access2 = *find_string(second, "access_token");
    CHECK(t.request("GET", "/api/ledger/x", "", bearer(access2)).status == 200);
    HttpResponse reuse = t.token("grant_type=refresh_token&refresh_token=" + rt1, basic("testing", "testing"));
    CHECK(reuse.status == 400);
    CHECK(error_of(reuse) == "invalid_grant");
    CHECK(description_of(reuse) == "refresh token already used: the grant is revoked, as a rotated token came back");
    HttpResponse after = t.token("grant_type=refresh_token&refresh_token=" + rt2, basic("testing", "testing"));
    CHECK(error_of(after) == "invalid_grant");
    CHECK(t.request("GET", "/api/ledger/x", "", bearer(access2)).status == 401);
  }
  SECTION("another client's refresh token is invalid_grant and stays usable") {
    HttpResponse other = t.token("grant_type=refresh_token&refresh_token=" + rt2, basic("ftl", "ftl"));
    CHECK(error_of(other) == "invalid_grant");
    CHECK(description_of(other) == "refresh token was issued to another client");
    CHECK(t.token("grant_type=refresh_token&refresh_token=" + rt2, basic("testing", "testing")).status == 200);
  }
  SECTION("unknown, missing, not allowed") {
    CHECK(description_of(t.token("grant_type=refresh_token&refresh_token=nope", basic("testing", "testing"))) ==
          "refresh token unknown, expired or revoked");
    CHECK(description_of(t.token("grant_type=refresh_token", basic("testing", "testing"))) == "refresh_token missing");
    CHECK(error_of(t.token("grant_type=refresh_token&refresh_token=" + rt2, basic("cconly", "cconly"))) ==
          "unauthorized_client");
  }
}

TEST_CASE("refresh: lifetime is enforced") {
  TestApp t;
  std::string rt = *find_string(body_of(t.token(kAlice, basic("ftl", "ftl"))), "refresh_token"); // ftl: 10 minutes
  SECTION("just before expiry") {
    t.clock.advance(599);
    CHECK(t.token("grant_type=refresh_token&refresh_token=" + rt, basic("ftl", "ftl")).status == 200);
  }
  SECTION("at expiry") {
    t.clock.advance(600);
    HttpResponse res = t.token("grant_type=refresh_token&refresh_token=" + rt, basic("ftl", "ftl"));
    CHECK(error_of(res) == "invalid_grant");
  }
  SECTION("the server default is 5 hours") {
    std::string rt5 = *find_string(body_of(t.token(kAlice, basic("testing", "testing"))), "refresh_token");
    t.clock.advance(5 * 3600);
    CHECK(error_of(t.token("grant_type=refresh_token&refresh_token=" + rt5, basic("testing", "testing"))) ==
          "invalid_grant");
  }
}

TEST_CASE("refresh: concurrent reuse revokes the whole family whatever the interleaving") {
  // OAuth 2.0 Security BCP §4.14.2: when 2-8 requests race with one refresh token, one wins and
  // the others are reuse; the winner's new tokens belong to the revoked family and must die too,
  // whether they were issued before or after the revocation.
  TestApp t;
  constexpr int kRounds = 200;
  int leaked_refresh = 0, leaked_access = 0, wrong_winners = 0;
  auto introspect = [&](const std::string& token) {
    return t.request("POST", "/api/auth/oauth/introspect", "token=" + token, basic("testing", "testing")).body;
  };
  for (int round = 0; round < kRounds; ++round) {
    int threads = 2 + round % 7;
    JsonObject granted = body_of(t.token(kAlice, basic("testing", "testing")));
    std::string rt = *find_string(granted, "refresh_token");
    std::vector<HttpResponse> answers(threads);
    race(threads, [&](int i) {
      answers[i] = t.token("grant_type=refresh_token&refresh_token=" + rt, basic("testing", "testing"));
    });
    int winners = 0;
    std::string new_refresh, new_access;
    for (const HttpResponse& a : answers) {
      if (a.status == 200) {
        ++winners;
        new_refresh = *find_string(body_of(a), "refresh_token");
        new_access = *find_string(body_of(a), "access_token");
      } else {
        CHECK(error_of(a) == "invalid_grant");
      }
    }
    if (winners != 1) {
      ++wrong_winners;
      continue;
    }
    if (introspect(new_refresh) != R"({"active":false})") ++leaked_refresh;
    if (introspect(new_access) != R"({"active":false})") ++leaked_access;
    CHECK(introspect(*find_string(granted, "access_token")) == R"({"active":false})");
    CHECK(description_of(t.token("grant_type=refresh_token&refresh_token=" + new_refresh,
                                 basic("testing", "testing"))) == "refresh token unknown, expired or revoked");
  }
  INFO(kRounds << " rounds");
  CHECK(wrong_winners == 0);
  CHECK(leaked_refresh == 0);
  CHECK(leaked_access == 0);
}
