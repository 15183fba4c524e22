// The transport's time: a monotonic clock (steady, never set back) for its deadlines and latencies,
// injected so that tests move time instead of sleeping. Never for token times: those read a Clock.
#pragma once
#include <atomic>
#include <cstdint>

namespace authemu {

class MonotonicClock {
public:
  virtual ~MonotonicClock() = default;
  virtual int64_t now_us() const = 0;
  int64_t now_ms() const { return now_us() / 1000; }
  // How long (ms of real time) a thread may block in poll, epoll_wait or a condition variable when,
  // by this clock, `ms` remain until it must act: all of them on the real clock; a few on a fake
  // one, whose time moves without real time passing, so that the thread soon sees a test's advance.
  virtual int64_t block_ms(int64_t ms) const = 0;
};

// The process's steady clock (monotonic_us in base/clock.h).
class SteadyClock final : public MonotonicClock {
public:
  int64_t now_us() const override;
  int64_t block_ms(int64_t ms) const override { return ms; }
};

// The one SteadyClock of the process: the default of whatever takes a MonotonicClock.
const MonotonicClock& steady_clock();

// A monotonic clock that moves only when told to. Thread-safe.
class FakeMonotonicClock final : public MonotonicClock {
public:
  static constexpr int64_t kBlockMs = 2; // the longest real wait of a thread on this clock

  explicit FakeMonotonicClock(int64_t start_us) : now_us_(start_us) {}
  int64_t now_us() const override { return now_us_.load(); }
  int64_t block_ms(int64_t ms) const override { return ms < kBlockMs ? ms : kBlockMs; }
  void advance_ms(int64_t ms) { now_us_.fetch_add(ms * 1000); }

private:
  std::atomic<int64_t> now_us_;
};

} // namespace authemu
