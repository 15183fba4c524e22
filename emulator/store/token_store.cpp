#include "store/token_store.h"

#include <algorithm>

#include "base/base64.h"
#include "jose/crypto.h"

namespace authemu {

namespace {
constexpr char kRefresh = 'r', kFamily = 'f', kRevoked = 'a';
std::string key_of(std::string_view token) {
  return sha256(token);
}
} // namespace

void TokenStore::expire_at_locked(int64_t exp, char kind, const std::string& key) {
  expiry_.emplace(exp, std::make_pair(kind, key));
}

// Drops what expired; the index holds one entry per record (a family's entry is re-added when its
// expiry moves later, and stale entries are skipped).
void TokenStore::purge_locked(int64_t now) {
  while (!expiry_.empty() && expiry_.begin()->first <= now) {
    auto node = expiry_.extract(expiry_.begin());
    const auto& [kind, key] = node.mapped();
    if (kind == kRefresh) {
      refresh_.erase(key);
    } else if (kind == kRevoked) {
      auto it = revoked_access_.find(key);
      if (it != revoked_access_.end() && it->second <= now) revoked_access_.erase(it);
    } else if (kind == kFamily) {
      auto it = families_.find(key);
      if (it != families_.end() && it->second.exp <= now) families_.erase(it);
    }
  }
}

std::string TokenStore::issue_refresh(RefreshGrant grant, int64_t now) {
  std::string token = base64url_encode(random_bytes(32));
  std::lock_guard<std::mutex> lock(mutex_);
  purge_locked(now);
  std::string key = key_of(token);
  Family& f = family_locked(grant);
  // OAuth 2.0 Security BCP §4.14.2: a refresh that won the race against a reuse of its token still
  // issues into the family the reuse revoked; its token is born revoked.
  if (f.revoked) return token;
  f.refresh_keys.push_back(key);
  expire_at_locked(grant.exp, kRefresh, key);
  refresh_[key] = Refresh{std::move(grant), false};
  return token;
}

TokenStore::Family& TokenStore::family_locked(const RefreshGrant& grant) {
  Family& f = families_[grant.family];
  f.client_id = grant.client_id;
  f.user_id = grant.user_id;
  if (grant.exp > f.exp) {
    f.exp = grant.exp;
    expire_at_locked(f.exp, kFamily, grant.family);
  }
  return f;
}

void TokenStore::open_family(const RefreshGrant& grant, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  purge_locked(now);
  family_locked(grant);
}

void TokenStore::revoke_family(const std::string& family, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  purge_locked(now);
  revoke_family_locked(family, now);
}

size_t TokenStore::revoke_user_access(const std::string& client_id, const std::string& user_id, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  purge_locked(now);
  size_t n = 0;
  for (auto& [id, f] : families_) {
    if (f.client_id != client_id || f.user_id != user_id) continue;
    for (const auto& [jti, exp] : f.access) {
      if (exp > now) ++n;
      revoke_access_locked(jti, exp, now);
    }
    f.access.clear();
  }
  return n;
}

void TokenStore::record_access(const std::string& family, const std::string& jti, int64_t exp, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = families_.find(family);
  if (it == families_.end()) return;
  Family& f = it->second;
  // OAuth 2.0 Security BCP §4.14.2: an access token issued into a revoked family is revoked.
  if (f.revoked) {
    revoke_access_locked(jti, exp, now);
    return;
  }
  // Keep only live entries: a long-lived family refreshed many times stays small.
  f.access.erase(std::remove_if(f.access.begin(), f.access.end(), [&](const auto& a) { return a.second <= now; }),
                 f.access.end());
  f.access.emplace_back(jti, exp);
  if (exp > f.exp) {
    f.exp = exp;
    expire_at_locked(f.exp, kFamily, family);
  }
}

void TokenStore::revoke_access_locked(const std::string& jti, int64_t exp, int64_t now) {
  if (exp > now && revoked_access_.emplace(jti, exp).second) expire_at_locked(exp, kRevoked, jti);
}

void TokenStore::revoke_family_locked(const std::string& family, int64_t now) {
  auto it = families_.find(family);
  if (it == families_.end()) return;
  Family& f = it->second;
  f.revoked = true;
  for (const auto& key : f.refresh_keys)
    refresh_.erase(key); // from now on unknown
  f.refresh_keys.clear();
  for (const auto& [jti, exp] : f.access)
    revoke_access_locked(jti, exp, now);
  f.access.clear();
}

TokenStore::Use TokenStore::use_refresh(std::string_view token, const std::string& client_id, int64_t now,
                                        RefreshGrant* out) {
  std::lock_guard<std::mutex> lock(mutex_);
  purge_locked(now);
  auto it = refresh_.find(key_of(token));
  if (it == refresh_.end()) return Use::unknown;
  Refresh& r = it->second;
  if (r.grant.client_id != client_id) return Use::other_client; // RFC 6749 §6: bound to its client
  if (r.used) {
    // OAuth 2.0 Security BCP §4.14.2: a rotated token used again means it leaked; end the grant.
    std::string family_id = r.grant.family; // r goes with the family
    revoke_family_locked(family_id, now);
    return Use::reused;
  }
  r.used = true;
  *out = r.grant;
  return Use::ok;
}

std::optional<RefreshGrant> TokenStore::find_refresh(std::string_view token, int64_t now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = refresh_.find(key_of(token));
  // No purge here (const): an expired token may still be present.
  if (it == refresh_.end() || it->second.used || it->second.grant.exp <= now) return std::nullopt;
  return it->second.grant;
}

TokenStore::Revoke TokenStore::revoke_refresh(std::string_view token, const std::string& client_id, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  purge_locked(now);
  auto it = refresh_.find(key_of(token));
  if (it == refresh_.end()) return Revoke::unknown;
  if (it->second.grant.client_id != client_id) return Revoke::other_client;
  std::string family_id = it->second.grant.family; // the record goes with the family
  revoke_family_locked(family_id, now);
  return Revoke::done;
}

void TokenStore::revoke_access(const std::string& jti, int64_t exp, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  purge_locked(now);
  revoke_access_locked(jti, exp, now);
}

bool TokenStore::is_access_revoked(const std::string& jti) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return revoked_access_.count(jti) != 0;
}

void TokenStore::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  refresh_.clear();
  families_.clear();
  revoked_access_.clear();
  expiry_.clear();
}

TokenStore::Counts TokenStore::counts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return Counts{refresh_.size(), families_.size(), revoked_access_.size()};
}

} // namespace authemu
