#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <string>

#include "testkit/fault_queue.h"
#include "fault_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {
JsonObject body(const std::string& json) {
  std::string error;
  return parse_json(json, &error)->get<JsonObject>();
}
} // namespace

TEST_CASE("fault_queue: a fault read from the admin API's JSON") {
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
                        "end_session, par, device_authorization, device, register)"},
          Case{R"({"endpoint":""})", "endpoint: expected a non-empty string"},
          Case{R"({"endpoint":"devices","status":500})",
               "endpoint: unknown endpoint devices (token, introspect, revoke, userinfo, jwks, discovery, authorize, "
               "login, end_session, par, device_authorization, device, register)"},
          Case{R"({"endpoint":"token","client_id":7,"status":500})", "client_id: expected a non-empty string"},
          Case{R"({"endpoint":"token","count":1001,"status":500})", "count: expected a whole number from 1 to 1000"},
          Case{R"({"endpoint":"token","error":"Bad"})",
               "error: unknown OAuth error code Bad ("
               "invalid_request, invalid_client, invalid_grant, unauthorized_client, unsupported_grant_type, "
               "invalid_scope, access_denied, unsupported_response_type, server_error, temporarily_unavailable, "
               "invalid_token, insufficient_scope, unsupported_token_type, invalid_target, interaction_required, "
               "login_required, account_selection_required, consent_required, invalid_request_uri, "
               "invalid_request_object, request_not_supported, request_uri_not_supported, registration_not_supported, "
               "authorization_pending, slow_down, expired_token, invalid_dpop_proof, use_dpop_nonce)"},
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

TEST_CASE("fault_queue: matching by environment, endpoint, client and grant; counted down; cleared") {
  FakeMonotonicClock clock(5000000);
  FaultQueue q(clock);
  Fault f;
  f.endpoint = "token";
  f.client_id = "testing";
  f.remaining = 2;
  f.error = "invalid_grant";
  f.status = 400;
  auto id = q.add(f);
  REQUIRE(id == "f1");

  CHECK_FALSE(q.take("", "introspect", "testing", ""));
  CHECK_FALSE(q.take("", "token", "other", "client_credentials"));
  CHECK_FALSE(q.take("sandbox", "token", "testing", "client_credentials"));
  auto first = q.take("", "token", "testing", "client_credentials");
  REQUIRE(first);
  CHECK(first->id == "f1");
  CHECK(first->error == "invalid_grant");
  CHECK(q.list().front().remaining == 1);
  CHECK(q.take("", "token", "testing", "password"));
  CHECK(q.list().empty());
  CHECK_FALSE(q.take("", "token", "testing", "password"));

  Fault g;
  g.endpoint = "token";
  g.grant_type = "refresh_token";
  g.status = 503;
  q.add(g);
  CHECK_FALSE(q.take("", "token", "anyone", "password"));
  CHECK(q.take("", "token", "anyone", "refresh_token"));

  Fault h;
  h.endpoint = "jwks";
  h.environment = "sandbox";
  h.delay_ms = 10;
  auto hid = q.add(h);
  q.add(g);
  q.clear(std::string("sandbox"));
  REQUIRE(q.list().size() == 1);
  CHECK_FALSE(q.remove(*hid));
  CHECK(q.remove(q.list().front().id));

  // A delay ends early once the queue is told to stop waiting (a stopping server). The stop is sent
  // only once the waiter waits inside wait(), so the test never passes by stopping before it; on
  // the fake clock the delay cannot end by itself.
  auto waiter = std::async(std::launch::async, [&] { q.wait(kMaxFaultDelayMs); });
  ReleaseWaiters release{q, clock};
  REQUIRE(q.wait_for_delay_check(std::chrono::seconds(10)));
  CHECK(waiter.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout); // still waiting
  q.stop_waiting();
  REQUIRE(waiter.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  q.wait(kMaxFaultDelayMs); // and returns at once from then on

  for (size_t i = 0; i < kMaxQueuedFaults; ++i)
    REQUIRE(q.add(g));
  CHECK_FALSE(q.add(g));
}

TEST_CASE("fault_queue: a delay lasts its milliseconds by the queue's clock, up to the last one") {
  FakeMonotonicClock clock(5000000);
  FaultQueue q(clock);
  q.wait(0); // no delay: returns at once
  auto waiter = std::async(std::launch::async, [&] { q.wait(50); });
  ReleaseWaiters release{q, clock};
  REQUIRE(q.wait_for_delay_check(std::chrono::seconds(10))); // waiting
  clock.advance_ms(49);
  REQUIRE(q.wait_for_delay_check(std::chrono::seconds(10))); // it saw the 49 ms and waits on
  CHECK(waiter.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout);
  clock.advance_ms(1);
  REQUIRE(waiter.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK_FALSE(q.wait_for_delay_check(std::chrono::milliseconds(0))); // nobody waits now
}
