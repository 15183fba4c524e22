// `authemu bench-tls --seconds 0`: one of each handshake and operation, every member of its JSON
// line present and every figure positive.
#include <catch2/catch.hpp>

#include <sstream>

#include "base/json.h"
#include "cli/bench_tls.h"

// The sanitizer builds (unit_tests_asan, unit_tests_tsan) replace malloc.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define AUTHEMU_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define AUTHEMU_SANITIZED 1
#endif
#endif

using namespace authemu;

TEST_CASE("bench_tls: --seconds 0 prints every figure, each positive") {
  Options options;
  options.bench_seconds = 0;
  std::ostringstream out, err;
  REQUIRE(bench_tls(options, out, err) == 0);
  CHECK(err.str().empty());
  std::string error;
  auto parsed = parse_json(out.str(), &error);
  REQUIRE(parsed);
  REQUIRE(parsed->is<JsonObject>());
  const JsonObject& o = parsed->get<JsonObject>();
  auto number = [&](const JsonObject& in, const std::string& name) {
    INFO(name);
    const Json* v = find_member(in, name);
    REQUIRE(v != nullptr);
    REQUIRE(v->is<double>());
    return v->get<double>();
  };
  auto object = [&](const std::string& name) -> const JsonObject& {
    INFO(name);
    const Json* v = find_member(o, name);
    REQUIRE(v != nullptr);
    REQUIRE(v->is<JsonObject>());
    return v->get<JsonObject>();
  };
  CHECK(number(o, "seconds") == 0);
  for (const char* part : {"ca", "leaf", "server_config", "total"})
    CHECK(number(object("generation_ms"), part) > 0);
  for (const char* run : {"tls13_full", "tls13_resumed", "tls12_full", "tls13_full_client_certificate",
                          "tls13_resumed_client_certificate"}) {
    INFO(run);
    const JsonObject& r = object(run);
    CHECK(number(r, "handshakes") == 1);
    for (const char* figure : {"seconds", "per_second", "server_cpu_ms", "server_per_core_second", "client_cpu_ms"})
      CHECK(number(r, figure) > 0);
  }
  CHECK(find_string(object("tls13_full"), "version") == "TLSv1.3");
  CHECK(find_string(object("tls12_full"), "version") == "TLSv1.2");
  CHECK(number(object("tls13_full"), "resumed") == 0);
  CHECK(number(object("tls13_resumed"), "resumed") == 1); // the warm-up's ticket was accepted
  CHECK(number(object("tls13_resumed_client_certificate"), "resumed") == 1);
  CHECK(number(object("idle_server_connection"), "connections") == 10);
#ifndef AUTHEMU_SANITIZED
  // glibc's mallinfo2 counts the heap; a sanitizer's allocator answers it with zeros.
  CHECK(number(object("idle_server_connection"), "heap_bytes_each") > 16384); // an input buffer at least
#endif
  CHECK(number(object("idle_server_connection"), "rss_bytes_each") > 0);
  CHECK(find_string(object("ceiling"), "group") == "x25519");
  CHECK(find_string(object("ceiling_secp256r1"), "group") == "secp256r1");
  for (const char* c : {"ceiling", "ceiling_secp256r1"})
    for (const char* figure : {"key_generation_us", "shared_secret_us", "sign_us", "per_second"})
      CHECK(number(object(c), figure) > 0);
  double fraction = number(o, "fraction");
  CHECK(fraction > 0);
  // The server side does more than the ceiling's operations, so near or below 1; with --seconds 0
  // both are single timings, and a loaded machine has given 1.50: a sanity bound, not a speed test.
  CHECK(fraction < 5);
}
