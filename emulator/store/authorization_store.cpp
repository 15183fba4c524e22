#include "store/authorization_store.h"

#include "base/base64.h"
#include "jose/crypto.h"

namespace authemu {

template <typename V> std::string AuthorizationStore::Table<V>::put(V v, int64_t exp, int64_t now) {
  purge(now);
  while (order.size() >= kMaxAuthorizations) {
    rows.erase(order.front());
    order.pop_front();
  }
  std::string secret = base64url_encode(random_bytes(32));
  std::string key = sha256(secret);
  rows[key] = Entry{std::move(v), exp, false};
  order.push_back(key);
  return secret;
}

template <typename V>
typename AuthorizationStore::Table<V>::Entry* AuthorizationStore::Table<V>::find(std::string_view secret, int64_t now) {
  purge(now);
  if (secret.empty() || secret.size() > 256) return nullptr;
  auto it = rows.find(sha256(secret));
  if (it == rows.end() || it->second.exp <= now) return nullptr;
  return &it->second;
}

// Records leave in insertion order once expired; one that outlives an earlier one waits behind it,
// which find() covers by checking exp.
template <typename V> void AuthorizationStore::Table<V>::purge(int64_t now) {
  while (!order.empty()) {
    auto it = rows.find(order.front());
    if (it != rows.end() && it->second.exp > now) break;
    if (it != rows.end()) rows.erase(it);
    order.pop_front();
  }
}

std::string AuthorizationStore::issue_code(AuthorizationCode c, int64_t exp, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  return codes_.put(std::move(c), exp, now);
}

std::optional<AuthorizationCode> AuthorizationStore::peek_code(std::string_view code, int64_t now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto* e = codes_.find(code, now);
  if (e == nullptr || e->used) return std::nullopt;
  return e->value;
}

AuthorizationStore::Redeem AuthorizationStore::redeem_code(std::string_view code, const std::string& family,
                                                           int64_t now, AuthorizationCode* out) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto* e = codes_.find(code, now);
  if (e == nullptr) return Redeem::unknown;
  if (e->used) {
    if (out != nullptr) *out = e->value;
    return Redeem::reused;
  }
  e->used = true;
  e->value.family = family;
  if (out != nullptr) *out = e->value;
  return Redeem::ok;
}

std::string AuthorizationStore::park(PendingLogin p, int64_t exp, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  return pending_.put(std::move(p), exp, now);
}

std::optional<PendingLogin> AuthorizationStore::find_pending(std::string_view id, int64_t now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto* e = pending_.find(id, now);
  if (e == nullptr) return std::nullopt;
  return e->value;
}

void AuthorizationStore::update_pending(std::string_view id, const PendingLogin& p) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = pending_.rows.find(sha256(id));
  if (it != pending_.rows.end()) it->second.value = p;
}

std::optional<PendingLogin> AuthorizationStore::take_pending(std::string_view id, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto* e = pending_.find(id, now);
  if (e == nullptr) return std::nullopt;
  PendingLogin p = std::move(e->value);
  pending_.rows.erase(sha256(id));
  return p;
}

std::string AuthorizationStore::push(AuthorizationRequest r, int64_t exp, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  return pushed_.put(std::move(r), exp, now);
}

std::optional<AuthorizationRequest> AuthorizationStore::take_pushed(std::string_view id, const std::string& client_id,
                                                                    int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto* e = pushed_.find(id, now);
  if (e == nullptr || e->value.client_id != client_id) return std::nullopt;
  AuthorizationRequest r = std::move(e->value);
  pushed_.rows.erase(sha256(id));
  return r;
}

AuthorizationStore::Counts AuthorizationStore::counts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return Counts{codes_.rows.size(), pending_.rows.size(), pushed_.rows.size()};
}

void AuthorizationStore::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  codes_ = {};
  pending_ = {};
  pushed_ = {};
}

} // namespace authemu
