// oauth/scope: scope strings parsed (RFC 6749 §3.3), intersected and joined.
#include <catch2/catch.hpp>

#include "oauth/oauth_error.h"
#include "oauth/scope.h"

using namespace authemu;

TEST_CASE("scope: parsing and intersection") {
  CHECK(parse_scope("a  b a") == std::vector<std::string>{"a", "b"});
  CHECK(parse_scope("").empty());
  CHECK_THROWS_WITH(parse_scope("a \"b\""), "scope contains a character outside RFC 6749 NQCHAR");
  CHECK(intersect_scope({"c", "a", "x"}, {"a", "b", "c"}) == std::vector<std::string>{"c", "a"});
  CHECK(join_scope({"a", "b"}) == "a b");
}
