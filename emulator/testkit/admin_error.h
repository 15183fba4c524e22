// The admin API's one error type: an HTTP status and the Formance error body
// {"errorCode","errorMessage"}. Only the factories below make one (its constructor is private to
// admin_error.cpp); admin_error_response alone turns it into a response. Messages never contain
// secrets or tokens.
#pragma once
#include <stdexcept>
#include <string>

#include "base/http_types.h"

namespace authemu {

class AdminError : public std::runtime_error {
public:
  int status() const { return status_; }
  const std::string& code() const { return code_; } // Formance's errorCode: VALIDATION, NOT_FOUND, …
  std::string message() const { return what(); }

private:
  friend struct AdminErrorMaker; // admin_error.cpp
  AdminError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}

  int status_;
  std::string code_;
};

namespace admin_api {
AdminError validation(const std::string& message);             // 400 VALIDATION
AdminError unauthorized(const std::string& message);           // 401 UNAUTHORIZED
AdminError forbidden(const std::string& message);              // 403 FORBIDDEN
AdminError not_found(const std::string& message);              // 404 NOT_FOUND
AdminError method_not_allowed(const std::string& message);     // 405 METHOD_NOT_ALLOWED
AdminError conflict(const std::string& message);               // 409 CONFLICT
AdminError unsupported_media_type(const std::string& message); // 415 UNSUPPORTED_MEDIA_TYPE
AdminError unavailable(const std::string& message);            // 503 SERVICE_UNAVAILABLE
} // namespace admin_api

// The Formance error body {"errorCode","errorMessage"} with e's status, Cache-Control: no-store.
HttpResponse admin_error_response(const AdminError& e);

} // namespace authemu
