#include <catch2/catch.hpp>

#include <set>

#include "store/device_store.h"

using namespace authemu;

namespace {

constexpr int64_t kNow = 1700000000;
constexpr int64_t kSecond = 1000000; // monotonic microseconds

DeviceStore::Created make(DeviceStore& s, int64_t interval = 5, int64_t lifetime = 600) {
  DeviceRequest r;
  r.client_id = "cli";
  r.scope = "openid";
  r.created = kNow;
  r.exp = kNow + lifetime;
  r.interval = interval;
  return s.create(r, kNow);
}

} // namespace

TEST_CASE("device_store: user codes are 8 consonants, typed in any case, with or without dashes") {
  CHECK(normalize_user_code("BCDF-GHJK") == std::optional<std::string>("BCDFGHJK"));
  CHECK(normalize_user_code("bcdfghjk") == std::optional<std::string>("BCDFGHJK"));
  CHECK(normalize_user_code(" bcd f-ghj k ") == std::optional<std::string>("BCDFGHJK"));
  CHECK(normalize_user_code("BC-DF-GH-JK") == std::optional<std::string>("BCDFGHJK"));
  SECTION("bad input") {
    for (const char* bad :
         {"", "-", "BCDF-GHJ", "BCDF-GHJKL", "ABCD-EFGH", "BCDF-GHJ1", "BCDF_GHJK", "BCDF\nGHJK", "ÄCDF-GHJK"}) {
      INFO(bad);
      CHECK_FALSE(normalize_user_code(bad));
    }
    CHECK_FALSE(normalize_user_code(std::string(65, 'B')));
  }
  CHECK(display_user_code("BCDFGHJK") == "BCDF-GHJK");
  SECTION("generated codes: the alphabet only, and distinct") {
    DeviceStore s;
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
      auto c = make(s);
      REQUIRE(normalize_user_code(c.user_code) == std::optional<std::string>(c.user_code));
      seen.insert(c.user_code);
      CHECK(c.device_code.size() == 43); // 256 bits
    }
    CHECK(seen.size() == 200);
  }
}

TEST_CASE("device_store: RFC 8628 §3.5 answers of a poll") {
  DeviceStore s;
  auto c = make(s, 5);
  DeviceRequest out;
  using P = DeviceStore::Poll;
  using D = DeviceStore::Decide;
  CHECK(s.poll(c.device_code, "cli", kNow, 0, &out) == P::pending); // the first poll is never early
  SECTION("early by both clocks: slow_down, and the interval grows by 5 s each time") {
    CHECK(s.poll(c.device_code, "cli", kNow + 4, 4 * kSecond, &out) == P::slow_down);
    CHECK(out.interval == 10);
    CHECK(s.poll(c.device_code, "cli", kNow + 13, 13 * kSecond, &out) == P::slow_down);
    CHECK(out.interval == 15);
    CHECK(s.poll(c.device_code, "cli", kNow + 28, 28 * kSecond, &out) == P::pending);
    CHECK(out.interval == 15);
  }
  SECTION("a frozen environment clock: the monotonic clock says the poll is on time") {
    CHECK(s.poll(c.device_code, "cli", kNow, 5 * kSecond, &out) == P::pending);
    CHECK(s.poll(c.device_code, "cli", kNow, 10 * kSecond, &out) == P::pending);
  }
  SECTION("a test that moves the environment clock need not wait") {
    CHECK(s.poll(c.device_code, "cli", kNow + 5, 1000, &out) == P::pending);
  }
  SECTION("a poll a little under the interval by the monotonic clock still counts as on time") {
    CHECK(s.poll(c.device_code, "cli", kNow + 4, 4 * kSecond + 900000, &out) == P::pending);
  }
  SECTION("another client: invalid, and the request's state does not move") {
    CHECK(s.poll(c.device_code, "other", kNow + 1, kSecond, &out) == P::other_client);
    CHECK(s.poll(c.device_code, "cli", kNow + 5, 5 * kSecond, &out) == P::pending);
  }
  SECTION("approved: one success, then used") {
    SignIn who{"u-alice", kNow, {"pwd"}, "sid1"};
    CHECK(s.decide(c.user_code, true, who, kNow) == D::done);
    CHECK(s.decide(c.user_code, false, who, kNow) == D::already_decided); // decided once
    CHECK(s.list_pending(kNow).empty());
    CHECK(s.poll(c.device_code, "cli", kNow + 5, 5 * kSecond, &out) == P::approved);
    CHECK(out.sign_in.user_id == "u-alice");
    CHECK(s.poll(c.device_code, "cli", kNow + 10, 10 * kSecond, &out) == P::used);
    CHECK_FALSE(s.find_by_user_code(c.user_code, kNow)->state == DeviceState::pending);
  }
  SECTION("denied") {
    CHECK(s.decide(c.user_code, false, SignIn{}, kNow) == D::done);
    CHECK(s.decide(c.user_code, true, SignIn{}, kNow) == D::already_decided);
    CHECK(s.poll(c.device_code, "cli", kNow + 5, 5 * kSecond, &out) == P::denied);
  }
  SECTION("expired by the environment clock: just before, pending; at exp, expired_token") {
    CHECK(s.poll(c.device_code, "cli", kNow + 599, 599 * kSecond, &out) == P::pending);
    CHECK(s.poll(c.device_code, "cli", kNow + 600, 600 * kSecond, &out) == P::expired);
    CHECK_FALSE(s.find_by_user_code(c.user_code, kNow + 600));
    CHECK(s.decide(c.user_code, true, SignIn{}, kNow + 600) == D::unknown);
    // Kept for kDeviceRetention, then forgotten.
    CHECK(s.poll(c.device_code, "cli", kNow + 600 + kDeviceRetention, 0, &out) == P::unknown);
  }
  CHECK(s.poll("nope", "cli", kNow, 0, &out) == P::unknown);
  std::string other = c.user_code;
  other[0] = other[0] == 'B' ? 'C' : 'B'; // a code no request has
  CHECK(s.decide(other, true, SignIn{}, kNow) == D::unknown);
  CHECK(s.poll("", "cli", kNow, 0, &out) == P::unknown);
  s.clear();
  CHECK(s.size() == 0);
}

TEST_CASE("device_store: wrong user codes are limited per browser and per environment") {
  DeviceStore s;
  for (int i = 0; i < kWrongCodesPerBrowser; ++i) {
    CHECK(s.may_enter("browser-a", kNow));
    s.note_wrong_entry("browser-a", kNow);
  }
  CHECK_FALSE(s.may_enter("browser-a", kNow));
  CHECK(s.may_enter("browser-b", kNow));
  CHECK(s.may_enter("browser-a", kNow + kWrongCodeWindow)); // the window has passed
  for (int i = 0; i < kWrongCodesPerEnvironment; ++i)
    s.note_wrong_entry("b" + std::to_string(i % 50), kNow + kWrongCodeWindow);
  CHECK_FALSE(s.may_enter("fresh-browser", kNow + kWrongCodeWindow));
  s.clear();
  CHECK(s.may_enter("fresh-browser", kNow + kWrongCodeWindow));
}
