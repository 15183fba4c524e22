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
  SECTION("early by both clocks: slow_down, and the interval 5 s longer at most once per interval") {
    CHECK(s.poll(c.device_code, "cli", kNow + 4, 4 * kSecond, &out) == P::slow_down);
    CHECK(out.interval == 10);
    // Early again, but 9 s after the raise: slow_down without another raise.
    CHECK(s.poll(c.device_code, "cli", kNow + 13, 13 * kSecond, &out) == P::slow_down);
    CHECK(out.interval == 10);
    // Early (7 s after the last poll), and 16 s after the raise: raised again.
    CHECK(s.poll(c.device_code, "cli", kNow + 20, 20 * kSecond, &out) == P::slow_down);
    CHECK(out.interval == 15);
    CHECK(s.poll(c.device_code, "cli", kNow + 35, 35 * kSecond, &out) == P::pending);
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

TEST_CASE("device_store: a second poller one step behind catches up (RFC 8628 §3.5)") {
  DeviceStore s;
  auto c = make(s, 5);
  DeviceRequest out;
  using P = DeviceStore::Poll;
  // Another process polled the same code at the same moment: one slow_down, interval 10.
  CHECK(s.poll(c.device_code, "cli", kNow, 0, &out) == P::pending);
  CHECK(s.poll(c.device_code, "cli", kNow, 0, &out) == P::slow_down);
  CHECK(out.interval == 10);
  // The client still at 5 s: told slow_down once more, without a raise; it waits 10 s from then on.
  CHECK(s.poll(c.device_code, "cli", kNow + 5, 5 * kSecond, &out) == P::slow_down);
  CHECK(out.interval == 10);
  CHECK(s.poll(c.device_code, "cli", kNow + 15, 15 * kSecond, &out) == P::pending);
  CHECK(s.decide(c.user_code, true, SignIn{"u-alice", kNow, {"pwd"}, "sid1"}, kNow + 16) == DeviceStore::Decide::done);
  CHECK(s.poll(c.device_code, "cli", kNow + 25, 25 * kSecond, &out) == P::approved);
}

TEST_CASE("device_store: slow_down raises the interval at most once per interval, up to 60 s") {
  DeviceStore s;
  auto c = make(s, 5, 3600);
  DeviceRequest out;
  using P = DeviceStore::Poll;
  CHECK(s.poll(c.device_code, "cli", kNow, 0, &out) == P::pending);
  // A device that polls every second for 1000 s: each raise one (new) interval after the last.
  std::vector<std::pair<int64_t, int64_t>> raises; // (second, new interval)
  int64_t interval = 5;
  for (int64_t t = 1; t <= 1000; ++t) {
    REQUIRE(s.poll(c.device_code, "cli", kNow + t, t * kSecond, &out) == P::slow_down);
    if (out.interval != interval) raises.emplace_back(t, out.interval);
    interval = out.interval;
  }
  CHECK(raises == std::vector<std::pair<int64_t, int64_t>>{{1, 10},
                                                           {11, 15},
                                                           {26, 20},
                                                           {46, 25},
                                                           {71, 30},
                                                           {101, 35},
                                                           {136, 40},
                                                           {176, 45},
                                                           {221, 50},
                                                           {271, 55},
                                                           {326, 60}});
  CHECK(out.interval == kMaxPollInterval);
  CHECK(s.poll(c.device_code, "cli", kNow + 1060, 1060 * kSecond, &out) == P::pending);
  SECTION("an interval configured above the cap stays as it is") {
    auto slow = make(s, 90);
    CHECK(s.poll(slow.device_code, "cli", kNow, 0, &out) == P::pending);
    CHECK(s.poll(slow.device_code, "cli", kNow + 1, kSecond, &out) == P::slow_down);
    CHECK(out.interval == 90);
  }
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
