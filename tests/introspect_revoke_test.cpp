#include <catch2/catch.hpp>

#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {
JsonObject body_of(const HttpResponse& res) {
  return TestApp::parse(res.body);
}
constexpr char kAlice[] = "grant_type=password&username=alice&password=alice&scope=openid+profile+email";

struct Session {
  explicit Session(TestApp& t) {
    JsonObject b = body_of(t.token(kAlice, basic("testing", "testing")));
    access = *find_string(b, "access_token");
    refresh = *find_string(b, "refresh_token");
  }
  std::string access, refresh;
};

HttpResponse introspect(TestApp& t, const std::string& form, Headers auth = basic("testing", "testing")) {
  return t.request("POST", "/api/auth/oauth/introspect", form, std::move(auth));
}
HttpResponse revoke(TestApp& t, const std::string& form, Headers auth = basic("testing", "testing")) {
  return t.request("POST", "/api/auth/revoke", form, std::move(auth));
}
} // namespace

TEST_CASE("introspection: live tokens are active with their claims (RFC 7662 §2.2)") {
  TestApp t;
  Session s(t);
  JsonObject a = body_of(introspect(t, "token=" + s.access));
  CHECK(a.at("active").get<bool>());
  CHECK(*find_string(a, "token_type") == "Bearer");
  CHECK(*find_string(a, "scope") == "openid profile email");
  CHECK(*find_string(a, "client_id") == "testing");
  CHECK(*find_string(a, "sub") == "u-alice");
  CHECK(*find_string(a, "username") == "alice");
  CHECK(*find_string(a, "iss") == kIssuer);
  CHECK(dump_json(a.at("aud")) == R"(["testing"])");
  CHECK(*find_int(a, "exp") == kStart + 300);
  CHECK(*find_int(a, "iat") == kStart);

  JsonObject r = body_of(introspect(t, "token=" + s.refresh + "&token_type_hint=refresh_token"));
  CHECK(r.at("active").get<bool>());
  CHECK(*find_string(r, "token_type") == "refresh_token");
  CHECK(*find_string(r, "sub") == "u-alice");
  CHECK(*find_int(r, "exp") == kStart + 5 * 3600);
  SECTION("the hint is only a hint") {
    CHECK(body_of(introspect(t, "token=" + s.refresh + "&token_type_hint=access_token")).at("active").get<bool>());
    CHECK(body_of(introspect(t, "token=" + s.access + "&token_type_hint=refresh_token")).at("active").get<bool>());
  }
  SECTION("client credentials tokens too") {
    JsonObject c = body_of(introspect(t, "token=" + t.access_token()));
    CHECK(c.at("active").get<bool>());
    CHECK(*find_string(c, "sub") == "testing");
  }
}

TEST_CASE("introspection: inactive is {\"active\":false} and nothing else") {
  TestApp t;
  Session s(t);
  CHECK(introspect(t, "token=garbage").body == R"({"active":false})");
  CHECK(introspect(t, "token=a.b.c").body == R"({"active":false})");
  SECTION("expired: just before and at exp") {
    t.clock.advance(299);
    CHECK(body_of(introspect(t, "token=" + s.access)).at("active").get<bool>());
    t.clock.advance(1);
    CHECK(introspect(t, "token=" + s.access).body == R"({"active":false})");
  }
  SECTION("another client's token, unless trusted or in the audience") {
    CHECK(introspect(t, "token=" + s.access, basic("cconly", "cconly")).body == R"({"active":false})");
    CHECK(introspect(t, "token=" + s.refresh, basic("cconly", "cconly")).body == R"({"active":false})");
  }
  SECTION("a used (rotated) refresh token") {
    t.token("grant_type=refresh_token&refresh_token=" + s.refresh, basic("testing", "testing"));
    CHECK(introspect(t, "token=" + s.refresh).body == R"({"active":false})");
  }
}

TEST_CASE("introspection: caller authentication and request errors") {
  TestApp t;
  HttpResponse none = introspect(t, "token=x", {});
  CHECK(none.status == 401);
  CHECK(*find_string(body_of(none), "error") == "invalid_client");
  CHECK(introspect(t, "token=x", basic("testing", "wrong")).status == 401);
  HttpResponse pub = introspect(t, "token=x&client_id=spa", {});
  CHECK(pub.status == 401);
  CHECK(*find_string(body_of(pub), "error_description") ==
        "introspection requires client authentication (a secret, a client assertion or a client certificate)");
  HttpResponse missing = introspect(t, "");
  CHECK(missing.status == 400);
  CHECK(*find_string(body_of(missing), "error_description") == "token missing");
  CHECK(t.request("GET", "/api/auth/oauth/introspect?token=x", "", basic("testing", "testing")).status == 405);
}

TEST_CASE("revocation: refresh tokens take their access tokens with them (RFC 7009 §2)") {
  TestApp t;
  Session s(t);
  HttpResponse res = revoke(t, "token=" + s.refresh + "&token_type_hint=refresh_token");
  CHECK(res.status == 200);
  CHECK(res.body.empty());
  CHECK(introspect(t, "token=" + s.refresh).body == R"({"active":false})");
  CHECK(introspect(t, "token=" + s.access).body == R"({"active":false})");
  CHECK(
      *find_string(body_of(t.token("grant_type=refresh_token&refresh_token=" + s.refresh, basic("testing", "testing"))),
                   "error") == "invalid_grant");
  HttpResponse api = t.request("GET", "/api/ledger/x", "", bearer(s.access));
  CHECK(api.status == 401);
  CHECK_THAT(*api.header("WWW-Authenticate"), Catch::Contains("error_description=\"JWT revoked\""));
  HttpResponse ui = t.request("GET", "/api/auth/userinfo", "", bearer(s.access));
  CHECK(ui.status == 401);
  CHECK_THAT(*ui.header("WWW-Authenticate"), Catch::Contains("error=\"invalid_token\""));
  CHECK(t.request("GET", "/api/auth/clients", "", bearer(s.access)).status == 401);
}

TEST_CASE("revocation: access tokens, with or without a hint; unknown tokens are 200") {
  TestApp t;
  Session s(t);
  std::string cc = t.access_token();
  CHECK(revoke(t, "token=" + cc).status == 200);
  CHECK(introspect(t, "token=" + cc).body == R"({"active":false})");
  CHECK(t.request("GET", "/api/ledger/x", "", bearer(cc)).status == 401);
  // Revoking the access token leaves the refresh token alone.
  CHECK(revoke(t, "token=" + s.access + "&token_type_hint=access_token").status == 200);
  CHECK(body_of(introspect(t, "token=" + s.refresh)).at("active").get<bool>());
  CHECK(revoke(t, "token=unknown").status == 200);
  CHECK(revoke(t, "token=" + s.refresh + "&token_type_hint=bogus").status == 200);

  SECTION("only by the client it was issued to") {
    Session other(t);
    HttpResponse res = revoke(t, "token=" + other.refresh, basic("cconly", "cconly"));
    CHECK(res.status == 400);
    CHECK(res.body ==
          R"({"error":"unauthorized_client","error_description":"the token was issued to another client"})");
    CHECK(revoke(t, "token=" + other.access, basic("cconly", "cconly")).status == 400);
    CHECK(body_of(introspect(t, "token=" + other.refresh)).at("active").get<bool>());
  }
  SECTION("public clients revoke with their client_id") {
    JsonObject b = body_of(t.token("grant_type=password&username=bob&password=bob&client_id=spa"));
    CHECK(revoke(t, "client_id=spa&token=" + *find_string(b, "refresh_token"), {}).status == 200);
  }
  SECTION("errors") {
    CHECK(revoke(t, "token=x", {}).status == 401);
    CHECK(*find_string(body_of(revoke(t, "")), "error_description") == "token missing");
  }
}

TEST_CASE("userinfo: claims by scope, RFC 6750 errors") {
  TestApp t;
  Session s(t);
  HttpResponse res = t.request("GET", "/api/auth/userinfo", "", bearer(s.access));
  REQUIRE(res.status == 200);
  JsonObject u = body_of(res);
  CHECK(*find_string(u, "sub") == "u-alice");
  CHECK(*find_string(u, "preferred_username") == "alice");
  CHECK(*find_string(u, "email") == "alice@example.com");
  CHECK(u.at("email_verified").get<bool>());
  CHECK(dump_json(u.at("group")) == R"(["ftl-admin","ftl"])");
  CHECK(t.request("POST", "/userinfo", "", bearer(s.access)).status == 200);
  CHECK(t.request("POST", "/userinfo", "access_token=" + s.access,
                  {{"Content-Type", "application/x-www-form-urlencoded"}})
            .status == 200);

  SECTION("only openid: sub alone") {
    std::string a = *find_string(
        body_of(t.token("grant_type=password&username=bob&password=bob&scope=openid", basic("testing", "testing"))),
        "access_token");
    CHECK(t.request("GET", "/userinfo", "", bearer(a)).body == R"({"sub":"u-bob"})");
  }
  SECTION("no openid scope, or no user: 403 insufficient_scope") {
    std::string a = *find_string(
        body_of(t.token("grant_type=password&username=bob&password=bob", basic("testing", "testing"))), "access_token");
    HttpResponse r = t.request("GET", "/userinfo", "", bearer(a));
    CHECK(r.status == 403);
    CHECK(*r.header("WWW-Authenticate") == "Bearer realm=\"authemu\", error=\"insufficient_scope\", "
                                           "error_description=\"the token lacks scope openid\", scope=\"openid\"");
    CHECK(t.request("GET", "/userinfo", "", bearer(t.access_token())).status == 403);
  }
  SECTION("missing, bad, expired") {
    HttpResponse none = t.request("GET", "/userinfo");
    CHECK(none.status == 401);
    CHECK(*none.header("WWW-Authenticate") == "Bearer realm=\"authemu\", DPoP algs=\"RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512\"");
    CHECK(t.request("GET", "/userinfo", "", bearer("x.y.z")).status == 401);
    t.clock.advance(300);
    CHECK(t.request("GET", "/userinfo", "", bearer(s.access)).status == 401);
    CHECK(t.request("POST", "/userinfo", "access_token=" + s.access,
                    {{"Content-Type", "application/x-www-form-urlencoded"}, {"Authorization", "Bearer " + s.access}})
              .status == 400);
    CHECK(t.request("DELETE", "/userinfo").status == 405);
  }
}

TEST_CASE("introspection, revocation, userinfo: an ID token is not an access token (RFC 9068 §4)") {
  TestApp t;
  JsonObject b = body_of(t.token(kAlice, basic("testing", "testing")));
  std::string id_token = *find_string(b, "id_token");
  std::string access = *find_string(b, "access_token");
  SECTION("introspection: inactive, whoever asks") {
    CHECK(introspect(t, "token=" + id_token).body == R"({"active":false})");
    CHECK(introspect(t, "token=" + id_token + "&token_type_hint=access_token", basic("admin", "admin")).body ==
          R"({"active":false})");
  }
  SECTION("revocation: an invalid token, so 200 and nothing revoked (RFC 7009 §2.2)") {
    HttpResponse r = revoke(t, "token=" + id_token);
    CHECK(r.status == 200);
    CHECK(find_string(body_of(introspect(t, "token=" + access)), "sub") == "u-alice");
  }
  SECTION("userinfo: 401 invalid_token, in the header or in the body") {
    HttpResponse r = t.request("GET", "/api/auth/userinfo", "", bearer(id_token));
    CHECK(r.status == 401);
    CHECK(r.body ==
          R"({"error":"invalid_token","error_description":"JWT typ JWT is not at+jwt: not an access token"})");
    CHECK(*r.header("WWW-Authenticate") == "Bearer realm=\"authemu\", error=\"invalid_token\", "
                                           "error_description=\"JWT typ JWT is not at+jwt: not an access token\", DPoP algs=\"RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512\"");
    HttpResponse form = t.request("POST", "/api/auth/userinfo", "access_token=" + id_token,
                                  {{"Content-Type", "application/x-www-form-urlencoded"}});
    CHECK(form.status == 401);
    CHECK(form.body == r.body);
    CHECK(t.request("GET", "/api/auth/userinfo", "", bearer(access)).status == 200);
  }
}
