#include "cli/bench_sign.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "base/json.h"
#include "cli/startup.h"
#include "jose/key_store.h"

namespace authemu {

int bench_sign(const Options& options, std::ostream& out) {
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  auto t0 = Clock::now();
  SigningKey key = load_signing_key(options);
  auto t1 = Clock::now();
  key.prepare(); // the one-time values of each slot (RS256 blinding): timed on their own
  auto t2 = Clock::now();
  std::string input(330, 'x');
  key.sign(input);
  auto start = Clock::now();
  auto deadline = start + std::chrono::duration<double>(options.bench_seconds);
  int threads = std::max(1, options.threads);
  std::vector<long> counts(size_t(threads), 0);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      while (Clock::now() < deadline) {
        key.sign(input);
        ++counts[size_t(t)];
      }
    });
  }
  for (auto& w : workers)
    w.join();
  long count = 0;
  for (long c : counts)
    count += c;
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  JsonObject o;
  o["alg"] = json_string(algorithm_name(key.alg()));
  o["threads"] = json_int(threads);
  o["signatures"] = json_int(count);
  o["seconds"] = Json(seconds);
  o["per_second"] = Json(seconds > 0 ? count / seconds : 0.0);
  o["key_load_ms"] = Json(ms(t1 - t0));
  o["prepare_ms"] = Json(ms(t2 - t1));
  o["first_signature_ms"] = Json(ms(start - t2));
  out << dump_json(Json(o)) << std::endl;
  return 0;
}

} // namespace authemu
