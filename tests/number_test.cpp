#include <catch2/catch.hpp>

#include "base/number.h"

using namespace authemu;

TEST_CASE("number: whole signed numbers, the whole text or nothing") {
  CHECK(parse_int64("0") == 0);
  CHECK(parse_int64("42") == 42);
  CHECK(parse_int64("+42") == 42);
  CHECK(parse_int64("-42") == -42);
  CHECK(parse_int64("9223372036854775807") == INT64_MAX);
  CHECK(parse_int64("-9223372036854775808") == INT64_MIN);
  for (const char* junk : {"", "+", "-", "+-1", "--1", " 1", "1 ", "1x", "0x10", "1.5", "1e3"}) {
    bool out_of_range = true;
    CHECK_FALSE(parse_int64(junk, &out_of_range));
    CHECK_FALSE(out_of_range);
  }
  SECTION("overflow is nothing, and told apart from junk") {
    for (const char* big : {"9223372036854775808", "-9223372036854775809", "99999999999999999999"}) {
      bool out_of_range = false;
      CHECK_FALSE(parse_int64(big, &out_of_range));
      CHECK(out_of_range);
    }
  }
}

TEST_CASE("number: unsigned numbers up to a limit") {
  CHECK(parse_uint64("0") == 0u);
  CHECK(parse_uint64("65535", 65535) == 65535u);
  CHECK_FALSE(parse_uint64("65536", 65535));
  CHECK(parse_uint64("18446744073709551615") == UINT64_MAX);
  CHECK_FALSE(parse_uint64("18446744073709551616"));
  CHECK_FALSE(parse_uint64("-1"));
  CHECK_FALSE(parse_uint64("+1"));
  CHECK_FALSE(parse_uint64(""));
  CHECK_FALSE(parse_uint64("12ab"));
}
