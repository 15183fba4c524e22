// Shared by the libFuzzer harnesses: a finding stops the run with one line saying what broke, so
// libFuzzer saves the input (crash-…) and tests/fuzz/run.sh reports it.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace authemu::fuzz {

// Prints "finding: <what>" and aborts (libFuzzer reports a deadly signal and saves the input).
[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "finding: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

inline void require(bool ok, const char* what) {
  if (!ok) finding(what);
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace authemu::fuzz
