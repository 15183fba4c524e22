#include "oauth/oauth_error.h"

namespace authemu {

// The one place that calls OAuthError's constructor.
struct OAuthErrorMaker {
  static OAuthError make(const char* code, const std::string& description, int status) {
    return OAuthError(code, description, status);
  }
  static OAuthError make(const std::string& code, const std::string& description, int status) {
    return OAuthError(code, description, status);
  }
  static OAuthError make(const char* code, const std::string& description, int status, JsonObject extra) {
    return OAuthError(code, description, status, std::move(extra));
  }
  static OAuthError nonce(const std::string& description, const std::string& nonce) {
    OAuthError e("use_dpop_nonce", description, 400);
    e.dpop_nonce_ = nonce;
    return e;
  }
};

namespace {

// RFC 6749 §5.2: error_description uses %x20-21 / %x23-5B / %x5D-7E only.
std::string safe_description(const std::string& s) {
  std::string out;
  for (char c : s)
    out += (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') ? c : '\'';
  return out;
}

OAuthError make(const char* code, const std::string& description, int status = 400) {
  return OAuthErrorMaker::make(code, description, status);
}

} // namespace

std::string OAuthError::body() const {
  JsonObject o = extra_;
  o["error"] = json_string(code_);
  std::string d = description();
  if (!d.empty()) o["error_description"] = json_string(safe_description(d));
  return dump_json(Json(o));
}

namespace oauth {
OAuthError invalid_request(const std::string& d) {
  return make("invalid_request", d);
}
OAuthError invalid_client(const std::string& d) {
  return make("invalid_client", d, 401);
}
OAuthError invalid_grant(const std::string& d) {
  return make("invalid_grant", d);
}
OAuthError unauthorized_client(const std::string& d) {
  return make("unauthorized_client", d);
}
OAuthError unsupported_grant_type(const std::string& d) {
  return make("unsupported_grant_type", d);
}
OAuthError invalid_scope(const std::string& d) {
  return make("invalid_scope", d);
}
OAuthError access_denied(const std::string& d) {
  return make("access_denied", d);
}
OAuthError unsupported_response_type(const std::string& d) {
  return make("unsupported_response_type", d);
}
OAuthError method_not_allowed(const std::string& d) {
  return make("invalid_request", d, 405);
}
OAuthError server_error(const std::string& d) {
  return make("server_error", d, 500);
}
OAuthError login_required(const std::string& d) {
  return make("login_required", d);
}
OAuthError request_not_supported(const std::string& d) {
  return make("request_not_supported", d);
}
OAuthError invalid_client_metadata(const std::string& d) {
  return make("invalid_client_metadata", d);
}
OAuthError invalid_redirect_uri(const std::string& d) {
  return make("invalid_redirect_uri", d);
}
OAuthError invalid_dpop_proof(const std::string& d) {
  return make("invalid_dpop_proof", d);
}
OAuthError use_dpop_nonce(const std::string& d, const std::string& nonce) {
  return OAuthErrorMaker::nonce(d, nonce);
}
OAuthError invalid_request_uri(const std::string& d) {
  return make("invalid_request_uri", d);
}
OAuthError invalid_target(const std::string& d) {
  return make("invalid_target", d);
}
OAuthError insufficient_scope(const std::string& d) {
  return make("insufficient_scope", d, 403);
}
OAuthError authorization_pending(const std::string& d) {
  return make("authorization_pending", d);
}
OAuthError slow_down(const std::string& d, int64_t interval) {
  JsonObject extra;
  extra["interval"] = json_int(interval);
  return OAuthErrorMaker::make("slow_down", d, 400, std::move(extra));
}
OAuthError expired_token(const std::string& d) {
  return make("expired_token", d);
}
OAuthError with_code(const std::string& code, const std::string& d, int status) {
  return OAuthErrorMaker::make(code, d, status);
}
} // namespace oauth

} // namespace authemu
