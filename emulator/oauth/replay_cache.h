// The jti values of what clients sign (client assertions, DPoP proofs), each kept until its
// lifetime has passed so that a second use is seen (RFC 7523 §3 item 7, RFC 9449 §11.1). Bounded:
// when full of values still alive, a new one is refused rather than an old one forgotten, so a
// replay is never let through. Time is real time (what clients sign is made on it). Thread-safe.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/clock.h"

namespace authemu {

constexpr size_t kMaxReplayEntries = 100000;

class ReplayCache {
public:
  explicit ReplayCache(const Clock& real_clock, size_t capacity = kMaxReplayEntries)
      : clock_(real_clock), capacity_(capacity) {}

  enum class Outcome { fresh, replayed, full };
  // Records key as used until now + lifetime seconds (at least 1); replayed when it is recorded
  // and alive, full when capacity values are alive.
  Outcome use(const std::string& key, int64_t lifetime);
  void clear();
  size_t size() const;
  size_t capacity() const { return capacity_; }

private:
  void drop_expired(int64_t now); // under mutex_

  const Clock& clock_;
  size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, int64_t> until_;  // key -> last second it is alive
  std::multimap<int64_t, std::string> by_expiry_;
};

} // namespace authemu
