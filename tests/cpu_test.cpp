#include <catch2/catch.hpp>

#include <thread>

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
