// Store tests that race threads on one value: race(n, body) starts n threads, holds each until all
// have started, so that their calls overlap, then runs body(i) in thread i and joins them.
#pragma once
#include <atomic>
#include <thread>
#include <vector>

namespace authemu::test {

template <class Body>
void race(int threads, Body body) {
  std::atomic<int> ready{0};
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&, i] {
      ++ready;
      while (ready.load() < threads)
        std::this_thread::yield();
      body(i);
    });
  }
  for (auto& t : pool)
    t.join();
}

} // namespace authemu::test
