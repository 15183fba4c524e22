// Base64 (RFC 4648 §4) and base64url without padding (§5, as JWS requires, RFC 7515 §2).
// Decoders are strict: any character outside the alphabet, or bad padding, is a failure.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace authemu {

std::string base64_encode(std::string_view data);
std::string base64url_encode(std::string_view data);

std::optional<std::string> base64_decode(std::string_view text);    // padding required
std::optional<std::string> base64url_decode(std::string_view text); // no padding allowed

} // namespace authemu
