#include "store/device_store.h"

#include <algorithm>
#include <cctype>

#include "base/base64.h"
#include "jose/crypto.h"

namespace authemu {

namespace {

constexpr size_t kUserCodeLength = 8;
constexpr int64_t kSlowDownStep = 5; // RFC 8628 §3.5
// A poll this much under the interval by the monotonic clock still counts as on time: requests
// that were sent interval apart may arrive a little closer.
constexpr int64_t kPollToleranceUs = 200000;

// 8 characters of the alphabet, uniform: bytes of 240 and above are thrown away (240 = 12 * 20).
std::string random_user_code() {
  const size_t n = sizeof(kUserCodeAlphabet) - 1;
  std::string code;
  while (code.size() < kUserCodeLength) {
    for (unsigned char b : random_bytes(16)) {
      if (b >= 240 || code.size() == kUserCodeLength) continue;
      code += kUserCodeAlphabet[b % n];
    }
  }
  return code;
}

// Whether (now, now_us) is less than interval seconds after (since, since_us) by both clocks.
bool within(std::optional<int64_t> since, std::optional<int64_t> since_us, int64_t interval, int64_t now,
            int64_t now_us) {
  return since && now - *since < interval && now_us - *since_us + kPollToleranceUs < interval * 1000000;
}

void prune(std::vector<int64_t>& times, int64_t now) {
  times.erase(std::remove_if(times.begin(), times.end(), [&](int64_t t) { return now - t >= kWrongCodeWindow; }),
              times.end());
}

} // namespace

std::string display_user_code(std::string_view code) {
  if (code.size() != kUserCodeLength) return std::string(code);
  return std::string(code.substr(0, 4)) + "-" + std::string(code.substr(4));
}

std::optional<std::string> normalize_user_code(std::string_view typed) {
  if (typed.size() > 64) return std::nullopt;
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (std::string_view(kUserCodeAlphabet).find(u) == std::string_view::npos || u == '\0') return std::nullopt;
    out += u;
  }
  if (out.size() != kUserCodeLength) return std::nullopt;
  return out;
}

DeviceStore::Created DeviceStore::create(DeviceRequest r, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  purge(now);
  while (order_.size() >= kMaxDeviceRequests) {
    auto it = rows_.find(order_.front());
    if (it != rows_.end()) {
      by_user_code_.erase(it->second.user_code);
      rows_.erase(it);
    }
    order_.pop_front();
  }
  do {
    r.user_code = random_user_code();
  } while (by_user_code_.count(r.user_code) != 0);
  Created c{base64url_encode(random_bytes(32)), r.user_code};
  std::string key = sha256(c.device_code);
  by_user_code_[r.user_code] = key;
  rows_[key] = std::move(r);
  order_.push_back(key);
  return c;
}

std::optional<DeviceRequest> DeviceStore::find_by_user_code(const std::string& user_code, int64_t now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto k = by_user_code_.find(user_code);
  if (k == by_user_code_.end()) return std::nullopt;
  auto it = rows_.find(k->second);
  if (it == rows_.end() || it->second.exp <= now) return std::nullopt;
  return it->second;
}

std::vector<DeviceRequest> DeviceStore::list_pending(int64_t now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<DeviceRequest> out;
  for (const auto& key : order_) {
    auto it = rows_.find(key);
    if (it != rows_.end() && it->second.state == DeviceState::pending && it->second.exp > now)
      out.push_back(it->second);
  }
  return out;
}

DeviceStore::Decide DeviceStore::decide(const std::string& user_code, bool approve, const SignIn& who, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto k = by_user_code_.find(user_code);
  if (k == by_user_code_.end()) return Decide::unknown;
  auto it = rows_.find(k->second);
  if (it == rows_.end() || it->second.exp <= now) return Decide::unknown;
  if (it->second.state != DeviceState::pending) return Decide::already_decided;
  it->second.state = approve ? DeviceState::approved : DeviceState::denied;
  it->second.sign_in = who;
  return Decide::done;
}

DeviceStore::Poll DeviceStore::poll(std::string_view device_code, const std::string& client_id, int64_t now,
                                    int64_t now_us, DeviceRequest* out) {
  std::lock_guard<std::mutex> lock(mutex_);
  purge(now);
  if (device_code.empty() || device_code.size() > 256) return Poll::unknown;
  auto it = rows_.find(sha256(device_code));
  if (it == rows_.end()) return Poll::unknown;
  DeviceRequest& r = it->second;
  // Another client's try changes nothing, not even the polling state.
  if (r.client_id != client_id) return Poll::other_client;
  if (out != nullptr) *out = r;
  if (r.state == DeviceState::used) return Poll::used;
  if (r.exp <= now) return Poll::expired; // by the environment clock
  bool early = within(r.last_poll, r.last_poll_us, r.interval, now, now_us);
  r.last_poll = now;
  r.last_poll_us = now_us;
  if (early) {
    // RFC 8628 §3.5: once per interval window, up to the cap.
    if (r.interval < kMaxPollInterval && !within(r.raised, r.raised_us, r.interval, now, now_us)) {
      r.interval = std::min(r.interval + kSlowDownStep, kMaxPollInterval);
      r.raised = now;
      r.raised_us = now_us;
    }
    if (out != nullptr) out->interval = r.interval;
    return Poll::slow_down;
  }
  switch (r.state) {
  case DeviceState::pending:
    return Poll::pending;
  case DeviceState::denied:
    return Poll::denied;
  case DeviceState::approved:
    r.state = DeviceState::used;
    return Poll::approved;
  case DeviceState::used:
    break;
  }
  return Poll::used;
}

bool DeviceStore::may_enter(const std::string& key, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& mine = wrong_[key];
  auto& all = wrong_[""];
  prune(mine, now);
  prune(all, now);
  return mine.size() < static_cast<size_t>(kWrongCodesPerBrowser) &&
         all.size() < static_cast<size_t>(kWrongCodesPerEnvironment);
}

void DeviceStore::note_wrong_entry(const std::string& key, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (wrong_.size() > kMaxDeviceRequests) wrong_.clear(); // bounded: many browsers start afresh
  if (!key.empty()) wrong_[key].push_back(now);
  wrong_[""].push_back(now);
}

size_t DeviceStore::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return rows_.size();
}

void DeviceStore::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  rows_.clear();
  by_user_code_.clear();
  order_.clear();
  wrong_.clear();
}

// In insertion order once past expiry and retention; one that outlives an earlier one waits.
void DeviceStore::purge(int64_t now) {
  while (!order_.empty()) {
    auto it = rows_.find(order_.front());
    if (it != rows_.end() && it->second.exp + kDeviceRetention > now) break;
    if (it != rows_.end()) {
      by_user_code_.erase(it->second.user_code);
      rows_.erase(it);
    }
    order_.pop_front();
  }
}

} // namespace authemu
