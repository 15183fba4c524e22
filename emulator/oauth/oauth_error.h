// The one error type of the OAuth endpoints (RFC 6749 §5.2), built only by the factories below,
// turned into a response by the HTTP layer (http/app) alone. Descriptions never contain secrets or
// tokens.
#pragma once
#include <stdexcept>
#include <string>

#include "base/json.h"

namespace authemu {

class OAuthError : public std::runtime_error {
public:
  OAuthError(std::string code, std::string description, int status)
      : std::runtime_error(description), code_(std::move(code)), status_(status) {}

  const std::string& code() const { return code_; }
  std::string description() const { return what(); }
  int status() const { return status_; }
  // RFC 6749 §5.2 body: {"error":…,"error_description":…}.
  std::string body() const;

private:
  std::string code_;
  int status_;
};

namespace oauth {
OAuthError invalid_request(const std::string& description);
// 401; the response carries WWW-Authenticate (RFC 6749 §5.2).
OAuthError invalid_client(const std::string& description);
OAuthError invalid_grant(const std::string& description);
OAuthError unauthorized_client(const std::string& description);
OAuthError unsupported_grant_type(const std::string& description);
OAuthError invalid_scope(const std::string& description);
OAuthError method_not_allowed(const std::string& description); // invalid_request with 405
OAuthError server_error(const std::string& description);
} // namespace oauth

} // namespace authemu
