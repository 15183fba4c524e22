#include "http/worker_pool.h"

#include <thread>

namespace authemu {

void WorkerPool::submit(std::function<void()> job) {
  std::lock_guard<std::mutex> lock(mutex_);
  jobs_.push_back(std::move(job));
  if (idle_ < jobs_.size() && threads_ < max_) {
    ++threads_;
    ++idle_;
    std::thread([this] { run(); }).detach();
  }
  work_.notify_one();
}

void WorkerPool::shutdown() {
  std::unique_lock<std::mutex> lock(mutex_);
  stopping_ = true;
  work_.notify_all();
  changed_.wait(lock, [&] { return threads_ == 0; });
}

bool WorkerPool::wait_until(const std::function<bool(size_t threads, size_t idle)>& pred,
                            std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return pred(threads_, idle_); });
}

void WorkerPool::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  int64_t idle_since = clock_.now_ms();
  for (;;) {
    if (!jobs_.empty()) {
      std::function<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      --idle_;
      lock.unlock();
      job();
      lock.lock();
      ++idle_;
      idle_since = clock_.now_ms();
      changed_.notify_all();
      continue;
    }
    if (stopping_) break;
    int64_t left = idle_since + idle_time_.count() - clock_.now_ms();
    if (left <= 0) {
      if (threads_ > kKeep) break; // idle for idle_time_: retire, unless one of the kept
      idle_since = clock_.now_ms();
      continue;
    }
    work_.wait_for(lock, std::chrono::milliseconds(clock_.block_ms(left)), [&] { return stopping_ || !jobs_.empty(); });
  }
  --idle_;
  --threads_;
  changed_.notify_all();
}

} // namespace authemu
