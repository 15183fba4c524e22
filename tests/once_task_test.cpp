#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "base/once_task.h"

using namespace authemu;

TEST_CASE("once_task: the work runs once, by whoever comes first") {
  std::atomic<int> runs{0};
  SECTION("get with nothing begun runs it on the calling thread") {
    std::thread::id ran_on;
    OnceTask<int> task([&] {
      ++runs;
      ran_on = std::this_thread::get_id();
      return 42;
    });
    CHECK(task.get() == 42);
    CHECK(ran_on == std::this_thread::get_id());
    CHECK(task.get() == 42);
    task.try_run();
    CHECK(runs == 1);
  }
  SECTION("try_run on another thread, then get: the same value, one run") {
    OnceTask<std::string> task([&] {
      ++runs;
      return std::string("key");
    });
    std::thread ahead([&] { task.try_run(); });
    CHECK(task.get() == "key");
    ahead.join();
    CHECK(task.get() == "key");
    CHECK(runs == 1);
  }
  SECTION("what the work throws, get rethrows each time; try_run does not") {
    OnceTask<int> task([&]() -> int {
      ++runs;
      throw std::runtime_error("bad key");
    });
    task.try_run();
    CHECK_THROWS_WITH(task.get(), "bad key");
    CHECK_THROWS_WITH(task.get(), "bad key");
    CHECK(runs == 1);
  }
  SECTION("many threads at once") {
    OnceTask<int> task([&] { return ++runs; });
    std::vector<std::thread> threads;
    std::atomic<int> sum{0};
    for (int i = 0; i < 8; ++i)
      threads.emplace_back([&] { sum += task.get(); });
    for (auto& t : threads)
      t.join();
    CHECK(runs == 1);
    CHECK(sum == 8);
  }
}
