// Worker threads for the transport: made when every worker is busy, up to a ceiling, and retired
// after a while idle, so a quiet server holds two threads and a burst gets what it needs.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace authemu {

// Worker threads made when every worker is busy, up to a ceiling, and retired after a while idle.
class WorkerPool {
public:
  WorkerPool(size_t max, std::chrono::milliseconds idle) : max_(max < 1 ? 1 : max), idle_time_(idle) {}

  void submit(std::function<void()> job);
  // Runs every queued job, then waits until every worker has ended.
  void shutdown();

private:
  static constexpr size_t kKeep = 2; // workers kept however long they idle
  void run();

  const size_t max_;
  const std::chrono::milliseconds idle_time_;
  std::mutex mutex_;
  std::condition_variable work_, ended_;
  std::deque<std::function<void()>> jobs_;
  size_t threads_ = 0, idle_ = 0;
  bool stopping_ = false;
};

} // namespace authemu
