#include "oauth/client_jwt.h"

#include <algorithm>

#include "base/base64.h"

namespace authemu {

std::optional<DecodedJwt> decode_client_jwt(std::string_view token, const char* what, std::string* reason) {
  if (token.size() > kMaxClientJwtLength) {
    *reason = std::string(what) + " longer than " + std::to_string(kMaxClientJwtLength) + " bytes";
    return std::nullopt;
  }
  std::string why;
  auto jwt = decode_jwt(token, &why);
  if (!jwt) {
    *reason = std::string(what) + " is malformed: " + why;
    return std::nullopt;
  }
  // RFC 7515 §4: header parameter names are unique; a reader that took the last of two would
  // see another token than a reader that took the first.
  size_t dot = token.find('.');
  for (auto [part, name] : {std::pair{token.substr(0, dot), "header"},
                            std::pair{token.substr(dot + 1, token.rfind('.') - dot - 1), "payload"}}) {
    std::string text = *base64url_decode(part);
    if (auto dup = duplicate_member(text)) {
      *reason = std::string(what) + " " + name + " has the member \"" + *dup + "\" twice";
      return std::nullopt;
    }
  }
  return jwt;
}

const JwsAlgorithm* client_jwt_algorithm(const DecodedJwt& jwt, const char* what, std::string* reason) {
  auto alg = find_string(jwt.header, "alg");
  if (!alg) {
    *reason = std::string(what) + " header has no alg";
    return nullptr;
  }
  if (*alg == "none") {
    *reason = std::string(what) + " is not signed (alg none)";
    return nullptr;
  }
  if (*alg == "EdDSA" || *alg == "Ed25519" || *alg == "Ed448") {
    *reason = std::string(what) + " alg " + *alg + " is not supported: mbedTLS 3.6 has no EdDSA signatures (use ES256, PS256 or RS256)";
    return nullptr;
  }
  const JwsAlgorithm* a = find_jws_algorithm(*alg);
  if (a == nullptr) *reason = std::string(what) + " alg " + *alg + " is not supported";
  return a;
}

std::optional<std::string> check_time_on_either(const SignedTimeClocks& clocks, const JsonObject& claims,
                                                TimeRule rule, const void* data) {
  std::optional<std::string> on_env;
  if (clocks.environment != nullptr) {
    on_env = rule(claims, clocks.environment->now(), data);
    if (!on_env) return std::nullopt;
  }
  if (clocks.real == nullptr) return on_env;
  auto on_real = rule(claims, clocks.real->now(), data);
  if (!on_real) return std::nullopt;
  if (!on_env) return on_real;
  if (clocks.environment->now() == clocks.real->now()) return on_env;
  return *on_env + " (by the environment's clock, and by real time too)";
}

int64_t latest_now(const SignedTimeClocks& clocks) {
  int64_t now = clocks.environment ? clocks.environment->now() : 0;
  if (clocks.real) now = std::max(now, clocks.real->now());
  return now;
}

} // namespace authemu
