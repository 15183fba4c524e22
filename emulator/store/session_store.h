// Browser sessions of one environment (single sign-on): who signed in, when and how, and which
// clients they signed in to. The browser holds a random cookie value; the store keeps its SHA-256
// hash, and a separate public id (the ID token's sid, the admin API's handle). Sessions last
// until logout, reset or the admin API ends them; past kMaxSessions the oldest leave. Thread-safe.
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace authemu {

struct BrowserSession {
  std::string sid; // public id
  std::string user_id;
  int64_t auth_time = 0;
  std::vector<std::string> amr;
  std::vector<std::string> clients; // clients it signed in to, in order
};

constexpr size_t kMaxSessions = 10000;

class SessionStore {
public:
  struct Created {
    std::string cookie; // the value for the browser
    BrowserSession session;
  };
  Created create(std::string user_id, int64_t auth_time, std::vector<std::string> amr);
  std::optional<BrowserSession> find_by_cookie(std::string_view cookie) const;
  std::optional<BrowserSession> find(std::string_view sid) const;
  void add_client(std::string_view sid, const std::string& client_id);
  bool end(std::string_view sid);                // false when unknown
  size_t end_for_user(std::string_view user_id); // a removed user's sessions
  std::vector<BrowserSession> list() const;      // oldest first
  void clear();

private:
  struct Row {
    std::string cookie_hash;
    BrowserSession session;
  };
  mutable std::mutex mutex_;
  std::vector<Row> rows_; // oldest first
};

} // namespace authemu
