// Worker threads for the transport: made when every worker is busy, up to a ceiling, and retired
// after a while idle (by the transport's monotonic clock), so a quiet server holds two threads and
// a burst gets what it needs.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

#include "base/monotonic_clock.h"

namespace authemu {

// Worker threads made when every worker is busy, up to a ceiling, and retired after a while idle.
class WorkerPool {
public:
  // `clock` must outlive the pool.
  WorkerPool(size_t max, std::chrono::milliseconds idle, const MonotonicClock& clock)
      : max_(max < 1 ? 1 : max), idle_time_(idle), clock_(clock) {}

  void submit(std::function<void()> job);
  // Runs every queued job, then waits until every worker has ended.
  void shutdown();

  // Waits (at most `timeout` of real time) until pred(threads, idle) holds, with the number of
  // workers and of those without a job: for tests and diagnostics. pred runs under the pool's lock.
  bool wait_until(const std::function<bool(size_t threads, size_t idle)>& pred, std::chrono::milliseconds timeout);

private:
  static constexpr size_t kKeep = 2; // workers kept however long they idle
  void run();

  const size_t max_;
  const std::chrono::milliseconds idle_time_;
  const MonotonicClock& clock_;
  std::mutex mutex_;
  std::condition_variable work_;
  std::condition_variable changed_; // a job done or a worker ended
  std::deque<std::function<void()>> jobs_;
  size_t threads_ = 0, idle_ = 0;
  bool stopping_ = false;
};

} // namespace authemu
