#include <catch2/catch.hpp>

#include "testkit/fault_queue.h"

using namespace authemu;

namespace {
JsonObject body(const std::string& json) {
  std::string error;
  return parse_json(json, &error)->get<JsonObject>();
}
} // namespace

TEST_CASE("fault queue: a fault read from the admin API's JSON") {
  SECTION("every member") {
    Fault f =
        parse_fault(body(R"({"endpoint":"token","client_id":"c","grant_type":"password","count":3,)"
                         R"("error":"invalid_grant","error_description":"try again","status":429,"delay":"1s500ms"})"));
    CHECK(f.endpoint == "token");
    CHECK(f.client_id == "c");
    CHECK(f.grant_type == "password");
    CHECK(f.remaining == 3);
    CHECK(f.error == "invalid_grant");
    CHECK(f.description == "try again");
    CHECK(f.status == 429);
    CHECK(f.delay_ms == 1500);
    CHECK(f.environment.empty()); // the caller's to set
  }
  SECTION("defaults: once, and the RFC 6749 §5.2 status of the error") {
    for (auto [error, status] : std::initializer_list<std::pair<const char*, int>>{{"invalid_client", 401},
                                                                                   {"server_error", 500},
                                                                                   {"temporarily_unavailable", 503},
                                                                                   {"insufficient_scope", 403},
                                                                                   {"invalid_token", 401},
                                                                                   {"invalid_grant", 400}}) {
      Fault f = parse_fault(body(std::string(R"({"endpoint":"introspect","error":")") + error + "\"}"));
      CHECK(f.remaining == 1);
      CHECK(f.status == status);
      CHECK_FALSE(f.client_id);
    }
    CHECK(parse_fault(body(R"({"endpoint":"jwks","delay":250})")).delay_ms == 250);
  }
  SECTION("the exact error texts") {
    struct Case {
      const char* json;
      const char* message;
    };
    for (const Case& c :
         {Case{R"({})", "endpoint: required (token, introspect, revoke, userinfo, jwks, discovery, authorize, login, "
                        "end_session, par, device_authorization, device)"},
          Case{R"({"endpoint":""})", "endpoint: expected a non-empty string"},
          Case{R"({"endpoint":"devices","status":500})",
               "endpoint: unknown endpoint devices (token, introspect, revoke, userinfo, jwks, discovery, authorize, "
               "login, end_session, par, device_authorization, device)"},
          Case{R"({"endpoint":"token","client_id":7,"status":500})", "client_id: expected a non-empty string"},
          Case{R"({"endpoint":"token","count":1001,"status":500})", "count: expected a whole number from 1 to 1000"},
          Case{R"({"endpoint":"token","error":"Bad"})",
               "error: unknown OAuth error code Bad ("
               "invalid_request, invalid_client, invalid_grant, unauthorized_client, unsupported_grant_type, "
               "invalid_scope, access_denied, unsupported_response_type, server_error, temporarily_unavailable, "
               "invalid_token, insufficient_scope, unsupported_token_type, invalid_target, interaction_required, "
               "login_required, account_selection_required, consent_required, invalid_request_uri, "
               "invalid_request_object, request_not_supported, request_uri_not_supported, registration_not_supported, "
               "authorization_pending, slow_down, expired_token)"},
          Case{R"({"endpoint":"token","error_description":"x","status":500})", "error_description: needs error"},
          Case{R"({"endpoint":"token","error":"invalid_grant","error_description":"a\\b"})",
               "error_description: no quotes, backslashes or control characters (RFC 6749 §5.2)"},
          Case{R"({"endpoint":"token","status":600})", "status: expected an HTTP error status from 400 to 599"},
          Case{R"({"endpoint":"token","delay":"61s"})",
               "delay: expected milliseconds or a duration such as 250ms, 2s (at most 60s)"},
          Case{R"({"endpoint":"token","delay":0})", "body: give error, status or delay"}}) {
      INFO(c.json);
      CHECK_THROWS_MATCHES(parse_fault(body(c.json)), AdminError, Catch::Message(c.message));
    }
    try {
      parse_fault(body("{}"));
      FAIL("parse_fault accepted {}");
    } catch (const AdminError& e) { // the admin API's 400 VALIDATION, as the caller sends it
      CHECK(e.status() == 400);
      CHECK(e.code() == "VALIDATION");
    }
  }
}
