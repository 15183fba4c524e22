// JWS compact serialization (RFC 7515 §7.1): building the signing input and taking a token apart.
// Knows nothing of keys or claims rules; KeyStore signs and TokenVerifier decides validity.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"

namespace authemu {

constexpr size_t kMaxJwtLength = 16 * 1024;

struct DecodedJwt {
  JsonObject header;
  JsonObject claims;
  std::string signing_input; // b64u(header) "." b64u(payload), as received
  std::string signature;     // raw bytes
};

// b64u(header) "." b64u(payload) of the serialized JSON (keys in sorted order).
std::string jws_signing_input(const JsonObject& header, const JsonObject& claims);

// Splits and decodes a compact JWS. On failure returns nothing and sets *reason
// ("not three dot-separated parts", "header is not base64url", ...).
std::optional<DecodedJwt> decode_jwt(std::string_view token, std::string* reason);

} // namespace authemu
