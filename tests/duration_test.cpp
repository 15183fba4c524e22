#include <catch2/catch.hpp>

#include "base/duration.h"

using namespace authemu;

TEST_CASE("duration: one grammar in milliseconds") {
  SECTION("bare seconds, units in any order, signs") {
    CHECK(parse_duration_ms("0") == 0);
    CHECK(parse_duration_ms("3600") == 3600000);
    CHECK(parse_duration_ms("250ms") == 250);
    CHECK(parse_duration_ms("90s") == 90000);
    CHECK(parse_duration_ms("5m") == 300000);
    CHECK(parse_duration_ms("1h30m") == 5400000);
    CHECK(parse_duration_ms("30m1h") == 5400000);
    CHECK(parse_duration_ms("1m30s") == 90000);
    CHECK(parse_duration_ms("1s500ms") == 1500);
    CHECK(parse_duration_ms("2d") == 172800000);
    CHECK(parse_duration_ms("007s") == 7000);
    CHECK(parse_duration_ms("-5m") == -300000);
    CHECK(parse_duration_ms("+5m") == 300000);
    CHECK(parse_duration_ms("-0") == 0);
  }
  SECTION("the limit, ten years either way") {
    CHECK(parse_duration_ms("315360000") == kMaxDurationSeconds * 1000);
    CHECK(parse_duration_ms("-315360000s") == -kMaxDurationSeconds * 1000);
    CHECK(parse_duration_ms("3650d") == kMaxDurationSeconds * 1000);
    CHECK_FALSE(parse_duration_ms("315360001"));
    CHECK_FALSE(parse_duration_ms("3650d1ms"));
    CHECK_FALSE(parse_duration_ms("99999999999999999999"));
    CHECK_FALSE(parse_duration_ms("99999999999999999999ms"));
    CHECK_FALSE(parse_duration_ms("9999999999999d"));
  }
  SECTION("nothing else: no fractions, spaces, unknown units or a bare number after a unit") {
    for (const char* bad : {"", "-", "+", "--5m", "+-5m", "1.5h", "1,5h", "5x", "5M", "5 m", " 5m", "5m ", "1h30", "h",
                            "ms", "1mss", "1e3", "0x10", "5min"}) {
      INFO(bad);
      CHECK_FALSE(parse_duration_ms(bad));
    }
  }
}

TEST_CASE("duration: what each caller takes") {
  SECTION("flags and fixtures: whole seconds, positive; every form of before still parses") {
    CHECK(parse_duration("3600") == 3600);
    CHECK(parse_duration("90s") == 90);
    CHECK(parse_duration("1h30m") == 5400);
    CHECK(parse_duration("1h1h") == 7200);
    CHECK(parse_duration("2000ms") == 2);
    CHECK(parse_duration("+1h") == 3600);
    CHECK_FALSE(parse_duration("1500ms"));
    CHECK_FALSE(parse_duration("0s"));
    CHECK_FALSE(parse_duration("-1h"));
  }
  SECTION("admin seconds: JSON integers, and durations with a sign; whole seconds") {
    CHECK(json_seconds(Json(int64_t(0))) == 0);
    CHECK(json_seconds(Json(int64_t(3600))) == 3600);
    CHECK(json_seconds(json_string("3600")) == 3600);
    CHECK(json_seconds(json_string("-3600")) == -3600);
    CHECK(json_seconds(json_string("0s")) == 0);
    CHECK(json_seconds(json_string("-1h30m")) == -5400);
    CHECK(json_seconds(json_string("1000ms")) == 1);
    CHECK_FALSE(json_seconds(json_string("1500ms")));
    CHECK_FALSE(json_seconds(json_string("1.5h")));
    CHECK_FALSE(json_seconds(Json(JsonObject{})));
  }
  SECTION("admin milliseconds: JSON integers are milliseconds, a bare number in text is seconds") {
    CHECK(json_milliseconds(Json(int64_t(250))) == 250);
    CHECK(json_milliseconds(Json(int64_t(0))) == 0);
    CHECK(json_milliseconds(json_string("250ms")) == 250);
    CHECK(json_milliseconds(json_string("0ms")) == 0);
    CHECK(json_milliseconds(json_string("2s")) == 2000);
    CHECK(json_milliseconds(json_string("2")) == 2000);
    CHECK(json_milliseconds(json_string("1m")) == 60000);
    CHECK(json_milliseconds(json_string("1s500ms")) == 1500);
    CHECK(json_milliseconds(json_string("-5ms")) == -5);
    CHECK_FALSE(json_milliseconds(json_string("0.5s")));
    CHECK_FALSE(json_milliseconds(Json(0.5)));
    CHECK_FALSE(json_milliseconds(Json(true)));
  }
}

TEST_CASE("duration: forms and limits") {
  CHECK(*parse_duration("3600") == 3600);
  CHECK(*parse_duration("90s") == 90);
  CHECK(*parse_duration("5m") == 300);
  CHECK(*parse_duration("1h30m") == 5400);
  CHECK(*parse_duration("2d") == 172800);
  CHECK_FALSE(parse_duration("0"));
  CHECK_FALSE(parse_duration("-5"));
  CHECK_FALSE(parse_duration("1h30"));
  CHECK_FALSE(parse_duration("5x"));
  CHECK_FALSE(parse_duration("99999999999999999999"));
}

TEST_CASE("duration: signed seconds in JSON") {
  CHECK(json_seconds(Json(int64_t(-60))) == -60);
  CHECK(json_seconds(json_string("-5m")) == -300);
  CHECK(json_seconds(json_string("1h")) == 3600);
  CHECK(json_seconds(json_string("0")) == 0);
  CHECK(json_seconds(json_string("-0")) == 0);
  CHECK(json_seconds(Json(kMaxDurationSeconds)) == kMaxDurationSeconds);
  CHECK_FALSE(json_seconds(Json(kMaxDurationSeconds + 1)));
  CHECK_FALSE(json_seconds(Json(-kMaxDurationSeconds - 1)));
  CHECK_FALSE(json_seconds(json_string("--5m")));
  CHECK_FALSE(json_seconds(json_string("-")));
  CHECK_FALSE(json_seconds(json_string("")));
  CHECK_FALSE(json_seconds(Json(1.5)));
  CHECK_FALSE(json_seconds(Json(true)));
}
