#include "testkit/journal.h"

#include <algorithm>

namespace authemu {

void Journal::record(JournalEntry entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  entry.seq = next_seq_++;
  entries_.push_back(std::move(entry));
  while (entries_.size() > capacity_)
    entries_.pop_front();
}

std::vector<JournalEntry> Journal::query(const JournalQuery& q) const {
  auto matches = [&q](const JournalEntry& e) {
    return e.seq > q.after && (!q.environment || e.environment == *q.environment) &&
           (!q.endpoint || e.endpoint == *q.endpoint) && (!q.grant_type || e.grant_type == *q.grant_type) &&
           (!q.client_id || e.client_id == *q.client_id) && (!q.outcome || e.outcome == *q.outcome);
  };
  std::vector<JournalEntry> out;
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = entries_.rbegin(); it != entries_.rend() && out.size() < q.limit; ++it) {
    if (matches(*it)) out.push_back(*it);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

void Journal::clear(const std::optional<std::string>& environment) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!environment) {
    entries_.clear();
    return;
  }
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const JournalEntry& e) { return e.environment == *environment; }),
                 entries_.end());
}

size_t Journal::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

} // namespace authemu
