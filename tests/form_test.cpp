#include <catch2/catch.hpp>

#include "oauth/form.h"
#include "oauth/oauth_error.h"

using namespace authemu;

TEST_CASE("form: decoding per RFC 6749 Appendix B") {
  CHECK(*form_decode("a+b%20c%2Bd%25") == "a b c+d%");
  CHECK(*form_decode("%e2%82%AC") == "\xe2\x82\xac");
  CHECK_FALSE(form_decode("%"));
  CHECK_FALSE(form_decode("%4"));
  CHECK_FALSE(form_decode("%zz"));
}

TEST_CASE("form: parameters") {
  Params p = Params::parse("grant_type=client_credentials&scope=a+b&empty=&flag", "body");
  CHECK(*p.get("grant_type") == "client_credentials");
  CHECK(*p.get("scope") == "a b");
  SECTION("empty values count as omitted (RFC 6749 §3.2)") {
    CHECK_FALSE(p.get("empty"));
    CHECK_FALSE(p.get("flag"));
    CHECK_FALSE(p.get("missing"));
  }
  SECTION("a repeated parameter is invalid_request") {
    Params r = Params::parse("scope=a&scope=b", "body");
    CHECK_THROWS_WITH(r.get("scope"), "parameter scope is repeated");
    try {
      r.get("scope");
    } catch (const OAuthError& e) {
      CHECK(e.code() == "invalid_request");
      CHECK(e.status() == 400);
    }
  }
  SECTION("the same name in query and body is repeated too") {
    Params m = Params::merge(Params::parse("client_id=a", "query string"), Params::parse("client_id=a", "body"));
    CHECK_THROWS_WITH(m.get("client_id"), "parameter client_id is repeated");
  }
  SECTION("bad encoding names where it was") {
    CHECK_THROWS_WITH(Params::parse("a=%G0", "body"), "malformed percent-encoding in the body");
  }
  SECTION("at most 64 parameters") {
    std::string many;
    for (int i = 0; i < 65; ++i)
      many += "p" + std::to_string(i) + "=1&";
    CHECK_THROWS_WITH(Params::parse(many, "body"), "more than 64 parameters in the body");
  }
}

TEST_CASE("form: a request's form is parsed once, and a failure is thrown again") {
  HttpRequest req;
  req.method = "POST";
  req.query = "a=1";
  req.body = "b=2";
  RequestForm form(req);
  const Params& merged = form.merged();
  CHECK(&form.merged() == &merged);
  CHECK(&form.query() == &form.query());
  CHECK(*merged.get("a") == "1");
  CHECK(*merged.get("b") == "2");
  CHECK_FALSE(form.body().has("a"));

  SECTION("the body's error before the query's, and again when read again") {
    req.query = "a=%zz";
    req.body = "b=%zz";
    RequestForm bad(req);
    CHECK_THROWS_WITH(bad.merged(), "malformed percent-encoding in the body");
    CHECK_THROWS_WITH(bad.merged(), "malformed percent-encoding in the body");
    CHECK_THROWS_WITH(bad.query(), "malformed percent-encoding in the query string");
  }
  SECTION("a name in both is repeated") {
    req.body = "a=2";
    CHECK_THROWS_WITH(RequestForm(req).merged().get("a"), "parameter a is repeated");
  }
}
