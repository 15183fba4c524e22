#include "jose/jwt.h"

#include "base/base64.h"

namespace authemu {

std::string jws_signing_input(const JsonObject& header, const JsonObject& claims) {
  return base64url_encode(dump_json(Json(header))) + "." + base64url_encode(dump_json(Json(claims)));
}

namespace {

std::optional<JsonObject> decode_part(std::string_view part, const char* name, std::string* reason) {
  auto bytes = base64url_decode(part);
  if (!bytes) {
    *reason = std::string(name) + " is not base64url";
    return std::nullopt;
  }
  std::string error;
  auto value = parse_json(*bytes, &error);
  if (!value || !value->is<JsonObject>()) {
    *reason = std::string(name) + " is not a JSON object";
    return std::nullopt;
  }
  return value->get<JsonObject>();
}

} // namespace

std::optional<DecodedJwt> decode_jwt(std::string_view token, std::string* reason) {
  if (token.empty()) {
    *reason = "empty token";
    return std::nullopt;
  }
  if (token.size() > kMaxJwtLength) {
    *reason = "token longer than " + std::to_string(kMaxJwtLength) + " bytes";
    return std::nullopt;
  }
  size_t first = token.find('.');
  size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    *reason = "not a JWT: expected three dot-separated parts";
    return std::nullopt;
  }
  DecodedJwt jwt;
  auto header = decode_part(token.substr(0, first), "JWT header", reason);
  if (!header) return std::nullopt;
  auto claims = decode_part(token.substr(first + 1, second - first - 1), "JWT payload", reason);
  if (!claims) return std::nullopt;
  auto signature = base64url_decode(token.substr(second + 1));
  if (!signature) {
    *reason = "JWT signature is not base64url";
    return std::nullopt;
  }
  jwt.header = std::move(*header);
  jwt.claims = std::move(*claims);
  jwt.signing_input = std::string(token.substr(0, second));
  jwt.signature = std::move(*signature);
  return jwt;
}

} // namespace authemu
