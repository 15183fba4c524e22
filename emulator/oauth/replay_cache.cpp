#include "oauth/replay_cache.h"

#include <algorithm>

namespace authemu {

void ReplayCache::drop_expired(int64_t now) {
  while (!by_expiry_.empty() && by_expiry_.begin()->first < now) {
    auto it = until_.find(by_expiry_.begin()->second);
    if (it != until_.end() && it->second == by_expiry_.begin()->first) until_.erase(it);
    by_expiry_.erase(by_expiry_.begin());
  }
}

ReplayCache::Outcome ReplayCache::use(const std::string& key, int64_t lifetime) {
  int64_t now = clock_.now();
  std::lock_guard<std::mutex> lock(mutex_);
  drop_expired(now);
  if (until_.count(key)) return Outcome::replayed;
  if (until_.size() >= capacity_) return Outcome::full;
  int64_t until = now + std::max<int64_t>(lifetime, 1);
  until_.emplace(key, until);
  by_expiry_.emplace(until, key);
  return Outcome::fresh;
}

void ReplayCache::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  until_.clear();
  by_expiry_.clear();
}

size_t ReplayCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return until_.size();
}

} // namespace authemu
