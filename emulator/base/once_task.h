// Work done once by whichever thread comes first: a thread started to do it ahead, or the thread
// that needs the result and finds it not begun. On a busy machine, where a started thread may wait
// a while for a core, the work then costs the caller no more than doing it itself.
#pragma once
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>

namespace authemu {

template <class T> class OnceTask {
public:
  explicit OnceTask(std::function<T()> work) : work_(std::move(work)) {}
  OnceTask(const OnceTask&) = delete;
  OnceTask& operator=(const OnceTask&) = delete;

  // The result, from doing the work here if no thread has begun it; rethrows what the work threw.
  T get() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (begun_) {
      // A wait, not a poll: measured on the 2-core VM (2026-12-06, 230 starts each way), about a
      // third of starts wait here for a key the other thread is loading, for a median 49 us (64 us
      // after 300 ms idle) against 23 us (38 us) when polled; the cold-start medians of the same
      // runs did not tell them apart (3.48, 3.27, 4.04 ms waiting; 3.28, 3.37, 4.62 ms polling).
      done_.wait(lock, [this] { return finished_; });
    } else {
      run(lock);
    }
    if (error_) std::rethrow_exception(error_);
    return *value_;
  }

  // Does the work here if no thread has begun it (for the thread started ahead); get reports.
  void try_run() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!begun_) run(lock);
  }

private:
  void run(std::unique_lock<std::mutex>& lock) {
    begun_ = true;
    lock.unlock();
    std::optional<T> value;
    std::exception_ptr error;
    try {
      value.emplace(work_());
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    value_ = std::move(value);
    error_ = error;
    finished_ = true;
    done_.notify_all();
  }

  std::function<T()> work_;
  std::mutex mutex_;
  std::condition_variable done_;
  bool begun_ = false, finished_ = false;
  std::optional<T> value_;
  std::exception_ptr error_;
};

} // namespace authemu
