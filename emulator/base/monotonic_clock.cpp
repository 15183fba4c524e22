#include "base/monotonic_clock.h"

#include "base/clock.h"

namespace authemu {

int64_t SteadyClock::now_us() const {
  return monotonic_us();
}

const MonotonicClock& steady_clock() {
  static const SteadyClock clock;
  return clock;
}

} // namespace authemu
