#include <catch2/catch.hpp>

#include "base/clock.h"

using namespace authemu;

TEST_CASE("clock: an adjustable clock moves by an offset over its base clock") {
  FakeClock base(1000);
  AdjustableClock c(base);
  CHECK(c.now() == 1000);
  base.advance(5);
  CHECK(c.now() == 1005);

  SECTION("advance adds to the offset and keeps ticking with the base") {
    c.advance(3600);
    CHECK(c.now() == 4605);
    base.advance(1);
    CHECK(c.now() == 4606);
    c.advance(-600);
    CHECK(c.now() == 4006);
    CHECK(c.state().offset == 3000);
    CHECK_FALSE(c.state().frozen);
  }
  SECTION("set makes now() the given instant, still ticking") {
    c.set(2000000000);
    CHECK(c.now() == 2000000000);
    base.advance(2);
    CHECK(c.now() == 2000000002);
  }
  SECTION("freeze stops it; advance and set move a frozen clock; unfreeze ticks on from there") {
    c.freeze();
    base.advance(100);
    CHECK(c.now() == 1005);
    CHECK(c.state().frozen);
    c.advance(60);
    CHECK(c.now() == 1065);
    c.set(5000);
    base.advance(100);
    CHECK(c.now() == 5000);
    c.unfreeze();
    CHECK(c.now() == 5000);
    base.advance(1);
    CHECK(c.now() == 5001);
  }
  SECTION("reset returns to the base clock, frozen or not") {
    c.advance(86400);
    c.freeze();
    c.reset();
    CHECK(c.now() == base.now());
    CHECK(c.state().offset == 0);
    CHECK_FALSE(c.state().frozen);
  }
}

TEST_CASE("clock: an origin is where the clock starts and where reset returns") {
  FakeClock base(1000);
  AdjustableClock c(base);
  c.set_origin(1893456000, true);
  CHECK(c.now() == 1893456000);
  base.advance(10);
  CHECK(c.now() == 1893456000);
  c.advance(60);
  c.reset();
  CHECK(c.now() == 1893456000);
  CHECK(c.state().frozen);

  c.set_origin(5000, false);
  base.advance(3);
  CHECK(c.now() == 5003);
  c.reset();
  CHECK(c.now() == 5000);
  c.set_origin(std::nullopt, true); // frozen at the base clock's time
  base.advance(7);
  CHECK(c.now() == 1013);
}

TEST_CASE("clock: RFC 3339 UTC text both ways") {
  CHECK(format_utc(0) == "1970-01-01T00:00:00Z");
  CHECK(format_utc(1700000000) == "2023-11-14T22:13:20Z");
  CHECK(parse_utc("2023-11-14T22:13:20Z") == 1700000000);
  CHECK(parse_utc("2023-11-14T22:13:20+00:00") == 1700000000);
  CHECK(parse_utc("2000-02-29T00:00:00Z") == 951782400);
  CHECK(parse_utc("2030-01-01T00:00:00Z") == 1893456000);
  CHECK(parse_utc("9999-12-31T23:59:59Z") == 253402300799);
  for (const char* bad : {"", "2023-11-14", "2023-11-14T22:13:20", "2023-11-14T22:13:20+01:00", "2023-13-01T00:00:00Z",
                          "2023-02-29T00:00:00Z", "1900-02-28T00:00:00Z", "2023-11-14T24:00:00Z",
                          "2023-11-14T22:13:2xZ", "2023/11/14T22:13:20Z", "1969-12-31T23:59:59Z"}) {
    INFO(bad);
    CHECK_FALSE(parse_utc(bad));
  }
}
