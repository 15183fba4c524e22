#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "base/monotonic_clock.h"
#include "http/worker_pool.h"

using namespace authemu;

TEST_CASE("worker_pool: a worker per job while all are busy; past the idle time by its clock, two are kept") {
  FakeMonotonicClock clock(5000000000);
  WorkerPool pool(4, std::chrono::seconds(30), clock);
  auto counts_are = [&](size_t threads, size_t idle) {
    return pool.wait_until([&](size_t t, size_t i) { return t == threads && i == idle; }, std::chrono::seconds(5));
  };
  // Four jobs that wait for one another: four workers.
  std::mutex mutex;
  std::condition_variable cv;
  int running = 0;
  std::atomic<int> done{0};
  for (int i = 0; i < 4; ++i) {
    pool.submit([&] {
      std::unique_lock<std::mutex> lock(mutex);
      ++running;
      cv.notify_all();
      cv.wait(lock, [&] { return running == 4; });
      ++done;
    });
  }
  // The four done and their workers idle from now on (a worker made for a job counts as idle too).
  REQUIRE(pool.wait_until([&](size_t threads, size_t idle) { return done == 4 && threads == 4 && idle == 4; },
                          std::chrono::seconds(5)));
  clock.advance_ms(30000);
  CHECK(counts_are(2, 2)); // idle 30 s: they retire down to the two kept
  clock.advance_ms(60000);
  std::atomic<bool> ran{false};
  pool.submit([&] { ran = true; });
  CHECK(pool.wait_until([&](size_t threads, size_t idle) { return ran && threads == 2 && idle == 2; },
                        std::chrono::seconds(5))); // the two kept still take jobs
  pool.shutdown();
  CHECK(counts_are(0, 0));
}
