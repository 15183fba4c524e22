#include "testkit/admin_error.h"

#include "stack/management.h"

namespace authemu {

struct AdminErrorMaker {
  static AdminError make(int status, const char* code, const std::string& message) {
    return AdminError(status, code, message);
  }
};

namespace admin_api {

AdminError validation(const std::string& message) {
  return AdminErrorMaker::make(400, "VALIDATION", message);
}

AdminError unauthorized(const std::string& message) {
  return AdminErrorMaker::make(401, "UNAUTHORIZED", message);
}

AdminError forbidden(const std::string& message) {
  return AdminErrorMaker::make(403, "FORBIDDEN", message);
}

AdminError not_found(const std::string& message) {
  return AdminErrorMaker::make(404, "NOT_FOUND", message);
}

AdminError method_not_allowed(const std::string& message) {
  return AdminErrorMaker::make(405, "METHOD_NOT_ALLOWED", message);
}

AdminError conflict(const std::string& message) {
  return AdminErrorMaker::make(409, "CONFLICT", message);
}

AdminError unavailable(const std::string& message) {
  return AdminErrorMaker::make(503, "SERVICE_UNAVAILABLE", message);
}

AdminError unsupported_media_type(const std::string& message) {
  return AdminErrorMaker::make(415, "UNSUPPORTED_MEDIA_TYPE", message);
}

} // namespace admin_api

HttpResponse admin_error_response(const AdminError& e) {
  HttpResponse res;
  res.json(e.status(), management_error(e.code(), e.message()));
  res.set_header("Cache-Control", "no-store");
  return res;
}

} // namespace authemu
