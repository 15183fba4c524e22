#include <catch2/catch.hpp>

#include "oauth/bearer_auth.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

using R = BearerFailure::Reason;

struct Bearer {
  TestApp t;
  Environment& env = *t.app->find_environment("");

  BearerResult check(const HttpRequest& req, bool form_token = false, const std::string& scope_service = "") {
    RequestForm form(req);
    return authenticate_bearer(env.verifier(), BearerRequest{req, form, form_token}, scope_service);
  }
};

HttpRequest form_post(const std::string& body, Headers headers = {}) {
  HttpRequest req = make_request("POST", "/api/auth/userinfo", body, std::move(headers));
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  return req;
}

} // namespace

TEST_CASE("bearer_auth: the registry's kinds") {
  std::vector<std::string> names;
  for (const BearerKind* k : all_bearer_kinds())
    names.emplace_back(k->name);
  CHECK(names == std::vector<std::string>{"header", "dpop", "form"});
}

TEST_CASE("bearer_auth: a token in the Authorization header (RFC 6750 §2.1)") {
  Bearer b;
  std::string token = b.t.access_token();
  BearerResult ok = b.check(make_request("GET", "/x", "", {{"Authorization", "bearer  " + token + " "}}));
  REQUIRE(ok.token);
  CHECK(ok.token->client_id == "testing");

  CHECK(b.check(make_request("GET", "/x", "", {})).failure.reason == R::missing);
  CHECK(b.check(make_request("GET", "/x", "", {{"Authorization", "Bearerx " + token}})).failure.reason == R::missing);
  CHECK(b.check(make_request("GET", "/x", "", {{"Authorization", "Bearer a b"}})).failure.reason == R::malformed);
  CHECK(b.check(make_request("GET", "/x", "", {{"Authorization", "Bearer"}})).failure.reason == R::malformed);
  BearerResult bad = b.check(make_request("GET", "/x", "", bearer("abc")));
  CHECK(bad.failure.reason == R::invalid_token);
  CHECK(bad.failure.description == "not a JWT: expected three dot-separated parts");
}

TEST_CASE("bearer_auth: a token in a POST's form body where the resource takes it (RFC 6750 §2.2)") {
  Bearer b;
  std::string token = b.t.access_token();
  CHECK(b.check(form_post("access_token=" + token), true).token);
  CHECK(b.check(form_post("access_token=" + token), false).failure.reason == R::missing);
  BearerResult both = b.check(form_post("access_token=" + token, bearer(token)), true);
  CHECK(both.failure.reason == R::invalid_request);
  CHECK(both.failure.description == "token sent both in the header and in the body");
  BearerResult unreadable = b.check(form_post("access_token=%zz", bearer(token)), true);
  CHECK(unreadable.failure.reason == R::invalid_request);
  CHECK(unreadable.failure.description == "malformed percent-encoding in the body");
}

TEST_CASE("bearer_auth: Formance's scope rule") {
  Bearer b;
  std::string reader = *find_string(
      TestApp::parse(b.t.token("grant_type=client_credentials&scope=ledger:read", basic("admin", "admin")).body),
      "access_token");
  CHECK(b.check(make_request("GET", "/x", "", bearer(reader)), false, "ledger").token);
  BearerResult write = b.check(make_request("POST", "/x", "", bearer(reader)), false, "ledger");
  CHECK(write.failure.reason == R::insufficient_scope);
  CHECK(write.failure.scope == "ledger:write");
  CHECK(b.check(make_request("GET", "/x", "", bearer(reader)), false, "auth").failure.scope == "auth:read");
  CHECK(b.check(make_request("POST", "/x", "", bearer(reader))).token); // no rule

  VerifiedToken t;
  t.scope = "payments:write";
  CHECK_FALSE(missing_scope(t, "payments", "GET"));
  CHECK_FALSE(missing_scope(t, "payments", "DELETE"));
  CHECK(missing_scope(t, "ledger", "OPTIONS") == std::string("ledger:read"));
}
