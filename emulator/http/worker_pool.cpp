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
  ended_.wait(lock, [&] { return threads_ == 0; });
}

void WorkerPool::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (jobs_.empty()) {
      if (stopping_) break;
      bool woke = work_.wait_for(lock, idle_time_, [&] { return stopping_ || !jobs_.empty(); });
      if (!woke && threads_ > kKeep) break;
      continue;
    }
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    --idle_;
    lock.unlock();
    job();
    lock.lock();
    ++idle_;
  }
  --idle_;
  --threads_;
  ended_.notify_all();
}

} // namespace authemu
