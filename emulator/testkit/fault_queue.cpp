#include "testkit/fault_queue.h"

#include <algorithm>
#include <chrono>

#include "base/duration.h"

namespace authemu {

namespace {

// RFC 6749 §5.2 codes and the status each is sent with when the fault names none.
int default_status(const std::string& error) {
  if (error == "invalid_client") return 401;
  if (error == "server_error") return 500;
  if (error == "temporarily_unavailable") return 503;
  if (error == "insufficient_scope") return 403;
  if (error == "invalid_token") return 401;
  return 400;
}

// The error codes an OAuth endpoint can answer: RFC 6749 §5.2 and §4.1.2.1, RFC 6750 §3.1,
// RFC 7009 §2.2.1, RFC 8693 §2.2.2, RFC 8628 §3.5, RFC 9449 §12.2 and OpenID Connect Core §3.1.2.6.
constexpr const char* kErrorCodes[] = {"invalid_request",
                                       "invalid_client",
                                       "invalid_grant",
                                       "unauthorized_client",
                                       "unsupported_grant_type",
                                       "invalid_scope",
                                       "access_denied",
                                       "unsupported_response_type",
                                       "server_error",
                                       "temporarily_unavailable",
                                       "invalid_token",
                                       "insufficient_scope",
                                       "unsupported_token_type",
                                       "invalid_target",
                                       "interaction_required",
                                       "login_required",
                                       "account_selection_required",
                                       "consent_required",
                                       "invalid_request_uri",
                                       "invalid_request_object",
                                       "request_not_supported",
                                       "request_uri_not_supported",
                                       "registration_not_supported",
                                       "authorization_pending", // RFC 8628 §3.5
                                       "slow_down",
                                       "expired_token",
                                       "invalid_dpop_proof", // RFC 9449 §5, §7.1
                                       "use_dpop_nonce"};

bool is_error_code(const std::string& s) {
  return std::any_of(std::begin(kErrorCodes), std::end(kErrorCodes), [&](const char* c) { return s == c; });
}

std::string error_codes() {
  std::string out;
  for (const char* c : kErrorCodes)
    out += (out.empty() ? "" : ", ") + std::string(c);
  return out;
}

const char* const kEndpoints[] = {
    "token", "introspect",           "revoke", "userinfo", "jwks", "discovery", "authorize", "login", "end_session",
    "par",   "device_authorization", "device", "register"};
const char* const kEndpointList = "token, introspect, revoke, userinfo, jwks, discovery, authorize, login, "
                                  "end_session, par, device_authorization, device, register";

} // namespace

bool is_fault_endpoint(const std::string& name) {
  return std::find(std::begin(kEndpoints), std::end(kEndpoints), name) != std::end(kEndpoints);
}

Fault parse_fault(const JsonObject& body) {
  Fault f;
  auto text = [&](const char* name) -> std::optional<std::string> {
    const Json* v = find_member(body, name);
    if (!v) return std::nullopt;
    if (!v->is<std::string>() || v->get<std::string>().empty() || v->get<std::string>().size() > 1024) {
      throw admin_api::validation(std::string(name) + ": expected a non-empty string");
    }
    return v->get<std::string>();
  };
  auto endpoint = text("endpoint");
  if (!endpoint) throw admin_api::validation(std::string("endpoint: required (") + kEndpointList + ")");
  if (!is_fault_endpoint(*endpoint)) {
    throw admin_api::validation("endpoint: unknown endpoint " + *endpoint + " (" + kEndpointList + ")");
  }
  f.endpoint = *endpoint;
  f.client_id = text("client_id");
  f.grant_type = text("grant_type");
  if (auto v = find_member(body, "count")) {
    if (!v->is<int64_t>() || v->get<int64_t>() < 1 || v->get<int64_t>() > kMaxFaultCount) {
      throw admin_api::validation("count: expected a whole number from 1 to " + std::to_string(kMaxFaultCount));
    }
    f.remaining = static_cast<int>(v->get<int64_t>());
  }
  if (auto e = text("error")) {
    if (!is_error_code(*e))
      throw admin_api::validation("error: unknown OAuth error code " + *e + " (" + error_codes() + ")");
    f.error = *e;
  }
  if (auto d = text("error_description")) {
    if (f.error.empty()) throw admin_api::validation("error_description: needs error");
    for (char c : *d) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
        throw admin_api::validation("error_description: no quotes, backslashes or control characters (RFC 6749 §5.2)");
    }
    f.description = *d;
  }
  if (auto v = find_member(body, "status")) {
    if (!v->is<int64_t>() || v->get<int64_t>() < 400 || v->get<int64_t>() > 599) {
      throw admin_api::validation("status: expected an HTTP error status from 400 to 599");
    }
    f.status = static_cast<int>(v->get<int64_t>());
  }
  if (f.error == "use_dpop_nonce" && f.endpoint != "token" && f.endpoint != "userinfo" && f.endpoint != "par") {
    throw admin_api::validation("error: use_dpop_nonce is a challenge of the endpoints that read DPoP proofs "
                                "(token, par, userinfo)");
  }
  if (!f.error.empty() && f.status == 0) f.status = default_status(f.error);
  if (auto v = find_member(body, "delay")) {
    auto ms = json_milliseconds(*v);
    if (!ms || *ms < 0 || *ms > kMaxFaultDelayMs) {
      throw admin_api::validation("delay: expected milliseconds or a duration such as 250ms, 2s (at most 60s)");
    }
    f.delay_ms = *ms;
  }
  if (f.status == 0 && f.delay_ms == 0) throw admin_api::validation("body: give error, status or delay");
  return f;
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
  faults_.erase(
      std::remove_if(faults_.begin(), faults_.end(), [&](const Fault& f) { return f.environment == *environment; }),
      faults_.end());
}

void FaultQueue::wait(int64_t ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  const int64_t until_us = clock_.now_us() + ms * 1000;
  ++waiting_;
  for (int64_t left_us; !stopping_ && (left_us = until_us - clock_.now_us()) > 0;) {
    ++delay_checks_;
    checked_.notify_all();
    stopped_.wait_for(lock, std::chrono::milliseconds(clock_.block_ms((left_us + 999) / 1000)));
  }
  --waiting_;
  checked_.notify_all();
}

bool FaultQueue::wait_for_delay_check(std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  const uint64_t after = delay_checks_;
  return checked_.wait_for(lock, timeout, [&] { return waiting_ > 0 && delay_checks_ > after; });
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

} // namespace authemu
