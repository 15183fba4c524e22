#include "testkit/fault_queue.h"

#include <algorithm>
#include <chrono>

namespace authemu {

bool is_fault_endpoint(const std::string& name) {
  return name == "token" || name == "introspect" || name == "revoke" || name == "userinfo" || name == "jwks" ||
         name == "discovery";
}

std::optional<std::string> FaultQueue::add(Fault f) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (faults_.size() >= kMaxQueuedFaults) return std::nullopt;
  f.id = "f" + std::to_string(next_id_++);
  faults_.push_back(f);
  return f.id;
}

std::optional<Fault> FaultQueue::take(const std::string& environment, const std::string& endpoint,
                                      const std::string& client_id, const std::string& grant_type) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->environment != environment || it->endpoint != endpoint) continue;
    if (it->client_id && *it->client_id != client_id) continue;
    if (it->grant_type && *it->grant_type != grant_type) continue;
    Fault f = *it;
    if (--it->remaining <= 0) faults_.erase(it);
    return f;
  }
  return std::nullopt;
}

std::vector<Fault> FaultQueue::list() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return faults_;
}

void FaultQueue::clear(const std::optional<std::string>& environment) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!environment) {
    faults_.clear();
    return;
  }
  faults_.erase(std::remove_if(faults_.begin(), faults_.end(),
                               [&](const Fault& f) { return f.environment == *environment; }),
                faults_.end());
}

void FaultQueue::wait(int64_t ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  stopped_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

void FaultQueue::stop_waiting() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stopped_.notify_all();
}

bool FaultQueue::remove(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::find_if(faults_.begin(), faults_.end(), [&](const Fault& f) { return f.id == id; });
  if (it == faults_.end()) return false;
  faults_.erase(it);
  return true;
}

}  // namespace authemu
