#include "testkit/login_queue.h"

#include <algorithm>

namespace authemu {

const std::vector<std::string>& queued_login_errors() {
  static const std::vector<std::string> errors = {
      "access_denied",        "server_error",     "temporarily_unavailable",    "login_required",
      "interaction_required", "consent_required", "account_selection_required", "invalid_scope",
      "unauthorized_client",  "invalid_request",
  };
  return errors;
}

bool LoginQueue::add(QueuedLogin& entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.size() >= kMaxQueuedLogins) return false;
  entry.id = "l" + std::to_string(next_id_++);
  entries_.push_back(entry);
  return true;
}

std::optional<QueuedLogin> LoginQueue::take(const std::string& environment, const std::string& client_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (!it->environment.empty() && it->environment != environment) continue;
    if (!it->client_id.empty() && it->client_id != client_id) continue;
    QueuedLogin taken = *it;
    if (--it->remaining <= 0) entries_.erase(it);
    return taken;
  }
  return std::nullopt;
}

std::vector<QueuedLogin> LoginQueue::list(const std::optional<std::string>& environment) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<QueuedLogin> out;
  for (const auto& e : entries_) {
    if (!environment || e.environment.empty() || e.environment == *environment) out.push_back(e);
  }
  return out;
}

bool LoginQueue::remove(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const QueuedLogin& e) { return e.id == id; });
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

void LoginQueue::clear(const std::optional<std::string>& environment) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!environment) {
    entries_.clear();
    return;
  }
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const QueuedLogin& e) { return e.environment == *environment; }),
                 entries_.end());
}

} // namespace authemu
