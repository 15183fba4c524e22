// The device flow through the App (RFC 8628): the device authorization endpoint's answer and
// refusals, every token endpoint answer on a fake clock, the verification page with the login page
// the admin API's approve, deny and list, and reset. The verification page: device_routes_test.
#include <catch2/catch.hpp>

#include <regex>

#include "device_support.h"

using namespace authemu;
using namespace authemu::test;

TEST_CASE("device_flow: the device authorization answer (RFC 8628 §3.2)") {
  Device d;
  JsonObject a = d.start();
  CHECK(find_string(a, "device_code")->size() == 43);
  std::string user_code = *find_string(a, "user_code");
  CHECK(std::regex_match(user_code, std::regex("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}")));
  CHECK(*find_string(a, "verification_uri") == std::string(kIssuer) + "/device");
  CHECK(*find_string(a, "verification_uri_complete") == std::string(kIssuer) + "/device?user_code=" + user_code);
  CHECK(a.at("expires_in").get<int64_t>() == 600);
  CHECK(a.at("interval").get<int64_t>() == 1);
  SECTION("a client's own lifetime and interval, and Basic authentication") {
    JsonObject c = TestApp::parse(d.authorize_device("scope=openid", basic("conf", "conf")).body);
    CHECK(c.at("expires_in").get<int64_t>() == 30);
    CHECK(c.at("interval").get<int64_t>() == 2);
  }
  SECTION("the answer is not cached, and the device_code is not the user code") {
    HttpResponse res = d.authorize_device("client_id=cli");
    CHECK(res.header("Cache-Control") == std::optional<std::string>("no-store"));
  }
}

TEST_CASE("device_flow: bad input at the device authorization endpoint") {
  Device d;
  struct Case {
    std::string form;
    Headers headers;
    int status;
    std::string error, description;
  };
  for (const auto& c : std::vector<Case>{
           {"scope=openid",
            {},
            401,
            "invalid_client",
            "client authentication required: HTTP Basic or client_id and client_secret"},
           {"client_id=nobody", {}, 401, "invalid_client", "unknown client"},
           {"client_id=conf", {}, 401, "invalid_client", "client_secret required for confidential client conf"},
           {"client_id=nodevice&client_secret=nodevice",
            {},
            400,
            "unauthorized_client",
            "client nodevice may not use the device_code grant"},
           {"client_id=cli&resource=not-a-uri",
            {},
            400,
            "invalid_target",
            "resource must be an absolute URI without a fragment"},
           {"client_id=cli&id_token_hint=abc",
            {},
            400,
            "invalid_request",
            "id_token_hint is not an ID token of this issuer: not a JWT: expected three dot-separated parts"},
           {"client_id=cli&scope=a&scope=b", {}, 400, "invalid_request", "parameter scope is repeated"},
           {"client_id=cli&prompt=" + std::string(3000, 'x'), {}, 400, "invalid_request", "prompt is too long"},
       }) {
    INFO(c.form.substr(0, 80));
    HttpResponse res = d.authorize_device(c.form, c.headers);
    CHECK(res.status == c.status);
    CHECK(error_of(res) == c.error);
    CHECK(description_of(res) == c.description);
  }
  HttpResponse json = d.authorize_device("{}", {{"Content-Type", "application/json"}});
  CHECK(json.status == 400);
  CHECK(description_of(json) == "Content-Type must be application/x-www-form-urlencoded");
  CHECK(d.send("GET", "/api/auth/device_authorization").status == 405);
}

TEST_CASE("device_flow: slow_down when early by both clocks, the interval 5 s longer once per interval") {
  Device d;
  JsonObject a = d.start();
  HttpResponse first = d.poll(a);
  CHECK(first.status == 400);
  CHECK(error_of(first) == "authorization_pending");
  HttpResponse early = d.poll(a);
  CHECK(error_of(early) == "slow_down");
  CHECK(description_of(early) == "polling too fast: wait 6 seconds between requests");
  CHECK(early.body == R"({"error":"slow_down","error_description":"polling too fast: wait 6 seconds between )"
                      R"(requests","interval":6})");
  CHECK(description_of(d.poll(a)) == "polling too fast: wait 6 seconds between requests"); // raised just now
  d.clock.advance(6);
  CHECK(error_of(d.poll(a)) == "authorization_pending");
  JsonObject listed = TestApp::parse(d.admin("GET", "/devices").body);
  CHECK(listed.at("devices").get<JsonArray>().at(0).get<JsonObject>().at("interval").get<int64_t>() == 6);
}

TEST_CASE("device_flow: every token endpoint answer (RFC 8628 §3.5)") {
  Device d;
  JsonObject a = d.start();
  SECTION("approved as a user: tokens as for the code grant, once") {
    HttpResponse ok = d.decide(a, "approve", R"({"user":"alice"})");
    INFO(ok.body);
    REQUIRE(ok.status == 200);
    CHECK(*find_string(TestApp::parse(ok.body), "decision") == "approved");
    HttpResponse t = d.poll(a);
    INFO(t.body);
    REQUIRE(t.status == 200);
    JsonObject body = TestApp::parse(t.body);
    CHECK(*find_string(body, "scope") == "openid offline_access ledger:read");
    JsonObject access = jwt_claims(*find_string(body, "access_token"));
    CHECK(*find_string(access, "sub") == "u-alice");
    CHECK(*find_string(access, "client_id") == "cli");
    JsonObject id = jwt_claims(*find_string(body, "id_token"));
    CHECK(*find_string(id, "sub") == "u-alice");
    CHECK(dump_json(id.at("aud")) == R"(["cli"])");
    CHECK(dump_json(id.at("amr")) == R"(["test"])");
    REQUIRE(find_string(body, "refresh_token")); // offline_access, and cli may refresh
    HttpResponse refreshed =
        d.token("grant_type=refresh_token&client_id=cli&refresh_token=" + *find_string(body, "refresh_token"));
    CHECK(refreshed.status == 200);
    d.clock.advance(1);
    HttpResponse again = d.poll(a);
    CHECK(error_of(again) == "invalid_grant");
    CHECK(description_of(again) == "device code already used");
  }
  SECTION("denied") {
    CHECK(d.decide(a, "deny").status == 200);
    HttpResponse t = d.poll(a);
    CHECK(error_of(t) == "access_denied");
    CHECK(description_of(t) == "the user denied the request");
  }
  SECTION("expired by the environment clock, just before and at expires_in") {
    d.clock.advance(599);
    CHECK(error_of(d.poll(a)) == "authorization_pending");
    d.clock.advance(1);
    HttpResponse t = d.poll(a);
    CHECK(error_of(t) == "expired_token");
    CHECK(d.decide(a, "approve", R"({"user":"alice"})").status == 404);
  }
  SECTION("another client, an unknown code, a missing code") {
    CHECK(d.decide(a, "approve", R"({"user":"bob"})").status == 200);
    HttpResponse other = d.poll(a, "client_id=conf&client_secret=conf");
    CHECK(error_of(other) == "invalid_grant");
    CHECK(description_of(other) == "device code was issued to another client");
    HttpResponse unknown = d.token(std::string(kGrant) + "&client_id=cli&device_code=nope");
    CHECK(description_of(unknown) == "device code unknown");
    HttpResponse missing = d.token(std::string(kGrant) + "&client_id=cli");
    CHECK(error_of(missing) == "invalid_request");
    CHECK(description_of(missing) == "device_code missing");
    CHECK(d.poll(a).status == 200); // the other client's tries changed nothing
  }
  SECTION("no refresh token without offline_access, nor for a client that may not refresh") {
    JsonObject b = d.start("client_id=cli&scope=openid");
    d.decide(b, "approve", R"({"user":"alice"})");
    CHECK_FALSE(find_string(TestApp::parse(d.poll(b).body), "refresh_token"));
    JsonObject c = d.start("client_id=norefresh&scope=openid+offline_access");
    d.decide(c, "approve", R"({"user":"alice"})");
    HttpResponse t = d.poll(c, "client_id=norefresh");
    REQUIRE(t.status == 200);
    CHECK_FALSE(find_string(TestApp::parse(t.body), "refresh_token"));
    CHECK(*find_string(TestApp::parse(t.body), "scope") == "openid offline_access");
  }
  SECTION("reset forgets device requests") {
    CHECK(d.admin("POST", "/reset", "{}").status == 200);
    CHECK(description_of(d.poll(a)) == "device code unknown");
  }
}

TEST_CASE("device_flow: the admin API lists, approves and denies by user code") {
  Device d;
  JsonObject a = d.start("client_id=cli&scope=openid&prompt=no-org");
  std::string code = *find_string(a, "user_code");
  JsonObject list = TestApp::parse(d.admin("GET", "/devices").body);
  REQUIRE(list.at("devices").get<JsonArray>().size() == 1);
  JsonObject row = list.at("devices").get<JsonArray>().at(0).get<JsonObject>();
  CHECK(*find_string(row, "user_code") == code);
  CHECK(*find_string(row, "client_id") == "cli");
  CHECK(*find_string(row, "prompt") == "no-org");
  std::string lower = code;
  for (auto& ch : lower)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  struct Case {
    std::string path, body;
    int status;
    std::string message;
  };
  for (const auto& c : std::vector<Case>{
           {"/devices/" + code + "/approve", "{}", 400, "user: required to approve (an id, username or email)"},
           {"/devices/" + code + "/approve", R"({"user":"carol"})", 400, "user: no user carol in default"},
           {"/devices/" + code + "/approve", R"({"users":"alice"})", 400, "users: unknown member"},
           {"/devices/ABCD-EFGH/approve", R"({"user":"alice"})", 400,
            "user_code: expected 8 letters of BCDFGHJKLMNPQRSTVWXZ, such as BCDF-GHJK"},
           {"/devices/BCDF-GHJK/approve", R"({"user":"alice"})", 404, "no device request with code BCDF-GHJK"},
       }) {
    INFO(c.path << " " << c.body);
    HttpResponse res = d.admin("POST", c.path, c.body);
    CHECK(res.status == c.status);
    CHECK(find_string(TestApp::parse(res.body), "errorMessage").value_or(res.body) == c.message);
  }
  // Case and dashes do not count.
  CHECK(d.admin("POST", "/devices/" + lower.substr(0, 4) + lower.substr(5) + "/approve", R"({"user":"bob"})").status ==
        200);
  HttpResponse twice = d.admin("POST", "/devices/" + code + "/deny", "{}");
  CHECK(twice.status == 409);
  CHECK(*find_string(TestApp::parse(twice.body), "errorMessage") == "device request " + code + " was already decided");
  CHECK(TestApp::parse(d.admin("GET", "/devices").body).at("devices").get<JsonArray>().empty());
  CHECK(*find_string(jwt_claims(*find_string(TestApp::parse(d.poll(a).body), "access_token")), "sub") == "u-bob");
}

TEST_CASE("device_flow: a client one step behind another poller gets its tokens (RFC 8628 §3.5)") {
  Device d(5);
  JsonObject a = d.start();
  // Two polls at once (another process polled the same code first): one slow_down, interval 10.
  CHECK(error_of(d.poll(a)) == "authorization_pending");
  HttpResponse twice = d.poll(a);
  CHECK(error_of(twice) == "slow_down");
  CHECK(TestApp::parse(twice.body).at("interval").get<int64_t>() == 10);
  // The client then polls every 5 s, adding 5 s for each slow_down as §3.5 says; approved once it
  // hears authorization_pending.
  int64_t interval = 5;
  int slow_downs = 0;
  std::optional<HttpResponse> tokens;
  for (int i = 0; i < 10 && !tokens; ++i) {
    d.clock.advance(interval);
    HttpResponse res = d.poll(a);
    if (res.status == 200) {
      tokens = res;
    } else if (error_of(res) == "slow_down") {
      ++slow_downs;
      interval += 5;
      CHECK(TestApp::parse(res.body).at("interval").get<int64_t>() == interval);
    } else {
      REQUIRE(error_of(res) == "authorization_pending");
      REQUIRE(d.decide(a, "approve", R"({"user":"alice"})").status == 200);
    }
  }
  CHECK(slow_downs == 1);
  CHECK(interval == 10);
  REQUIRE(tokens);
  CHECK(TestApp::parse(tokens->body).count("access_token") == 1);
}

TEST_CASE("device_flow: slow_down's interval stops at 60 s") {
  Device d(55);
  JsonObject a = d.start();
  CHECK(error_of(d.poll(a)) == "authorization_pending");
  HttpResponse first = d.poll(a);
  CHECK(TestApp::parse(first.body).at("interval").get<int64_t>() == 60);
  d.clock.advance(60);
  CHECK(error_of(d.poll(a)) == "authorization_pending");
  HttpResponse capped = d.poll(a); // a window later: it would be raised, but not past 60
  CHECK(error_of(capped) == "slow_down");
  CHECK(TestApp::parse(capped.body).at("interval").get<int64_t>() == 60);
  CHECK(description_of(capped) == "polling too fast: wait 60 seconds between requests");
}
