#include "store/session_store.h"

#include <algorithm>

#include "base/base64.h"
#include "jose/crypto.h"

namespace authemu {

SessionStore::Created SessionStore::create(std::string user_id, int64_t auth_time, std::vector<std::string> amr) {
  Created c;
  c.cookie = base64url_encode(random_bytes(32));
  c.session.sid = base64url_encode(random_bytes(16));
  c.session.user_id = std::move(user_id);
  c.session.auth_time = auth_time;
  c.session.amr = std::move(amr);
  std::lock_guard<std::mutex> lock(mutex_);
  if (rows_.size() >= kMaxSessions) rows_.erase(rows_.begin());
  rows_.push_back(Row{sha256(c.cookie), c.session});
  return c;
}

std::optional<BrowserSession> SessionStore::find_by_cookie(std::string_view cookie) const {
  if (cookie.empty() || cookie.size() > 256) return std::nullopt;
  std::string hash = sha256(cookie);
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& r : rows_) {
    if (r.cookie_hash == hash) return r.session;
  }
  return std::nullopt;
}

std::optional<BrowserSession> SessionStore::find(std::string_view sid) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& r : rows_) {
    if (r.session.sid == sid) return r.session;
  }
  return std::nullopt;
}

void SessionStore::add_client(std::string_view sid, const std::string& client_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& r : rows_) {
    if (r.session.sid != sid) continue;
    auto& c = r.session.clients;
    if (std::find(c.begin(), c.end(), client_id) == c.end() && c.size() < 100) c.push_back(client_id);
  }
}

bool SessionStore::end(std::string_view sid) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::find_if(rows_.begin(), rows_.end(), [&](const Row& r) { return r.session.sid == sid; });
  if (it == rows_.end()) return false;
  rows_.erase(it);
  return true;
}

size_t SessionStore::end_for_user(std::string_view user_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t before = rows_.size();
  rows_.erase(std::remove_if(rows_.begin(), rows_.end(), [&](const Row& r) { return r.session.user_id == user_id; }),
              rows_.end());
  return before - rows_.size();
}

std::vector<BrowserSession> SessionStore::list() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<BrowserSession> out;
  for (const auto& r : rows_)
    out.push_back(r.session);
  return out;
}

void SessionStore::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  rows_.clear();
}

} // namespace authemu
