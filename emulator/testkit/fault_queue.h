// Faults queued by the admin API for the next requests of an endpoint: an OAuth error with its
// status, a bare HTTP status, and/or a delay; read from the admin API's JSON by parse_fault. Each
// fault answers `count` matching requests, then leaves. Knows no HTTP; App applies what take()
// returns. Thread-safe.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/monotonic_clock.h"
#include "testkit/admin_error.h"

namespace authemu {

struct Fault {
  std::string id;                        // "f1", "f2", … assigned by add()
  std::string environment;               // "" for the default environment
  std::string endpoint;                  // token, introspect, revoke, userinfo, jwks, discovery
  std::optional<std::string> client_id;  // only requests naming this client
  std::optional<std::string> grant_type; // token only: only this grant
  int remaining = 1;
  std::string error;       // an OAuth error code; empty: none
  std::string description; // its error_description
  int status = 0;          // the HTTP status of the error, or of a bare failure when error is empty; 0: none
  int64_t delay_ms = 0;    // waited before answering (then the fault's error, or the real answer)
};

// Endpoints a fault may name, as the journal names them.
bool is_fault_endpoint(const std::string& name);

constexpr size_t kMaxQueuedFaults = 100;
constexpr int kMaxFaultCount = 1000;
constexpr int64_t kMaxFaultDelayMs = 60000;

// The fault of a POST /_authemu/faults body (endpoint, client_id, grant_type, count, error,
// error_description, status, delay; "environment" is the caller's). Throws admin_api::validation
// naming the member and why.
Fault parse_fault(const JsonObject& body);

class FaultQueue {
public:
  // Delays pass by `clock` (the transport's), which must outlive the queue.
  explicit FaultQueue(const MonotonicClock& clock = steady_clock()) : clock_(clock) {}

  // Queues f; nothing when the queue is full.
  std::optional<std::string> add(Fault f);
  // The first queued fault for this request, counted as used; nothing when none matches.
  std::optional<Fault> take(const std::string& environment, const std::string& endpoint, const std::string& client_id,
                            const std::string& grant_type);
  std::vector<Fault> list() const;
  // Drops one environment's faults, or all.
  void clear(const std::optional<std::string>& environment = std::nullopt);
  bool remove(const std::string& id);

  // Waits a fault's delay of ms by the clock; returns early once stop_waiting() is called, so that
  // a server can stop without waiting out delayed requests.
  void wait(int64_t ms);
  void stop_waiting();
  // For tests and diagnostics: waits (at most `timeout` of real time) until a request waiting out a
  // delay has read the clock after this call began, and waits on; says whether one did. After a
  // fake clock's advance, true means that request saw the advance and its delay is not over.
  bool wait_for_delay_check(std::chrono::milliseconds timeout) const;

private:
  const MonotonicClock& clock_;
  mutable std::mutex mutex_;
  std::condition_variable stopped_;         // wakes the waiters: stop_waiting()
  mutable std::condition_variable checked_; // wakes wait_for_delay_check: a waiter read the clock or left
  bool stopping_ = false;
  size_t waiting_ = 0;        // requests in wait()
  uint64_t delay_checks_ = 0; // times a waiter read the clock and waited on
  std::vector<Fault> faults_;
  uint64_t next_id_ = 1;
};

} // namespace authemu
