#include <catch2/catch.hpp>

#include "base/base64.h"

using namespace authemu;

TEST_CASE("base64: RFC 4648 §10 test vectors") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64url_encode("f") == "Zg");
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK(*base64_decode("Zm9vYmE=") == "fooba");
  CHECK(*base64url_decode("Zm9vYmE") == "fooba");
  CHECK(*base64url_decode("-_8") == "\xfb\xff");
}

TEST_CASE("base64: strict decoding") {
  SECTION("padding is required in base64 and refused in base64url") {
    CHECK_FALSE(base64_decode("Zg"));
    CHECK_FALSE(base64url_decode("Zg=="));
  }
  SECTION("characters outside the alphabet") {
    CHECK_FALSE(base64_decode("Zm9v!A=="));
    CHECK_FALSE(base64url_decode("Zm9+"));
    CHECK_FALSE(base64url_decode("Zm 9v"));
  }
  SECTION("a single trailing character or non-zero leftover bits") {
    CHECK_FALSE(base64url_decode("Zm9vY"));
    CHECK_FALSE(base64url_decode("Zh")); // 'h' leaves non-zero bits after "f"
    CHECK_FALSE(base64_decode("===="));
  }
}
