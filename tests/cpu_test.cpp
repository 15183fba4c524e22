#include <catch2/catch.hpp>

#include <future>
#include <thread>
#include <utility>

#include "base/cpu.h"

using namespace authemu;

TEST_CASE("cpu: keep_off_cpu moves a thread off a CPU, and refuses what would leave none") {
  CHECK(usable_cpus() >= 1);
  CHECK_FALSE(keep_off_cpu(pthread_self(), -1));
  CHECK_FALSE(keep_off_cpu(pthread_self(), 1 << 20));
  std::thread([] {
    int here = current_cpu();
    REQUIRE(here >= 0);
    if (usable_cpus() < 2) {
      CHECK_FALSE(keep_off_cpu(pthread_self(), here));
      return;
    }
    REQUIRE(keep_off_cpu(pthread_self(), here));
    CHECK(current_cpu() != here); // the kernel moves a running thread at once
    allow_all_cpus(pthread_self());
    cpu_set_t set;
    REQUIRE(pthread_getaffinity_np(pthread_self(), sizeof set, &set) == 0);
    CHECK(CPU_COUNT(&set) == usable_cpus());
  }).join();
}

TEST_CASE("cpu: start_beside runs the work on a new thread, on another CPU when there is one") {
  std::promise<std::pair<std::thread::id, int>> ran;
  // This thread held on its CPU meanwhile, so that the CPU start_beside leaves out is this one.
  cpu_set_t before, only;
  REQUIRE(pthread_getaffinity_np(pthread_self(), sizeof before, &before) == 0);
  int here = current_cpu();
  REQUIRE(here >= 0);
  CPU_ZERO(&only);
  CPU_SET(here, &only);
  REQUIRE(pthread_setaffinity_np(pthread_self(), sizeof only, &only) == 0);
  start_beside([&] { ran.set_value({std::this_thread::get_id(), current_cpu()}); });
  auto [id, cpu] = ran.get_future().get();
  pthread_setaffinity_np(pthread_self(), sizeof before, &before);
  CHECK(id != std::this_thread::get_id());
  if (usable_cpus() >= 2) CHECK(cpu != here);
}
