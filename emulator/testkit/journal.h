// The recent requests to the OAuth endpoints, for tests to inspect: when, which environment and
// endpoint, grant, client, outcome and latency, the request's parameters and headers with every
// secret masked (journal_mask), and the tokens issued or presented, decoded (header and claims,
// never the signed token). A bounded ring, oldest dropped first; thread-safe. Each entry is also
// published to the live feed (GET /_authemu/journal/stream) as one Server-Sent Event.
#pragma once
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/event_feed.h"
#include "base/json.h"

namespace authemu {

// A token an answer issued or a request presented, decoded: what it says, not the token.
struct JournalToken {
  std::string role; // access_token, id_token, refresh_token, or presented (a bearer token, token=, an assertion)
  JsonObject header, claims;
};

struct JournalEntry {
  uint64_t seq = 0;        // 1, 2, … in arrival order over the server's life
  int64_t time = 0;        // the environment's clock (time travel shows), Unix seconds
  std::string environment; // "" for the default environment
  std::string endpoint;    // token, introspect, revoke, userinfo, jwks, discovery
  std::string method;
  std::string grant_type; // token requests only
  std::string client_id;  // as the request named it (Basic or client_id); not proof of authentication
  int status = 0;
  std::string outcome;    // "ok", or the OAuth error code ("invalid_grant", …), or "http_<status>"
  int64_t latency_us = 0; // from routing to the answer, fault delays included
  std::string fault;      // the injected fault's id, when one answered or delayed the request
  // The TLS client certificate of the connection (RFC 8705): its subject (RFC 4514) and x5t#S256
  // thumbprint, both public; empty without one.
  std::string certificate_subject, certificate_thumbprint;
  int64_t wall_time_ms = 0;      // the server's real time, Unix milliseconds
  std::string path;              // as sent, without the query
  std::string user;              // the sub of the tokens issued or presented, else the username sent
  std::string error_description; // of an OAuth error answer
  // The request's parameters (query and form) and headers, secrets masked (journal_mask).
  std::vector<std::pair<std::string, std::string>> params, headers;
  std::vector<JournalToken> tokens;
  // How the client authenticated (a token_endpoint_auth_method: "private_key_jwt", …), or why it
  // failed (a reason code: "assertion_replayed", …, else the OAuth error code); empty when the
  // request did not authenticate a client.
  std::string client_auth, client_auth_error;
};

// What a route tells the journal about its request once it has run.
struct JournalNote {
  std::string client_auth, client_auth_error;
};

// The value kept of a request parameter or header: secrets, passwords, codes, assertions and
// tokens as "****" (an Authorization header keeps its scheme: "Basic ****"), long values cut.
std::string journal_mask(const std::string& name, const std::string& value, bool header);
// The entry as the admin API shows it (GET /_authemu/journal, the stream's events).
Json journal_entry_json(const JournalEntry& e);

struct JournalQuery {
  std::optional<std::string> environment, endpoint, grant_type, client_id, outcome;
  uint64_t after = 0; // only entries with seq > after
  size_t limit = 100; // the newest ones that match
};

constexpr size_t kJournalCapacity = 1000;

class Journal {
public:
  explicit Journal(size_t capacity = kJournalCapacity) : capacity_(capacity) {}

  void record(JournalEntry entry);                              // assigns seq; publishes it to feed()
  std::optional<JournalEntry> find(uint64_t seq) const;
  std::vector<JournalEntry> query(const JournalQuery& q) const; // oldest first
  // Forgets one environment's entries, or all of them.
  void clear(const std::optional<std::string>& environment = std::nullopt);
  size_t size() const;
  // The live feed: one "data: <entry JSON>" event per recorded entry.
  EventFeed& feed() { return feed_; }

private:
  EventFeed feed_;
  size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<JournalEntry> entries_;
  uint64_t next_seq_ = 1;
};

} // namespace authemu
