#include <catch2/catch.hpp>

#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {
std::string error_of(const HttpResponse& res) {
  return *find_string(TestApp::parse(res.body), "error");
}
std::string description_of(const HttpResponse& res) {
  return find_string(TestApp::parse(res.body), "error_description").value_or("");
}
} // namespace

TEST_CASE("token: client_credentials with testing/testing gives a Formance + RFC 9068 token") {
  TestApp t;
  HttpResponse res = t.token("grant_type=client_credentials&client_id=testing&client_secret=testing");
  REQUIRE(res.status == 200);
  CHECK(*res.header("Content-Type") == "application/json");
  CHECK(*res.header("Cache-Control") == "no-store");
  CHECK(*res.header("Pragma") == "no-cache");
  JsonObject body = TestApp::parse(res.body);
  CHECK(*find_string(body, "token_type") == "Bearer");
  CHECK(*find_int(body, "expires_in") == 3600);
  CHECK(body.count("refresh_token") == 0); // RFC 6749 §4.4.3
  CHECK(body.count("scope") == 0);         // nothing requested, nothing granted

  std::string token = *find_string(body, "access_token");
  JsonObject h = jwt_header(token);
  CHECK(*find_string(h, "alg") == "RS256");
  CHECK(*find_string(h, "typ") == "at+jwt");
  CHECK(*find_string(h, "kid") == t.app->keys().active().kid());
  JsonObject c = jwt_claims(token);
  CHECK(c.at("aud").get<JsonArray>().size() == 1);
  CHECK(c.at("aud").get<JsonArray>()[0].get<std::string>() == "testing");
  CHECK(*find_int(c, "iat") == kStart);
  CHECK(*find_int(c, "nbf") == kStart);
  CHECK(*find_int(c, "exp") == kStart + 3600);
  CHECK(*find_string(c, "iss") == kIssuer);
  CHECK(*find_string(c, "scope") == "");
  CHECK(*find_string(c, "sub") == "testing");
  CHECK(*find_string(c, "client_id") == "testing");
  CHECK(find_string(c, "jti")->size() == 36);
  CHECK(*find_string(jwt_claims(t.access_token()), "jti") != *find_string(c, "jti"));
}

TEST_CASE("token: client authentication methods") {
  TestApp t;
  SECTION("HTTP Basic") {
    CHECK(t.token("grant_type=client_credentials", basic("testing", "testing")).status == 200);
  }
  SECTION("HTTP Basic with form-encoded values (RFC 6749 Appendix B)") {
    CHECK(t.token("grant_type=client_credentials", basic("scoped", "p%2Bss+w%25rd")).status == 200);
  }
  SECTION("HTTP Basic with raw values, as curl -u sends them") {
    CHECK(t.token("grant_type=client_credentials", basic("scoped", "p+ss w%rd")).status == 200);
  }
  SECTION("parameters in the query string, as the Formance docs' httpie example") {
    CHECK(
        t.request("POST", "/api/auth/oauth/token?grant_type=client_credentials&client_id=testing&client_secret=testing")
            .status == 200);
  }
  SECTION("the root path, as behind a prefix-stripping gateway") {
    CHECK(t.request("POST", "/oauth/token", "grant_type=client_credentials&client_id=testing&client_secret=testing",
                    {{"Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"}})
              .status == 200);
  }
}

TEST_CASE("token: invalid_client is 401 with WWW-Authenticate (RFC 6749 §5.2)") {
  TestApp t;
  auto check = [](const HttpResponse& res, const std::string& description) {
    CHECK(res.status == 401);
    CHECK(error_of(res) == "invalid_client");
    CHECK(description_of(res) == description);
    CHECK(*res.header("WWW-Authenticate") == "Basic realm=\"authemu\"");
    CHECK(*res.header("Cache-Control") == "no-store");
  };
  check(t.token("grant_type=client_credentials&client_id=testing&client_secret=wrong"), "invalid client secret");
  check(t.token("grant_type=client_credentials", basic("testing", "wrong")), "invalid client secret");
  check(t.token("grant_type=client_credentials&client_id=nobody&client_secret=x"), "unknown client");
  check(t.token("grant_type=client_credentials"),
        "client authentication required: HTTP Basic or client_id and client_secret");
  check(t.token("grant_type=client_credentials&client_id=testing"),
        "client_secret required for confidential client testing");
  check(t.token("grant_type=client_credentials", {{"Authorization", "Basic !!!"}}),
        "malformed HTTP Basic credentials: not base64");
  check(t.token("grant_type=client_credentials", {{"Authorization", "Basic " + base64_encode("nocolon")}}),
        "malformed HTTP Basic credentials: no ':' between id and secret");
}

TEST_CASE("token: request errors") {
  TestApp t;
  auto check = [](const HttpResponse& res, int status, const std::string& error, const std::string& description) {
    CHECK(res.status == status);
    CHECK(error_of(res) == error);
    CHECK(description_of(res) == description);
  };
  check(t.token("client_id=testing&client_secret=testing"), 400, "invalid_request", "grant_type missing");
  check(t.token("grant_type=password_please&client_id=testing&client_secret=testing"), 400, "unsupported_grant_type",
        "password_please not supported");
  check(t.token("grant_type=client_credentials&grant_type=client_credentials&client_id=testing&client_secret=testing"),
        400, "invalid_request", "parameter grant_type is repeated");
  check(t.token("grant_type=client_credentials&client_id=testing&client_secret=testing&client_secret=testing"), 400,
        "invalid_request", "parameter client_secret is repeated");
  check(t.token("grant_type=client_credentials&client_secret=testing", basic("testing", "testing")), 400,
        "invalid_request", "client authenticated both by HTTP Basic and by client_secret; use one");
  check(t.token("grant_type=client_credentials&client_id=other", basic("testing", "testing")), 400, "invalid_request",
        "client_id differs from the HTTP Basic user");
  check(t.token("grant_type=client_credentials&client_id=%zz"), 400, "invalid_request",
        "malformed percent-encoding in the body");
  check(t.request("POST", "/api/auth/oauth/token", R"({"grant_type":"client_credentials"})",
                  {{"Content-Type", "application/json"}}),
        400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
  check(t.token("grant_type=client_credentials&client_id=spa"), 400, "unauthorized_client",
        "public client spa may not use client_credentials");
  check(t.token("grant_type=client_credentials&client_id=testing&client_secret=testing&scope=a%22b"), 400,
        "invalid_scope", "scope contains a character outside RFC 6749 NQCHAR");

  SECTION("GET is 405 with Allow: POST") {
    HttpResponse res = t.request("GET", "/api/auth/oauth/token");
    check(res, 405, "invalid_request", "this endpoint accepts POST only");
    CHECK(*res.header("Allow") == "POST");
  }
}

TEST_CASE("token: granted scope is requested ∩ client scopes, in request order (Formance)") {
  TestApp t;
  HttpResponse res =
      t.token("grant_type=client_credentials&scope=payments:read+unknown+ledger:read", basic("scoped", "s3cret"));
  REQUIRE(res.status == 200);
  JsonObject body = TestApp::parse(res.body);
  // RFC 6749 §5.1: scope is returned because it differs from the request.
  CHECK(*find_string(body, "scope") == "payments:read ledger:read");
  CHECK(*find_string(jwt_claims(*find_string(body, "access_token")), "scope") == "payments:read ledger:read");

  SECTION("a client without scopes gets an empty scope") {
    JsonObject b =
        TestApp::parse(t.token("grant_type=client_credentials&scope=ledger:read", basic("testing", "testing")).body);
    CHECK(*find_string(b, "scope") == "");
    CHECK(*find_string(jwt_claims(*find_string(b, "access_token")), "scope") == "");
  }
}

TEST_CASE("token: lifetimes per server and per client; expires_in matches exp") {
  SECTION("server setting") {
    AppSettings s;
    s.environment.tokens.access_token_lifetime = 120;
    TestApp t(s);
    JsonObject body = TestApp::parse(t.token("grant_type=client_credentials", basic("testing", "testing")).body);
    CHECK(*find_int(body, "expires_in") == 120);
    CHECK(*find_int(jwt_claims(*find_string(body, "access_token")), "exp") == kStart + 120);
  }
  SECTION("per client, from the fixture") {
    TestApp t;
    JsonObject body = TestApp::parse(t.token("grant_type=client_credentials", basic("short", "short")).body);
    CHECK(*find_int(body, "expires_in") == 90);
    CHECK(*find_int(jwt_claims(*find_string(body, "access_token")), "exp") == kStart + 90);
  }
}
