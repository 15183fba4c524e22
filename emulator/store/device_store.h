// Device authorization requests of one environment (RFC 8628): the device code (kept as a SHA-256
// hash), the user code people type, who approved or denied, and the polling state that slow_down
// needs. Records expire by the environment clock and stay kDeviceRetention longer so that a late
// poll hears expired_token; past kMaxDeviceRequests the oldest leave. Also counts wrong user-code
// entries per browser for the verification page's rate limit. Thread-safe. Checks no client or
// user: oauth/device_flow and the grant do.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/authorization_store.h"

namespace authemu {

constexpr size_t kMaxDeviceRequests = 10000;
constexpr int64_t kDeviceRetention = 3600; // seconds a record outlives its expiry
// RFC 8628 §6.1: 8 characters of 20 consonants (~34.5 bits), no vowels and no look-alikes.
constexpr char kUserCodeAlphabet[] = "BCDFGHJKLMNPQRSTVWXZ";
// The verification page: wrong user codes a browser may enter per kWrongCodeWindow, and all
// browsers of the environment together.
constexpr int kWrongCodesPerBrowser = 5;
constexpr int kWrongCodesPerEnvironment = 100;
constexpr int64_t kWrongCodeWindow = 60;
// RFC 8628 §3.5: the most that slow_down raises a request's polling interval to (seconds).
constexpr int64_t kMaxPollInterval = 60;

enum class DeviceState { pending, approved, denied, used };

struct DeviceRequest {
  std::string client_id;
  std::string scope;  // granted
  std::string issuer; // where it was made: the iss of its tokens
  // fctl's extras: prompt as sent; organization_id; resource as sent and the audience it names
  // (empty: the client's); the user an id_token_hint named.
  std::string prompt, organization_id, resource, hint_user;
  std::vector<std::string> audience;
  std::string user_code; // XXXXXXXX, shown as XXXX-XXXX
  int64_t created = 0, exp = 0;
  int64_t interval = 5; // seconds; slow_down adds 5, at most once per interval, up to kMaxPollInterval
  DeviceState state = DeviceState::pending;
  SignIn sign_in;                                 // who approved (or denied)
  std::optional<int64_t> last_poll, last_poll_us; // environment seconds, monotonic microseconds
  std::optional<int64_t> raised, raised_us;       // when slow_down last raised the interval, by both clocks
};

// "ABCD-EFGH" for "ABCDEFGH".
std::string display_user_code(std::string_view code);
// What a person typed: case, dashes and spaces do not count. Nothing unless 8 characters of
// kUserCodeAlphabet remain.
std::optional<std::string> normalize_user_code(std::string_view typed);

class DeviceStore {
public:
  struct Created {
    std::string device_code; // for the device; only its hash is kept
    std::string user_code;   // normalised
  };
  // r.user_code is chosen here (unique among live requests).
  Created create(DeviceRequest r, int64_t now);

  // A live request by its (normalised) user code, for the page and the admin API.
  std::optional<DeviceRequest> find_by_user_code(const std::string& user_code, int64_t now) const;
  // Pending requests, oldest first.
  std::vector<DeviceRequest> list_pending(int64_t now) const;
  // unknown: no live request has this code (an expired one neither, as for find_by_user_code);
  // already_decided: it was approved or denied before (and maybe used).
  enum class Decide { done, unknown, already_decided };
  // Approves or denies a pending, live request.
  Decide decide(const std::string& user_code, bool approve, const SignIn& who, int64_t now);

  enum class Poll { unknown, other_client, expired, pending, slow_down, denied, used, approved };
  // RFC 8628 §3.5 for one token request. out gets the record (with the interval to use from now
  // on after slow_down) unless unknown or other_client; approved marks it used.
  // slow_down when the poll comes sooner than interval after the last one by both clocks (now:
  // environment seconds; now_us: monotonic microseconds). It adds 5 s to the interval unless it
  // did so less than an interval ago (so that a second poller one step behind, which adds 5 s
  // itself, catches up instead of being told slow_down forever), and never past kMaxPollInterval.
  Poll poll(std::string_view device_code, const std::string& client_id, int64_t now, int64_t now_us,
            DeviceRequest* out);

  // The rate limit of wrong entries: true when key (a browser) may try another code.
  bool may_enter(const std::string& key, int64_t now);
  void note_wrong_entry(const std::string& key, int64_t now);

  size_t size() const;
  void clear();

private:
  void purge(int64_t now);
  mutable std::mutex mutex_;
  std::unordered_map<std::string, DeviceRequest> rows_;       // by sha256 of the device code
  std::unordered_map<std::string, std::string> by_user_code_; // user code -> row key
  std::deque<std::string> order_;
  std::map<std::string, std::vector<int64_t>> wrong_; // browser key ("" for all) -> times of wrong entries
};

} // namespace authemu
