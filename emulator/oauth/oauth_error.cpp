#include "oauth/oauth_error.h"

namespace authemu {

namespace {

// RFC 6749 §5.2: error_description uses %x20-21 / %x23-5B / %x5D-7E only.
std::string safe_description(const std::string& s) {
  std::string out;
  for (char c : s)
    out += (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') ? c : '\'';
  return out;
}

} // namespace

std::string OAuthError::body() const {
  JsonObject o;
  o["error"] = json_string(code_);
  std::string d = description();
  if (!d.empty()) o["error_description"] = json_string(safe_description(d));
  return dump_json(Json(o));
}

namespace oauth {
OAuthError invalid_request(const std::string& d) {
  return OAuthError("invalid_request", d, 400);
}
OAuthError invalid_client(const std::string& d) {
  return OAuthError("invalid_client", d, 401);
}
OAuthError invalid_grant(const std::string& d) {
  return OAuthError("invalid_grant", d, 400);
}
OAuthError unauthorized_client(const std::string& d) {
  return OAuthError("unauthorized_client", d, 400);
}
OAuthError unsupported_grant_type(const std::string& d) {
  return OAuthError("unsupported_grant_type", d, 400);
}
OAuthError invalid_scope(const std::string& d) {
  return OAuthError("invalid_scope", d, 400);
}
OAuthError method_not_allowed(const std::string& d) {
  return OAuthError("invalid_request", d, 405);
}
OAuthError server_error(const std::string& d) {
  return OAuthError("server_error", d, 500);
}
} // namespace oauth

} // namespace authemu
