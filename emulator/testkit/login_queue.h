// What the next authorizations do, queued by a test through the admin API: sign in a fixture user,
// sign in any subject with claims, or answer an error. Each entry may be limited to one
// environment and one client and covers `count` authorizations; the first matching entry wins,
// over the browser's session too. Bounded; thread-safe; no HTTP here.
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"

namespace authemu {

struct QueuedLogin {
  std::string id;
  std::string environment; // "" : any; "default" names the default environment
  std::string client_id;   // "" : any
  std::string user;        // a user's id, username or email
  std::string subject;     // or any subject, with claims
  JsonObject claims;
  std::string error; // or this error: access_denied, server_error, temporarily_unavailable, login_required, …
  std::string error_description;
  int64_t remaining = 1;
};

constexpr size_t kMaxQueuedLogins = 1000;

// The errors an entry may answer (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6).
const std::vector<std::string>& queued_login_errors();

class LoginQueue {
public:
  // Adds an entry (its id is set here); false when the queue is full.
  bool add(QueuedLogin& entry);
  // Takes one authorization of the first entry for this environment and client.
  std::optional<QueuedLogin> take(const std::string& environment, const std::string& client_id);
  std::vector<QueuedLogin> list(const std::optional<std::string>& environment) const;
  bool remove(const std::string& id);
  void clear(const std::optional<std::string>& environment); // nothing: all

private:
  mutable std::mutex mutex_;
  std::vector<QueuedLogin> entries_;
  uint64_t next_id_ = 1;
};

} // namespace authemu
