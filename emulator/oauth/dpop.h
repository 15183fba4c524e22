// DPoP (RFC 9449), the one place for it: checking a request's proof (typ, an asymmetric alg, the
// public jwk of its header, htm, htu, iat, a single-use jti, ath, the server nonce), and the
// environment's rotating nonces. Returns the proof's key thumbprint (what cnf.jkt binds); throws
// OAuthError invalid_dpop_proof or use_dpop_nonce. No HTTP: callers hand it the header values,
// method and URLs.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/http_types.h"
#include "oauth/client_jwt.h"
#include "oauth/replay_cache.h"

namespace authemu {

constexpr int64_t kDpopProofLifetime = 300; // iat at most this old (plus skew)
constexpr int64_t kDpopNonceRotation = 60;  // a new nonce each minute
constexpr int64_t kDpopNonceValidity = 300; // a nonce is accepted for 5 minutes after it is made

// What the proof of one request must match.
struct DpopCheck {
  std::vector<std::string> proofs; // every DPoP header of the request (RFC 9449 §4.3: exactly one)
  std::string method;              // htm
  std::vector<std::string> urls;   // the URLs htu may name (normalized here, RFC 3986 §6.2.2-6.2.3)
  const std::string* access_token = nullptr; // at a resource: ath is its hash (§4.3 item 11)
  bool nonce_required = false;               // §8: the proof must carry a current server nonce
  bool record_jti = true;                    // false: check only (the jti is recorded later)
};

struct DpopProof {
  std::string jkt; // RFC 7638 thumbprint of the proof's key
  std::string jti;
  int64_t lifetime = 0; // seconds the jti must stay recorded
};

// The DPoP proofs of req (RFC 9449 §4.1: every DPoP header) and what they must match: its method
// and one of urls.
DpopCheck dpop_check(const HttpRequest& req, std::vector<std::string> urls);

// RFC 3986 §6.2.2-6.2.3: scheme and host in lower case, the default port dropped, percent-encoded
// unreserved characters decoded, dot segments removed, an empty path as "/"; query and fragment
// dropped (RFC 9449 §4.3 item 9). Nothing when url is not an absolute http(s) URL.
std::optional<std::string> normalize_htu(const std::string& url);

class Dpop {
public:
  // label: the environment's, part of what its nonces are made of (one environment's nonce is
  // not another's).
  Dpop(const Clock& environment_clock, const Clock& real_clock, std::string label);

  // Throws OAuthError invalid_dpop_proof (the description says what) or use_dpop_nonce.
  DpopProof check(const DpopCheck& c);
  // Records a checked proof's jti (check with record_jti false); throws invalid_dpop_proof on a replay.
  void record(const DpopProof& p);
  // The nonce to send now (RFC 9449 §8), rotating every kDpopNonceRotation seconds of real time.
  std::string nonce() const;
  bool nonce_valid(const std::string& nonce) const;
  // Forgets every recorded jti (the environment's reset).
  void clear() { replays_.clear(); }
  ReplayCache& replays() { return replays_; }
  SignedTimeClocks clocks() const { return {&env_clock_, &real_clock_}; }

private:
  std::string nonce_at(int64_t bucket) const;

  const Clock& env_clock_;
  const Clock& real_clock_;
  std::string secret_; // random, per process: nonces of a past run are not accepted
  ReplayCache replays_;
};

} // namespace authemu
