#include <catch2/catch.hpp>

#include "base/clock.h"
#include "base/monotonic_clock.h"

using namespace authemu;

TEST_CASE("monotonic_clock: the steady clock is monotonic_us and a thread on it blocks for all the time left") {
  const MonotonicClock& clock = steady_clock();
  int64_t before = monotonic_us();
  int64_t now = clock.now_us();
  CHECK(now >= before);
  CHECK(monotonic_us() >= now);
  CHECK(clock.now_ms() >= now / 1000);
  CHECK(clock.block_ms(200) == 200);
  CHECK(clock.block_ms(120000) == 120000);
}

TEST_CASE("monotonic_clock: a fake clock moves only when told, and a thread on it blocks a few ms at a time") {
  FakeMonotonicClock clock(5000000);
  CHECK(clock.now_us() == 5000000);
  CHECK(clock.now_ms() == 5000);
  clock.advance_ms(299);
  CHECK(clock.now_ms() == 5299);
  clock.advance_ms(1);
  CHECK(clock.now_us() == 5300000);
  CHECK(clock.block_ms(200) == FakeMonotonicClock::kBlockMs);
  CHECK(clock.block_ms(1) == 1);
}
