// The admin API's error type: a std::runtime_error made by factories, and its Formance body.
#include <catch2/catch.hpp>

#include "testkit/admin_error.h"

using namespace authemu;

TEST_CASE("admin_error: each factory's status and errorCode; a std::runtime_error with the message") {
  struct Case {
    AdminError error;
    int status;
    const char* code;
  };
  for (const Case& c :
       {Case{admin_api::validation("m"), 400, "VALIDATION"}, Case{admin_api::unauthorized("m"), 401, "UNAUTHORIZED"},
        Case{admin_api::forbidden("m"), 403, "FORBIDDEN"}, Case{admin_api::not_found("m"), 404, "NOT_FOUND"},
        Case{admin_api::method_not_allowed("m"), 405, "METHOD_NOT_ALLOWED"},
        Case{admin_api::conflict("m"), 409, "CONFLICT"},
        Case{admin_api::unsupported_media_type("m"), 415, "UNSUPPORTED_MEDIA_TYPE"}}) {
    INFO(c.code);
    CHECK(c.error.status() == c.status);
    CHECK(c.error.code() == c.code);
    CHECK(c.error.message() == "m");
    const std::runtime_error& base = c.error;
    CHECK(std::string(base.what()) == "m");
  }
}

TEST_CASE("admin_error: the Formance body {\"errorCode\",\"errorMessage\"}, not stored") {
  HttpResponse res = admin_error_response(admin_api::conflict("key \"k\" is already in the key store"));
  CHECK(res.status == 409);
  CHECK(res.body == R"({"errorCode":"CONFLICT","errorMessage":"key \"k\" is already in the key store"})");
  CHECK(res.header("Cache-Control") == "no-store");
  CHECK(res.header("Content-Type") == "application/json");
}
