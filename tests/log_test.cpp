#include <catch2/catch.hpp>

#include "base/log.h"

using namespace authemu;

TEST_CASE("log: control characters and backslashes are escaped, so a client cannot forge a line") {
  CHECK(escape_log("GET /a\n2026-01-01T00:00:00.000Z POST /forged 200") ==
        "GET /a\\n2026-01-01T00:00:00.000Z POST /forged 200");
  CHECK(escape_log(std::string("a\rb\tc\x1b[31md\x7f\\e\0f", 16)) == "a\\rb\\tc\\x1b[31md\\x7f\\\\e\\x00f");
  CHECK(escape_log("caf\xc3\xa9 /ok") == "caf\xc3\xa9 /ok"); // UTF-8 stays readable
}
