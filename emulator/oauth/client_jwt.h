// What clients sign (client assertions, RFC 7523; DPoP proofs, RFC 9449), read the same way: a
// size cap, a strict decode (no duplicate members, RFC 7515 §4), the algorithm by name, and time
// claims that pass when they fit their window on the environment's clock or on real time (clients
// sign on real time while a test may have moved the environment's clock). No HTTP, no keys.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "jose/jwk.h"
#include "jose/jwt.h"

namespace authemu {

constexpr size_t kMaxClientJwtLength = 8192; // a client assertion or DPoP proof, as sent
constexpr int64_t kClientJwtSkew = 60;       // seconds of clock difference forgiven

// The two clocks a client's time claims are read against; real may be nullptr (tests).
struct SignedTimeClocks {
  const Clock* environment = nullptr;
  const Clock* real = nullptr;
};

// Decodes what: "client_assertion" or "DPoP proof", named in *reason on failure.
std::optional<DecodedJwt> decode_client_jwt(std::string_view token, const char* what, std::string* reason);

// The header's alg as an algorithm this server verifies; nothing, and *reason, for none, EdDSA,
// a missing or an unknown alg.
const JwsAlgorithm* client_jwt_algorithm(const DecodedJwt& jwt, const char* what, std::string* reason);

// A time rule on one clock's now: why the claims do not fit it, nothing when they do.
using TimeRule = std::optional<std::string> (*)(const JsonObject& claims, int64_t now, const void* data);

// Nothing when rule passes on either clock; else the environment clock's reason (with which
// clocks refused it when they differ).
std::optional<std::string> check_time_on_either(const SignedTimeClocks& clocks, const JsonObject& claims,
                                                TimeRule rule, const void* data = nullptr);

// The earliest and latest of the two clocks' now (for lifetimes kept on real time).
int64_t latest_now(const SignedTimeClocks& clocks);

} // namespace authemu
