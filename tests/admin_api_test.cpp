// The admin API (/_authemu) through App::handle: clock, reset, mint, faults, journal, client
// certificates, its guard.
#include <catch2/catch.hpp>

#include "cli/startup.h"
#include "test_support.h"
#include "tls_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

constexpr char kCredentials[] = "grant_type=client_credentials&client_id=testing&client_secret=testing";

HttpResponse admin(TestApp& t, const std::string& method, const std::string& path, const std::string& body = "",
                   Headers headers = {}) {
  return t.request(method, std::string("/_authemu") + path, body, std::move(headers));
}

// The stand-in ledger API: 200 for a live token, else the RFC 6750 description.
std::string ledger(TestApp& t, const std::string& token) {
  HttpResponse res = t.request("GET", "/api/ledger/v2", "", bearer(token));
  if (res.status == 200) return "ok";
  return find_string(TestApp::parse(res.body), "error_description").value_or(res.body);
}

// The body of a successful POST /_authemu/mint.
JsonObject minted(TestApp& t, const std::string& body) {
  HttpResponse res = admin(t, "POST", "/mint", body);
  INFO(res.body);
  REQUIRE(res.status == 200);
  return TestApp::parse(res.body);
}

// The first clock of a GET/POST/DELETE /_authemu/clock answer: {"environments":[…]}.
JsonObject first_clock(const std::string& body) {
  return TestApp::parse(body).at("environments").get<JsonArray>().at(0).get<JsonObject>();
}

std::string error_message(const HttpResponse& res) {
  return find_string(TestApp::parse(res.body), "errorMessage").value_or(res.body);
}

// The access token of a POST /_authemu/mint answer.
std::string token_of(const JsonObject& minted) {
  return *find_string(minted, "access_token");
}

// The access token minted by a successful POST /_authemu/mint.
std::string minted_token(TestApp& t, const std::string& body) {
  return token_of(minted(t, body));
}

// Fault f1 queued for the next two token requests of client testing and used up by them, so that
// the next fault is f2 and the fault list is empty.
void use_up_fault_f1(TestApp& t) {
  REQUIRE(admin(t, "POST", "/faults", R"({"endpoint":"token","client_id":"testing","count":2,"status":503})").status ==
          201);
  for (int i = 0; i < 2; ++i)
    REQUIRE(t.token(kCredentials).status == 503);
  REQUIRE(admin(t, "GET", "/faults").body == R"({"faults":[]})");
}

// The kids of a rotation with a 10 minute grace, and a token signed by the new key, after the
// admin clock has moved past the grace: the previous key has left the store.
struct Rotated {
  std::string old_kid;
  std::string new_kid;
  std::string after;
};

Rotated rotate_past_grace(TestApp& t) {
  Rotated r;
  r.old_kid = t.app->keys().active().kid();
  HttpResponse res = admin(t, "POST", "/keys/rotate", R"({"grace":"10m"})");
  REQUIRE(res.status == 200);
  r.new_kid = *find_string(TestApp::parse(res.body), "kid");
  r.after = t.access_token();
  REQUIRE(admin(t, "POST", "/clock", R"({"advance":600})").status == 200);
  REQUIRE(TestApp::parse(admin(t, "GET", "/keys").body).at("keys").get<JsonArray>().size() == 1);
  return r;
}

} // namespace

TEST_CASE("admin: advancing the clock expires tokens without waiting") {
  TestApp t;
  std::string token = t.access_token();
  CHECK(ledger(t, token) == "ok");

  HttpResponse res = admin(t, "POST", "/clock", R"({"advance":"1h"})");
  REQUIRE(res.status == 200);
  // Without an environment: all of them, each listed.
  JsonObject c = TestApp::parse(res.body).at("environments").get<JsonArray>().at(0).get<JsonObject>();
  CHECK(find_string(c, "environment") == "default");
  CHECK(find_int(c, "offset") == 3600);
  CHECK(find_int(c, "now") == kStart + 3600);
  CHECK(find_string(c, "time") == "2023-11-14T23:13:20Z");
  CHECK(ledger(t, token) == "JWT expired"); // exp = iat + 3600: expired on the dot

  SECTION("new tokens are stamped with the moved clock") {
    JsonObject claims = jwt_claims(t.access_token());
    CHECK(find_int(claims, "iat") == kStart + 3600);
    CHECK(find_int(claims, "exp") == kStart + 7200);
  }
  SECTION("going back makes it live again; DELETE returns to the server's clock") {
    REQUIRE(admin(t, "POST", "/clock", R"({"advance":-1})").status == 200);
    CHECK(ledger(t, token) == "ok");
    REQUIRE(admin(t, "DELETE", "/clock").status == 200);
    CHECK(find_int(first_clock(admin(t, "GET", "/clock?environment=default").body), "offset") == 0);
  }
  SECTION("refresh tokens expire by the same clock") {
    REQUIRE(admin(t, "DELETE", "/clock").status == 200);
    HttpResponse pw = t.token("grant_type=password&username=alice&password=alice", basic("ftl", "ftl"));
    REQUIRE(pw.status == 200);
    std::string refresh = *find_string(TestApp::parse(pw.body), "refresh_token");
    REQUIRE(admin(t, "POST", "/clock", R"({"advance":"10m"})").status == 200); // ftl: refresh lifetime 10m
    HttpResponse r = t.token("grant_type=refresh_token&refresh_token=" + refresh, basic("ftl", "ftl"));
    CHECK(r.status == 400);
    CHECK(find_string(TestApp::parse(r.body), "error") == "invalid_grant");
  }
}

TEST_CASE("admin: set and freeze the clock") {
  TestApp t;
  HttpResponse res =
      admin(t, "POST", "/clock", R"({"set":"2030-01-01T00:00:00Z","freeze":true,"environment":"default"})");
  REQUIRE(res.status == 200);
  JsonObject c = first_clock(res.body); // one environment named: the same list, of one
  CHECK(TestApp::parse(res.body).at("environments").get<JsonArray>().size() == 1);
  CHECK(find_int(c, "now") == 1893456000);
  CHECK(c.at("frozen").get<bool>());
  t.clock.advance(100); // the server's clock moves; a frozen environment's does not
  CHECK(find_int(jwt_claims(t.access_token()), "iat") == 1893456000);
  REQUIRE(admin(t, "POST", "/clock", R"({"freeze":false})").status == 200);
  t.clock.advance(5);
  CHECK(find_int(jwt_claims(t.access_token()), "iat") == 1893456005);
  REQUIRE(admin(t, "POST", "/clock", R"({"set":1700000000})").status == 200);
  CHECK(find_int(jwt_claims(t.access_token()), "iat") == 1700000000);
}

TEST_CASE("admin: a configured start time is where the clocks start and where reset returns") {
  AppSettings s;
  s.clock_start = 1893456000;
  s.clock_frozen = true;
  TestApp t(s);
  CHECK(find_int(jwt_claims(t.access_token()), "iat") == 1893456000);
  t.clock.advance(30);
  REQUIRE(admin(t, "POST", "/clock", R"({"advance":"1h"})").status == 200);
  CHECK(find_int(jwt_claims(t.access_token()), "iat") == 1893459600);
  REQUIRE(admin(t, "POST", "/reset").status == 200);
  CHECK(find_int(jwt_claims(t.access_token()), "iat") == 1893456000);
  REQUIRE(admin(t, "DELETE", "/clock").status == 200);
  CHECK(find_int(jwt_claims(t.access_token()), "iat") == 1893456000);
}

TEST_CASE("admin: bad clock requests are refused with the reason and change nothing") {
  TestApp t;
  struct Case {
    const char* body;
    const char* message;
  };
  for (const Case& c :
       {Case{R"({"advance":"soon"})",
             "advance: expected whole seconds or a duration such as 90s, 1h, -5m (at most ten years)"},
        Case{R"({"advance":1,"set":2})", "advance and set: give one of them"},
        Case{R"({})", "body: give advance, set or freeze"}, Case{R"({"sett":1})", "sett: unknown member"},
        Case{R"({"set":"tomorrow"})", "set: expected Unix seconds or UTC time such as 2030-01-01T00:00:00Z"},
        Case{R"({"freeze":"yes"})", "freeze: expected true or false"}, Case{R"([1])", "body: expected a JSON object"},
        Case{R"({"advance":)", "body: syntax error at line 1 near: "}}) {
    INFO(c.body);
    HttpResponse res = admin(t, "POST", "/clock", c.body);
    CHECK(res.status == 400);
    CHECK(find_string(TestApp::parse(res.body), "errorCode") == "VALIDATION");
    CHECK_THAT(error_message(res), Catch::StartsWith(c.message));
  }
  CHECK(admin(t, "GET", "/clock").body.find("\"offset\":0") != std::string::npos);
  HttpResponse unknown = admin(t, "POST", "/clock", R"({"advance":1,"environment":"nowhere"})");
  CHECK(unknown.status == 404);
  CHECK(error_message(unknown) == "no environment nowhere");
  HttpResponse method = admin(t, "PUT", "/clock", "{}");
  CHECK(method.status == 405);
  CHECK(method.header("Allow") == "GET, POST, DELETE");
  CHECK(admin(t, "GET", "/nothing").status == 404);
}

TEST_CASE("admin: reset returns to the fixture state") {
  TestApp t;
  std::string admin_token = t.access_token("grant_type=client_credentials&client_id=admin&client_secret=admin");
  REQUIRE(t.request("POST", "/api/auth/clients", R"({"id":"dyn","name":"dynamic"})", bearer(admin_token)).status ==
          201);
  HttpResponse pw = t.token("grant_type=password&username=alice&password=alice", basic("ftl", "ftl"));
  std::string refresh = *find_string(TestApp::parse(pw.body), "refresh_token");
  std::string revoked = t.access_token();
  REQUIRE(t.request("POST", "/api/auth/oauth/revoke", "token=" + revoked, basic("testing", "testing")).status == 200);
  REQUIRE(ledger(t, revoked) == "JWT revoked");
  REQUIRE(admin(t, "POST", "/clock", R"({"advance":"1m"})").status == 200);
  REQUIRE(admin(t, "POST", "/faults", R"({"endpoint":"token","status":503})").status == 201);

  HttpResponse res = admin(t, "POST", "/reset");
  REQUIRE(res.status == 200);
  CHECK(res.body == R"({"reset":["default"]})");
  admin_token = t.access_token("grant_type=client_credentials&client_id=admin&client_secret=admin"); // no fault left
  CHECK(t.request("GET", "/api/auth/clients/dyn", "", bearer(admin_token)).status == 404);
  CHECK(find_int(first_clock(admin(t, "GET", "/clock?environment=default").body), "offset") == 0);
  CHECK(admin(t, "GET", "/faults").body == R"({"faults":[]})");
  JsonObject journal = TestApp::parse(admin(t, "GET", "/journal").body);
  CHECK(journal.at("entries").get<JsonArray>().size() == 1); // the token request after the reset
  HttpResponse r = t.token("grant_type=refresh_token&refresh_token=" + refresh, basic("ftl", "ftl"));
  CHECK(find_string(TestApp::parse(r.body), "error") == "invalid_grant");
  // As after a restart with the same key: a JWT verifies on its own, and nothing is revoked.
  CHECK(ledger(t, revoked) == "ok");
  CHECK(error_message(admin(t, "POST", "/reset", R"({"environment":"sandbox"})")) == "no environment sandbox");
  CHECK(admin(t, "POST", "/reset", R"({"environment":"default"})").status == 200);
}

TEST_CASE("admin: a minted token without a case is valid, from this server's issuer and active key") {
  TestApp t;
  JsonObject valid = minted(t, "{}");
  CHECK(ledger(t, token_of(valid)) == "ok");
  JsonObject claims = jwt_claims(token_of(valid));
  CHECK(find_string(claims, "iss") == kIssuer);
  CHECK(find_string(claims, "client_id") == "testing");
  CHECK(find_string(claims, "sub") == "testing");
  CHECK(find_int(claims, "exp") == kStart + 3600);
  CHECK(find_int(valid, "expires_in") == 3600);
  CHECK(find_string(jwt_header(token_of(valid)), "kid") == t.app->keys().active().kid());
  CHECK(dump_json(valid.at("claims")) == dump_json(Json(claims)));
}

TEST_CASE("admin: each minted broken case is refused by a resource server with its reason") {
  TestApp t;
  CHECK(ledger(t, minted_token(t, R"({"case":"expired"})")) == "JWT expired");
  CHECK(ledger(t, minted_token(t, R"({"case":"not_yet_valid"})")) == "JWT not valid yet (nbf)");
  CHECK(ledger(t, minted_token(t, R"({"case":"wrong_issuer"})")) ==
        "JWT issuer https://wrong-issuer.authemu.invalid is not trusted here");
  CHECK(ledger(t, minted_token(t, R"({"case":"foreign_key"})")) == "JWT kid is not a key of this server");
  CHECK(ledger(t, minted_token(t, R"({"case":"bad_signature"})")) == "JWT signature is invalid");
  std::string none = minted_token(t, R"({"case":"alg_none"})");
  CHECK(none.back() == '.');
  CHECK(find_string(jwt_header(none), "alg") == "none");
  CHECK_THAT(ledger(t, none), Catch::Contains("alg none"));
  std::string aud = minted_token(t, R"({"case":"wrong_audience"})");
  CHECK(dump_json(jwt_claims(aud).at("aud")) == R"(["https://wrong-audience.authemu.invalid"])");
}

TEST_CASE("admin: a minted foreign key under a known kid fails on the signature") {
  TestApp t;
  std::string kid = t.app->keys().active().kid();
  CHECK(ledger(t, minted_token(t, R"({"case":"foreign_key","header":{"kid":")" + kid + R"("}})")) ==
        "JWT signature is invalid");
}

TEST_CASE("admin: a minted not_yet_valid token is valid from nbf for the usual lifetime, exp after nbf") {
  TestApp t;
  JsonObject later = minted(t, R"({"case":"not_yet_valid"})");
  JsonObject c = jwt_claims(token_of(later));
  CHECK(find_int(c, "nbf") == kStart + 3600);
  CHECK(find_int(c, "exp") == kStart + 3600 + 3600);
  CHECK(find_int(later, "expires_in") == 7200);
  t.clock.advance(3599);
  CHECK(ledger(t, token_of(later)) == "JWT not valid yet (nbf)");
  t.clock.advance(1);
  CHECK(ledger(t, token_of(later)) == "ok");
}

TEST_CASE("admin: a minted user's token lives the user-token lifetime unless expires_in is given") {
  TestApp t;
  JsonObject user = minted(t, R"({"user":"alice"})");
  CHECK(find_int(user, "expires_in") == 300);
  CHECK(find_int(jwt_claims(token_of(user)), "exp") == kStart + 300);
  CHECK(find_int(minted(t, R"({"user":"alice","expires_in":"1h"})"), "expires_in") == 3600);
}

TEST_CASE("admin: mint takes claims, header, lifetimes and a user") {
  TestApp t;
  JsonObject m = minted(t, R"({"user":"alice","scope":"ledger:read","aud":"svc","expires_in":"-5m","not_before":0,)"
                           R"("claims":{"tenant":"acme","nbf":null},"header":{"typ":"JWT","x-test":1}})");
  JsonObject c = jwt_claims(token_of(m));
  CHECK(find_string(c, "sub") == "u-alice");
  CHECK(find_string(c, "email") == "alice@example.com");
  CHECK(dump_json(c.at("group")) == R"(["ftl-admin","ftl"])");
  CHECK(find_string(c, "scope") == "ledger:read");
  CHECK(dump_json(c.at("aud")) == R"(["svc"])");
  CHECK(find_string(c, "tenant") == "acme");
  CHECK(c.count("nbf") == 0);
  CHECK(find_int(c, "exp") == kStart - 300);
  CHECK(find_int(c, "iat") == kStart - 300 - 300); // issued one user-token lifetime before it expired
  CHECK(find_int(m, "expires_in") == -300);
  JsonObject h = jwt_header(token_of(m));
  CHECK(find_string(h, "typ") == "JWT");
  CHECK(find_int(h, "x-test") == 1);
  CHECK(ledger(t, token_of(m)) == "JWT expired");
}

TEST_CASE("admin: the admin clock moves minted tokens too") {
  TestApp t;
  std::string token = minted_token(t, R"({"expires_in":60})");
  REQUIRE(admin(t, "POST", "/clock", R"({"advance":59})").status == 200);
  CHECK(ledger(t, token) == "ok");
  REQUIRE(admin(t, "POST", "/clock", R"({"advance":1})").status == 200);
  CHECK(ledger(t, token) == "JWT expired");
}

TEST_CASE("admin: bad mint requests are refused with the reason") {
  TestApp t;
  struct Case {
    const char* body;
    const char* message;
  };
  for (const Case& c :
       {Case{R"({"case":"weird"})", "case: unknown case weird (valid, expired, not_yet_valid, wrong_audience, "
                                    "wrong_issuer, foreign_key, alg_none, bad_signature; with \"token\": "
                                    "\"id_token\" also wrong_nonce, wrong_at_hash)"},
        Case{R"({"claim":{}})", "claim: unknown member"}, Case{R"({"claims":[]})", "claims: expected an object"},
        Case{R"({"aud":[1]})", "aud: expected a string or a list of strings"},
        Case{R"({"expires_in":"later"})",
             "expires_in: expected whole seconds or a duration such as 90s, 1h, -5m (at most ten years)"},
        Case{R"({"expires_in":999999999999})",
             "expires_in: expected whole seconds or a duration such as 90s, 1h, -5m (at most ten years)"},
        Case{R"({"user":"nobody"})", "user: no user nobody in this environment"},
        Case{R"({"signature":"maybe"})", "signature: expected valid, tampered, none or foreign"},
        Case{R"({"sub":5})", "sub: expected a string"}}) {
    INFO(c.body);
    HttpResponse res = admin(t, "POST", "/mint", c.body);
    CHECK(res.status == 400);
    CHECK(error_message(res) == c.message);
  }
  CHECK(admin(t, "GET", "/mint").status == 405);
  HttpResponse big = admin(t, "POST", "/mint", R"({"claims":{"blob":")" + std::string(20000, 'x') + R"("}})");
  CHECK(big.status == 400);
  CHECK(error_message(big) == "the token would be longer than 16 KiB");
  HttpResponse deep = admin(t, "POST", "/mint", std::string(40, '[') + std::string(40, ']'));
  CHECK(deep.status == 400);
  CHECK(error_message(deep) == "body: nesting deeper than 32 levels");
  HttpResponse huge = t.app->transport_error("/_authemu/mint", 413);
  CHECK(huge.body == R"({"errorCode":"VALIDATION","errorMessage":"request body too large"})");
}

TEST_CASE("admin: faults answer the next requests of an endpoint, then leave") {
  TestApp t;
  HttpResponse q = admin(
      t, "POST", "/faults",
      R"({"endpoint":"token","client_id":"testing","count":2,"error":"temporarily_unavailable","error_description":"maintenance"})");
  REQUIRE(q.status == 201);
  CHECK(q.body ==
        R"({"client_id":"testing","endpoint":"token","environment":"default","error":"temporarily_unavailable",)"
        R"("error_description":"maintenance","id":"f1","remaining":2,"status":503})");
  // Another client is not affected.
  CHECK(t.token("grant_type=client_credentials", basic("cconly", "cconly")).status == 200);
  for (int i = 0; i < 2; ++i) {
    HttpResponse res = t.token(kCredentials);
    CHECK(res.status == 503);
    CHECK(res.body == R"({"error":"temporarily_unavailable","error_description":"maintenance"})");
    CHECK(res.header("Cache-Control") == "no-store");
  }
  CHECK(t.token(kCredentials).status == 200);
}

TEST_CASE("admin: a bare 5xx fault on the JWKS answers once with its status") {
  TestApp t;
  use_up_fault_f1(t);
  REQUIRE(admin(t, "POST", "/faults", R"({"endpoint":"jwks","status":502})").status == 201);
  HttpResponse res = t.request("GET", "/api/auth/keys");
  CHECK(res.status == 502);
  CHECK(res.body == "502 Bad Gateway (injected by authemu, fault f2)\n");
  CHECK(t.request("GET", "/api/auth/keys").status == 200);
}

TEST_CASE("admin: an invalid_client fault defaults to 401 with its challenge; a grant filter") {
  TestApp t;
  use_up_fault_f1(t);
  REQUIRE(
      admin(t, "POST", "/faults", R"({"endpoint":"token","grant_type":"password","error":"invalid_client"})").status ==
      201);
  CHECK(t.token(kCredentials).status == 200);
  HttpResponse res = t.token("grant_type=password&username=alice&password=alice", basic("ftl", "ftl"));
  CHECK(res.status == 401);
  CHECK(res.header("WWW-Authenticate") == "Basic realm=\"authemu\"");
  CHECK(find_string(TestApp::parse(res.body), "error_description") == "injected by authemu (fault f2)");
}

TEST_CASE("admin: a delay fault gives the real answer late; the journal shows the wait") {
  TestApp t;
  use_up_fault_f1(t);
  REQUIRE(admin(t, "POST", "/faults", R"({"endpoint":"discovery","delay":"20ms"})").status == 201);
  CHECK(t.request("GET", "/api/auth/.well-known/openid-configuration").status == 200);
  JsonObject j = TestApp::parse(admin(t, "GET", "/journal?endpoint=discovery").body);
  const JsonObject& e = j.at("entries").get<JsonArray>().at(0).get<JsonObject>();
  CHECK(find_string(e, "fault") == "f2");
  CHECK(find_string(e, "outcome") == "ok");
  CHECK(*find_int(e, "latency_us") >= 20000);
}

TEST_CASE("admin: faults are listed, removed one by one or all") {
  TestApp t;
  use_up_fault_f1(t);
  REQUIRE(admin(t, "POST", "/faults", R"({"endpoint":"userinfo","status":500,"count":5})").status == 201);
  REQUIRE(admin(t, "POST", "/faults", R"({"endpoint":"revoke","status":500})").status == 201);
  JsonObject list = TestApp::parse(admin(t, "GET", "/faults").body);
  CHECK(list.at("faults").get<JsonArray>().size() == 2);
  CHECK(admin(t, "DELETE", "/faults/f2").status == 204);
  CHECK(admin(t, "DELETE", "/faults/f2").status == 404);
  CHECK(admin(t, "DELETE", "/faults").status == 204);
  CHECK(admin(t, "GET", "/faults").body == R"({"faults":[]})");
}

TEST_CASE("admin: bad fault requests are refused with the reason and queue nothing") {
  TestApp t;
  use_up_fault_f1(t);
  struct Case {
    const char* body;
    const char* message;
  };
  for (const Case& c :
       {Case{R"({"error":"invalid_grant"})",
             "endpoint: required (token, introspect, revoke, userinfo, jwks, discovery, authorize, login, "
             "end_session, par, device_authorization, device, register)"},
        Case{R"({"endpoint":"devices","status":500})",
             "endpoint: unknown endpoint devices (token, introspect, revoke, userinfo, jwks, discovery, authorize, "
             "login, end_session, par, device_authorization, device, register)"},
        Case{R"({"endpoint":"token"})", "body: give error, status or delay"},
        Case{R"({"endpoint":"token","status":200})", "status: expected an HTTP error status from 400 to 599"},
        Case{R"({"endpoint":"token","error":"Bad Thing"})",
             "error: unknown OAuth error code Bad Thing ("
             "invalid_request, invalid_client, invalid_grant, unauthorized_client, unsupported_grant_type, "
             "invalid_scope, access_denied, unsupported_response_type, server_error, temporarily_unavailable, "
             "invalid_token, insufficient_scope, unsupported_token_type, invalid_target, interaction_required, "
             "login_required, account_selection_required, consent_required, invalid_request_uri, "
             "invalid_request_object, request_not_supported, request_uri_not_supported, registration_not_supported, "
             "authorization_pending, slow_down, expired_token, invalid_dpop_proof, use_dpop_nonce)"},
        Case{R"({"endpoint":"token","error":"invalid_grant","error_description":"a \"quote\""})",
             "error_description: no quotes, backslashes or control characters (RFC 6749 §5.2)"},
        Case{R"({"endpoint":"token","status":500,"count":0})", "count: expected a whole number from 1 to 1000"},
        Case{R"({"endpoint":"token","delay":"2h"})",
             "delay: expected milliseconds or a duration such as 250ms, 2s (at most 60s)"},
        Case{R"({"endpoint":"token","delay":-1})",
             "delay: expected milliseconds or a duration such as 250ms, 2s (at most 60s)"}}) {
    INFO(c.body);
    HttpResponse res = admin(t, "POST", "/faults", c.body);
    CHECK(res.status == 400);
    CHECK(error_message(res) == c.message);
  }
  CHECK(admin(t, "GET", "/faults").body == R"({"faults":[]})");
}

TEST_CASE("admin: the journal records OAuth requests without secrets or tokens") {
  TestApp t;
  HttpResponse ok = t.token("grant_type=client_credentials&scope=ledger:read", basic("scoped", "s3cret"));
  REQUIRE(ok.status == 200);
  std::string token = *find_string(TestApp::parse(ok.body), "access_token");
  HttpResponse pw = t.token("grant_type=password&username=alice&password=alice-pw-wrong", basic("ftl", "ftl"));
  REQUIRE(pw.status == 400);
  REQUIRE(t.request("POST", "/api/auth/oauth/introspect", "token=" + token, basic("scoped", "s3cret")).status == 200);
  REQUIRE(t.request("GET", "/api/auth/keys").status == 200);
  REQUIRE(t.request("GET", "/api/auth/userinfo", "", bearer(token)).status == 403);
  t.request("POST", "/_authemu/clock", R"({"advance":30})");
  REQUIRE(
      t.request("POST", "/api/auth/oauth/token", "grant_type=client_credentials&client_id=testing&client_secret=nope")
          .status == 401);

  HttpResponse res = admin(t, "GET", "/journal");
  REQUIRE(res.status == 200);
  CHECK(res.body.find("s3cret") == std::string::npos);
  CHECK(res.body.find("alice-pw-wrong") == std::string::npos);
  CHECK(res.body.find(token.substr(0, 40)) == std::string::npos);
  CHECK(res.body.find(token.substr(token.size() - 20)) == std::string::npos);
  JsonArray entries = TestApp::parse(res.body).at("entries").get<JsonArray>();
  REQUIRE(entries.size() == 6);
  auto field = [&](size_t i, const char* name) {
    return find_string(entries.at(i).get<JsonObject>(), name).value_or("-");
  };
  CHECK(field(0, "endpoint") == "token");
  CHECK(field(0, "grant_type") == "client_credentials");
  CHECK(field(0, "client_id") == "scoped");
  CHECK(field(0, "outcome") == "ok");
  CHECK(field(0, "environment") == "default");
  CHECK(find_int(entries.at(0).get<JsonObject>(), "time") == kStart);
  CHECK(field(1, "grant_type") == "password");
  CHECK(field(1, "outcome") == "invalid_grant");
  CHECK(field(2, "endpoint") == "introspect");
  CHECK(field(3, "endpoint") == "jwks");
  CHECK(field(3, "client_id") == "-");
  CHECK(field(4, "endpoint") == "userinfo");
  CHECK(field(4, "outcome") == "insufficient_scope");
  CHECK(field(5, "outcome") == "invalid_client");
  CHECK(find_int(entries.at(5).get<JsonObject>(), "status") == 401);
  CHECK(find_int(entries.at(5).get<JsonObject>(), "time") == kStart + 30);

  JsonArray failed =
      TestApp::parse(admin(t, "GET", "/journal?outcome=invalid_grant").body).at("entries").get<JsonArray>();
  CHECK(failed.size() == 1);
  JsonArray last = TestApp::parse(admin(t, "GET", "/journal?limit=2").body).at("entries").get<JsonArray>();
  REQUIRE(last.size() == 2);
  CHECK(find_int(last.at(1).get<JsonObject>(), "seq") == 6);
  JsonArray after = TestApp::parse(admin(t, "GET", "/journal?after=5").body).at("entries").get<JsonArray>();
  CHECK(after.size() == 1);
  CHECK(error_message(admin(t, "GET", "/journal?limit=abc")) == "limit: expected a whole number up to 1000");
  CHECK(admin(t, "DELETE", "/journal").status == 204);
  CHECK(admin(t, "GET", "/journal").body == R"({"entries":[]})");
}

TEST_CASE("admin: an admin token guards the API; it can be switched off") {
  AppSettings s;
  s.admin_token = "let-me-in";
  TestApp t(s);
  HttpResponse none = admin(t, "GET", "/clock");
  CHECK(none.status == 401);
  CHECK(none.header("WWW-Authenticate") == "Bearer realm=\"authemu-admin\"");
  CHECK(find_string(TestApp::parse(none.body), "errorCode") == "UNAUTHORIZED");
  CHECK(admin(t, "GET", "/clock", "", bearer("let-me-ix")).status == 401);
  CHECK(admin(t, "GET", "/clock", "", bearer("let-me-in-")).status == 401);
  CHECK(admin(t, "GET", "/clock", "", {{"Authorization", "Basic bGV0LW1lLWlu"}}).status == 401);
  CHECK(admin(t, "GET", "/clock", "", bearer("let-me-in")).status == 200);
  CHECK(admin(t, "GET", "", "", bearer("let-me-in")).status == 200);

  AppSettings off;
  off.admin_api = false;
  TestApp u(off);
  HttpResponse res = admin(u, "GET", "/clock");
  CHECK(res.status == 404);
  CHECK(res.body == "404 page not found\n");
}

TEST_CASE("admin: clocks, faults and resets of one environment leave the others alone") {
  FakeClock clock(kStart);
  Options options;
  AppSettings settings;
  settings.environment.issuer = kIssuer;
  Fixture f = load_fixture(R"(
clients:
  - {id: testing, secrets: [testing]}
environments:
  sandbox:
    signingKey: embedded:test-signing-key-sandbox.pem
    clients:
      - {id: testing, secrets: [testing]}
)",
                           "env.yaml", [](const std::string&) { return std::nullopt; });
  App app(settings, environment_specs(options, settings, std::move(f), test_key()), clock);
  auto call = [&](const std::string& method, const std::string& path, const std::string& body = "") {
    HttpRequest req;
    req.method = method;
    req.path = path;
    size_t q = path.find('?');
    if (q != std::string::npos) {
      req.path = path.substr(0, q);
      req.query = path.substr(q + 1);
    }
    req.body = body;
    if (!body.empty()) {
      bool form = path.find("/oauth/") != std::string::npos;
      req.headers.emplace_back("Content-Type", form ? "application/x-www-form-urlencoded" : "application/json");
    }
    return app.handle(req);
  };
  auto iat = [&](const std::string& path) {
    HttpResponse res = call("POST", path, kCredentials);
    REQUIRE(res.status == 200);
    return *find_int(jwt_claims(*find_string(TestApp::parse(res.body), "access_token")), "iat");
  };
  REQUIRE(call("POST", "/_authemu/clock", R"({"advance":"1h","environment":"sandbox"})").status == 200);
  CHECK(iat("/sandbox/api/auth/oauth/token") == kStart + 3600);
  CHECK(iat("/api/auth/oauth/token") == kStart);
  HttpResponse all = call("GET", "/_authemu/clock?environment=sandbox");
  CHECK(find_int(first_clock(all.body), "offset") == 3600);
  REQUIRE(call("POST", "/_authemu/clock", R"({"advance":60})").status == 200); // no environment: all of them
  CHECK(iat("/sandbox/api/auth/oauth/token") == kStart + 3660);
  CHECK(iat("/api/auth/oauth/token") == kStart + 60);

  REQUIRE(call("POST", "/_authemu/faults", R"({"endpoint":"token","environment":"sandbox","status":500})").status ==
          201);
  CHECK(call("POST", "/api/auth/oauth/token", kCredentials).status == 200);
  CHECK(call("POST", "/sandbox/api/auth/oauth/token", kCredentials).status == 500);
  JsonArray sandbox =
      TestApp::parse(call("GET", "/_authemu/journal?environment=sandbox").body).at("entries").get<JsonArray>();
  CHECK(sandbox.size() == 3);

  REQUIRE(call("POST", "/_authemu/reset", R"({"environment":"sandbox"})").status == 200);
  CHECK(iat("/sandbox/api/auth/oauth/token") == kStart);
  CHECK(iat("/api/auth/oauth/token") == kStart + 60);
  JsonArray left = TestApp::parse(call("GET", "/_authemu/journal").body).at("entries").get<JsonArray>();
  CHECK(left.size() == 5); // the default environment's 4 and sandbox's one after its reset

  SECTION("mint for a named environment uses its issuer and key") {
    HttpResponse m = call("POST", "/_authemu/mint", R"({"environment":"sandbox"})");
    REQUIRE(m.status == 200);
    std::string token = *find_string(TestApp::parse(m.body), "access_token");
    CHECK(find_string(jwt_claims(token), "iss") == "http://localhost:8080/sandbox/api/auth");
    CHECK(find_string(jwt_header(token), "kid") == app.find_environment("sandbox")->keys().active().kid());
  }
}

TEST_CASE("admin: key rotation through the admin API, with the grace period on the admin clock") {
  TestApp t;
  std::string old_kid = t.app->keys().active().kid();
  std::string before = t.access_token();

  HttpResponse res = admin(t, "POST", "/keys/rotate", R"({"grace":"10m"})");
  REQUIRE(res.status == 200);
  JsonObject r = TestApp::parse(res.body);
  std::string new_kid = *find_string(r, "kid");
  CHECK(new_kid != old_kid);
  CHECK(find_string(r, "previous") == old_kid);
  CHECK(find_int(r, "rotation_grace") == 600); // the grace asked for
  CHECK(find_int(TestApp::parse(admin(t, "GET", "/keys").body), "rotation_grace") == 86400);
  JsonArray keys = r.at("keys").get<JsonArray>();
  REQUIRE(keys.size() == 2);
  CHECK(find_string(keys[0].get<JsonObject>(), "kid") == new_kid);
  CHECK(keys[0].get<JsonObject>().at("active").get<bool>());
  CHECK(find_int(keys[1].get<JsonObject>(), "retires_at") == kStart + 600);
  CHECK(find_string(keys[1].get<JsonObject>(), "retires") == "2023-11-14T22:23:20Z");

  std::string after = t.access_token();
  CHECK(find_string(jwt_header(after), "kid") == new_kid);
  std::string jwks = t.request("GET", "/api/auth/keys").body;
  CHECK(jwks.find(old_kid) != std::string::npos);
  CHECK(jwks.find(new_kid) != std::string::npos);
  CHECK(ledger(t, before) == "ok");

  REQUIRE(admin(t, "POST", "/clock", R"({"advance":599})").status == 200);
  CHECK(ledger(t, before) == "ok");
  REQUIRE(admin(t, "POST", "/clock", R"({"advance":1})").status == 200);
  CHECK(ledger(t, before) == "JWT kid is not a key of this server");
  CHECK(ledger(t, after) == "ok");
  jwks = t.request("GET", "/api/auth/keys").body;
  CHECK(jwks.find(old_kid) == std::string::npos);
  CHECK(TestApp::parse(admin(t, "GET", "/keys").body).at("keys").get<JsonArray>().size() == 1);
}

TEST_CASE("admin: reset after a rotation brings the fixture's key back") {
  TestApp t;
  Rotated rotated = rotate_past_grace(t);
  REQUIRE(admin(t, "POST", "/reset").status == 200);
  CHECK(t.app->keys().active().kid() == rotated.old_kid);
  CHECK(ledger(t, rotated.after) == "JWT kid is not a key of this server");
}

TEST_CASE("admin: a rotation with grace 0 drops the previous key at once; a new algorithm or a given key") {
  TestApp t;
  std::string after = rotate_past_grace(t).after;
  REQUIRE(admin(t, "POST", "/keys/rotate", R"({"grace":0,"algorithm":"ES256"})").status == 200);
  CHECK(ledger(t, after) == "JWT kid is not a key of this server");
  std::string es = t.access_token();
  CHECK(find_string(jwt_header(es), "alg") == "ES256");
  CHECK(ledger(t, es) == "ok");
  std::string discovery = t.request("GET", "/api/auth/.well-known/openid-configuration").body;
  CHECK(dump_json(TestApp::parse(discovery).at("id_token_signing_alg_values_supported")) == R"(["ES256"])");
  // A minted token follows the algorithm, foreign keys included.
  HttpResponse m = admin(t, "POST", "/mint", R"({"case":"foreign_key"})");
  std::string foreign = *find_string(TestApp::parse(m.body), "access_token");
  CHECK(find_string(jwt_header(foreign), "alg") == "ES256");
  CHECK(ledger(t, foreign) == "JWT kid is not a key of this server");

  REQUIRE(admin(t, "POST", "/keys/rotate", R"({"algorithm":"HS256","key":"a shared secret of at least 32 bytes!"})")
              .status == 200);
  std::string hs = t.access_token();
  CHECK(find_string(jwt_header(hs), "alg") == "HS256");
  CHECK(ledger(t, hs) == "ok");
  CHECK(ledger(t, es) == "ok"); // within the default grace of 24 h
}

TEST_CASE("admin: bad rotation requests are refused with the reason and change nothing") {
  TestApp t;
  std::string new_kid = rotate_past_grace(t).new_kid;
  struct Case {
    const char* body;
    int status;
    const char* message;
  };
  for (const Case& c :
       {Case{R"({"grace":-1})", 400, "grace: expected whole seconds or a duration such as 10m (0: at once)"},
        Case{R"({"algorithm":"RS512"})", 400, "algorithm: expected RS256, PS256, ES256 or HS256"},
        Case{R"({"algorithm":"HS256"})", 400, "key: required for HS256 (the shared secret)"},
        Case{R"({"key":"not a key"})", 400, "key: "}, Case{R"({"kid":"x"})", 400, "kid: unknown member"}}) {
    INFO(c.body);
    HttpResponse bad = admin(t, "POST", "/keys/rotate", c.body);
    CHECK(bad.status == c.status);
    CHECK_THAT(error_message(bad), Catch::StartsWith(c.message));
  }
  CHECK(t.app->keys().active().kid() == new_kid);
}

TEST_CASE("admin: advance, grace, expires_in and delay take the one duration grammar") {
  TestApp t;
  SECTION("every form each took before, and the new ones") {
    struct Case {
      const char* body;
      int64_t offset;
    };
    int64_t offset = 0;
    for (const Case& c :
         {Case{R"({"advance":60})", 60}, Case{R"({"advance":"90"})", 90}, Case{R"({"advance":"1h30m"})", 5400},
          Case{R"({"advance":"-5m"})", -300}, Case{R"({"advance":"0"})", 0}, Case{R"({"advance":"+1d"})", 86400},
          Case{R"({"advance":"2000ms"})", 2}}) {
      INFO(c.body);
      HttpResponse res = admin(t, "POST", "/clock", c.body);
      REQUIRE(res.status == 200);
      offset += c.offset;
      CHECK(find_int(TestApp::parse(res.body).at("environments").get<JsonArray>().at(0).get<JsonObject>(), "offset") ==
            offset);
    }
    HttpResponse m = admin(t, "POST", "/mint", R"({"expires_in":"1h30m","not_before":"-0"})");
    REQUIRE(m.status == 200);
    CHECK(find_int(TestApp::parse(m.body), "expires_in") == 5400);
    HttpResponse r = admin(t, "POST", "/keys/rotate", R"({"grace":"30m1h"})");
    REQUIRE(r.status == 200);
    CHECK_FALSE(TestApp::parse(r.body)
                    .at("keys")
                    .get<JsonArray>()
                    .at(1)
                    .get<JsonObject>()
                    .at("retires_at")
                    .is<picojson::null>());
    for (const char* delay : {R"(250)", R"("250ms")", R"("2s")", R"("2")", R"("1s500ms")", R"("0ms")"}) {
      INFO(delay);
      HttpResponse f =
          admin(t, "POST", "/faults", std::string(R"({"endpoint":"jwks","status":503,"delay":)") + delay + "}");
      CHECK(f.status == 201);
    }
    JsonArray faults = TestApp::parse(admin(t, "GET", "/faults").body).at("faults").get<JsonArray>();
    REQUIRE(faults.size() == 6);
    std::vector<int64_t> delays;
    for (const auto& f : faults)
      delays.push_back(find_int(f.get<JsonObject>(), "delay_ms").value_or(0));
    CHECK(delays == std::vector<int64_t>{250, 250, 2000, 2000, 1500, 0});
  }
  SECTION("the error text for anything else") {
    struct Case {
      const char* path;
      const char* body;
      const char* message;
    };
    for (const Case& c :
         {Case{"/clock", R"({"advance":"1.5h"})",
               "advance: expected whole seconds or a duration such as 90s, 1h, -5m (at most ten years)"},
          Case{"/clock", R"({"advance":"1500ms"})",
               "advance: expected whole seconds or a duration such as 90s, 1h, -5m (at most ten years)"},
          Case{"/mint", R"({"expires_in":"1h30"})",
               "expires_in: expected whole seconds or a duration such as 90s, 1h, -5m (at most ten years)"},
          Case{"/mint", R"({"not_before":"5 m"})",
               "not_before: expected whole seconds or a duration such as 90s, 1h, -5m (at most ten years)"},
          Case{"/keys/rotate", R"({"grace":"-10m"})",
               "grace: expected whole seconds or a duration such as 10m (0: at once)"},
          Case{"/keys/rotate", R"({"grace":"10x"})",
               "grace: expected whole seconds or a duration such as 10m (0: at once)"},
          Case{"/faults", R"({"endpoint":"token","delay":"0.5s"})",
               "delay: expected milliseconds or a duration such as 250ms, 2s (at most 60s)"},
          Case{"/faults", R"({"endpoint":"token","delay":"60001ms"})",
               "delay: expected milliseconds or a duration such as 250ms, 2s (at most 60s)"},
          Case{"/faults", R"({"endpoint":"token","delay":"-5ms"})",
               "delay: expected milliseconds or a duration such as 250ms, 2s (at most 60s)"}}) {
      INFO(c.body);
      HttpResponse res = admin(t, "POST", c.path, c.body);
      CHECK(res.status == 400);
      CHECK(error_message(res) == c.message);
    }
  }
}

TEST_CASE("admin: a rotated-in key given as text may start with whitespace, as at start-up") {
  TestApp t;
  std::string kid = SigningKey::from_pem(Algorithm::ES256, read_test_data("ec-p256.pem")).kid();
  for (const char* file : {"ec-p256.pem", "ec-p256.jwk"}) {
    for (const char* lead : {"\n", "  \r\n\t"}) {
      INFO(file << " after " << std::string(lead).size() << " whitespace characters");
      REQUIRE(admin(t, "POST", "/reset").status == 200);
      JsonObject body{{"key", json_string(lead + read_test_data(file))}, {"algorithm", json_string("ES256")}};
      HttpResponse res = admin(t, "POST", "/keys/rotate", dump_json(Json(body)));
      CHECK(res.status == 200);
      CHECK(find_string(TestApp::parse(res.body), "kid") == kid);
      CHECK(find_string(jwt_header(t.access_token()), "kid") == kid);
    }
  }
  SECTION("without an algorithm: a JWK names its own, PEM is of the active key's") {
    REQUIRE(admin(t, "POST", "/reset").status == 200);
    JsonObject body{{"key", json_string("\n" + read_test_data("ec-p256.jwk"))}};
    HttpResponse res = admin(t, "POST", "/keys/rotate", dump_json(Json(body)));
    CHECK(res.status == 200);
    CHECK(find_string(jwt_header(t.access_token()), "alg") == "ES256");
    REQUIRE(admin(t, "POST", "/reset").status == 200);
    body = JsonObject{{"key", json_string("\n" + read_test_data("pkcs8-rsa-2048.pem"))}};
    CHECK(admin(t, "POST", "/keys/rotate", dump_json(Json(body))).status == 200);
    CHECK(find_string(jwt_header(t.access_token()), "alg") == "RS256");
  }
  SECTION("a key already in the store is 409 and changes nothing") {
    REQUIRE(admin(t, "POST", "/reset").status == 200);
    JsonObject body{{"key", json_string(read_test_data("ec-p256.pem"))}, {"algorithm", json_string("ES256")}};
    REQUIRE(admin(t, "POST", "/keys/rotate", dump_json(Json(body))).status == 200);
    HttpResponse again = admin(t, "POST", "/keys/rotate", dump_json(Json(body)));
    CHECK(again.status == 409);
    CHECK(again.body == R"({"errorCode":"CONFLICT","errorMessage":"key )" + kid + R"( is already in the key store"})");
    CHECK(TestApp::parse(admin(t, "GET", "/keys").body).at("keys").get<JsonArray>().size() == 2);
  }
}

TEST_CASE("admin: minted tokens are access tokens; another typ is refused where access tokens are checked") {
  TestApp t;
  auto mint = [&](const std::string& body) { return *find_string(minted(t, body), "access_token"); };
  std::string plain = mint("{}");
  CHECK(find_string(jwt_header(plain), "typ") == "at+jwt");
  CHECK(ledger(t, plain) == "ok");
  CHECK(ledger(t, mint(R"({"typ":"application/at+jwt"})")) == "ok");
  CHECK(ledger(t, mint(R"({"header":{"typ":"AT+JWT"}})")) == "ok");
  std::string id_like = mint(R"({"typ":"JWT"})");
  HttpResponse stand_in = t.request("GET", "/api/ledger/v2", "", bearer(id_like));
  CHECK(stand_in.status == 401);
  CHECK(stand_in.body ==
        R"({"error":"invalid_token","error_description":"JWT typ JWT is not at+jwt: not an access token"})");
  CHECK(ledger(t, mint(R"({"header":{"typ":null}})")) == "JWT has no typ: not an access token (at+jwt)");
  CHECK(t.request("GET", "/api/auth/clients", "", bearer(id_like)).status == 401);
  CHECK(t.request("POST", "/api/auth/oauth/introspect", "token=" + id_like, basic("testing", "testing")).body ==
        R"({"active":false})");

  SECTION("an ID token at the stand-in") {
    std::string id_token =
        *find_string(TestApp::parse(t.token("grant_type=password&username=alice&password=alice&scope=openid",
                                            basic("testing", "testing"))
                                        .body),
                     "id_token");
    CHECK(ledger(t, id_token) == "JWT typ JWT is not at+jwt: not an access token");
  }
}

namespace {

constexpr char kCrossSite[] =
    " (the admin API takes writes from its own origin and from clients that are not browsers)";

HttpResponse raw(TestApp& t, const std::string& method, const std::string& path, const std::string& body,
                 Headers headers) {
  HttpRequest req;
  req.method = method;
  req.path = std::string("/_authemu") + path;
  req.body = body;
  req.headers = std::move(headers);
  return t.app->handle(req);
}

// A request with the admin token and one more header to an app whose admin token is let-me-in.
HttpResponse with_admin_token(const std::string& method, const std::string& path,
                              std::pair<std::string, std::string> header) {
  AppSettings s;
  s.admin_token = "let-me-in";
  TestApp t(s);
  Headers h = bearer("let-me-in");
  h.push_back(std::move(header));
  return admin(t, method, path, "", std::move(h));
}

} // namespace

TEST_CASE("admin: writes a browser marks cross-site are refused") {
  TestApp t;
  auto refused = [&](const std::string& method, const std::string& path, const Headers& headers) {
    HttpResponse res = admin(t, method, path, "", headers);
    CHECK(res.status == 403);
    CHECK(find_string(TestApp::parse(res.body), "errorCode") == "FORBIDDEN");
    return error_message(res);
  };
  SECTION("an Origin that is not the server's") {
    for (const char* origin : {"http://evil.example", "null", "http://localhost:3000", "http://localhost", "garbage"}) {
      INFO(origin);
      CHECK(refused("POST", "/reset", {{"Host", "localhost:8080"}, {"Origin", origin}}) ==
            "cross-site request refused: Origin " + std::string(origin) + " is not this server's origin" + kCrossSite);
    }
    CHECK(refused("DELETE", "/faults", {{"Origin", "http://evil.example"}}) ==
          std::string("cross-site request refused: Origin http://evil.example is not this server's origin") +
              kCrossSite);
    CHECK(admin(t, "GET", "/clock", "", {{"Origin", "http://evil.example"}}).status ==
          200); // reads: same-origin policy
  }
  SECTION("the server's own origin: the Host, a forwarded host or a configured issuer's origin") {
    CHECK(admin(t, "POST", "/reset", "", {{"Host", "localhost:8080"}, {"Origin", "http://localhost:8080"}}).status ==
          200);
    CHECK(admin(t, "POST", "/reset", "", {{"Host", "127.0.0.1:9999"}, {"Origin", "http://127.0.0.1:9999"}}).status ==
          200);
    CHECK(admin(t, "POST", "/reset", "", {{"Host", "authemu"}, {"Origin", "http://authemu:80"}}).status == 200);
    CHECK(admin(t, "POST", "/reset", "", {{"Origin", "http://localhost:8080"}}).status == 200); // the issuer's
    CHECK(admin(t, "POST", "/reset", "",
                {{"Host", "authemu:8080"},
                 {"X-Forwarded-Host", "auth.dev.example"},
                 {"Origin", "https://auth.dev.example"}})
              .status == 200);
  }
  SECTION("Sec-Fetch-Site: cross-site; same-site, same-origin and none pass") {
    CHECK(refused("POST", "/clock", {{"Sec-Fetch-Site", "cross-site"}}) ==
          std::string("cross-site request refused: Sec-Fetch-Site is cross-site") + kCrossSite);
    for (const char* site : {"same-site", "same-origin", "none"}) {
      INFO(site);
      CHECK(admin(t, "POST", "/reset", "", {{"Sec-Fetch-Site", site}}).status == 200);
    }
    CHECK(admin(t, "GET", "/journal", "", {{"Sec-Fetch-Site", "cross-site"}}).status == 200);
  }
  SECTION("with an admin token too") {
    CHECK(with_admin_token("POST", "/reset", {"Origin", "http://evil.example"}).status == 403);
  }
  CHECK(find_int(first_clock(admin(t, "GET", "/clock?environment=default").body), "offset") == 0);
}

TEST_CASE("admin: a body must be JSON") {
  TestApp t;
  const std::string kTail = ": the admin API takes JSON bodies (Content-Type: application/json)";
  struct Case {
    const char* type;
    const char* message;
  };
  for (const Case& c : {Case{"text/plain", "Content-Type text/plain"},
                        Case{"application/x-www-form-urlencoded", "Content-Type application/x-www-form-urlencoded"},
                        Case{"multipart/form-data; boundary=x", "Content-Type multipart/form-data; boundary=x"},
                        Case{"application/jsonx", "Content-Type application/jsonx"},
                        Case{"text/json", "Content-Type text/json"}, Case{"", "no Content-Type"}}) {
    INFO(c.type);
    Headers h;
    if (*c.type != '\0') h.emplace_back("Content-Type", c.type);
    HttpResponse res = raw(t, "POST", "/clock", R"({"advance":60})", h);
    CHECK(res.status == 415);
    CHECK(find_string(TestApp::parse(res.body), "errorCode") == "UNSUPPORTED_MEDIA_TYPE");
    CHECK(error_message(res) == c.message + kTail);
  }
  CHECK(find_int(first_clock(admin(t, "GET", "/clock?environment=default").body), "offset") == 0);
  int64_t offset = 0;
  for (const char* type : {"application/json", "application/json; charset=utf-8", "Application/JSON",
                           " application/merge-patch+json ;x=y"}) {
    INFO(type);
    HttpResponse res = raw(t, "POST", "/clock", R"({"advance":60,"environment":"default"})", {{"Content-Type", type}});
    CHECK(res.status == 200);
    CHECK(find_int(first_clock(res.body), "offset") == (offset += 60));
  }
  // No body needs no Content-Type: curl -X POST …/_authemu/reset.
  CHECK(raw(t, "POST", "/reset", "", {}).status == 200);
  CHECK(raw(t, "DELETE", "/journal", "", {}).status == 204);
}

TEST_CASE("admin: without an admin token, Host must be a local or configured name") {
  AppSettings s;
  s.environment.extra_issuers = {"https://auth.staging.example/api/auth"};
  TestApp t(s);
  for (const char* host :
       {"localhost", "localhost:8080", "app.localhost:3000", "LOCALHOST", "127.0.0.1:8080", "10.1.2.3", "[::1]:8080",
        "[fd00::2]", "authemu:8080", "host.docker.internal:8080", "auth.staging.example"}) {
    INFO(host);
    CHECK(admin(t, "GET", "/clock", "", {{"Host", host}}).status == 200);
  }
  for (const char* host : {"evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.nip.io",
                           "docker.internal", "a b", "[::1"}) {
    INFO(host);
    HttpResponse res = admin(t, "POST", "/reset", "", {{"Host", host}});
    CHECK(res.status == 403);
    CHECK(find_string(TestApp::parse(res.body), "errorCode") == "FORBIDDEN");
    CHECK(error_message(res) ==
          "Host " + std::string(host) +
              " is not served by the admin API without an admin token (DNS rebinding protection): use localhost, "
              "*.localhost, an IP address, a single-label name such as authemu, host.docker.internal or a configured "
              "issuer's host (localhost, auth.staging.example), or set ADMIN_TOKEN");
  }
  CHECK(admin(t, "GET", "/nothing", "", {{"Host", "evil.example"}}).status == 403);        // before 404
  CHECK(t.request("GET", "/api/auth/keys", "", {{"Host", "evil.example"}}).status == 200); // the admin API only
  CHECK(with_admin_token("GET", "/clock", {"Host", "evil.example"}).status == 200);
}

TEST_CASE("admin: mint and key import need an admin token when a real key is served beyond loopback") {
  AppSettings s;
  s.secret_keys = true;
  s.beyond_loopback = true;
  TestApp t(s);
  const std::string kWhy =
      " needs ADMIN_TOKEN: this server signs with a key that is not an embedded test key and listens beyond "
      "loopback; set --admin-token (ADMIN_TOKEN) and send it as a bearer token";
  HttpResponse mint = admin(t, "POST", "/mint", "{}");
  CHECK(mint.status == 403);
  CHECK(find_string(TestApp::parse(mint.body), "errorCode") == "FORBIDDEN");
  CHECK(error_message(mint) == "mint" + kWhy);
  JsonObject body{{"key", json_string(read_test_data("ec-p256.pem"))}, {"algorithm", json_string("ES256")}};
  HttpResponse import = admin(t, "POST", "/keys/rotate", dump_json(Json(body)));
  CHECK(import.status == 403);
  CHECK(error_message(import) == "rotating to a given key" + kWhy);
  // A generated key, the clock, reset, faults and the journal stay open.
  CHECK(admin(t, "POST", "/keys/rotate", R"({"grace":0})").status == 200);
  CHECK(admin(t, "POST", "/clock", R"({"advance":1})").status == 200);
  CHECK(admin(t, "POST", "/faults", R"({"endpoint":"jwks","status":500})").status == 201);
  CHECK(admin(t, "GET", "/journal").status == 200);
  CHECK(admin(t, "POST", "/reset").status == 200);

  SECTION("one fact alone is not enough") {
    AppSettings local = s;
    local.beyond_loopback = false;
    TestApp l(local);
    CHECK(admin(l, "POST", "/mint", "{}").status == 200);
    AppSettings test_key = s;
    test_key.secret_keys = false;
    TestApp k(test_key);
    CHECK(admin(k, "POST", "/mint", "{}").status == 200);
  }
  SECTION("with the admin token") {
    AppSettings guarded = s;
    guarded.admin_token = "let-me-in";
    TestApp g(guarded);
    CHECK(admin(g, "POST", "/mint", "{}", bearer("let-me-in")).status == 200);
    CHECK(admin(g, "POST", "/keys/rotate", dump_json(Json(body)), bearer("let-me-in")).status == 200);
  }
}

TEST_CASE("admin: a rotation that would keep more than 16 keys is 409; grace 0 still rotates") {
  TestApp t;
  REQUIRE(admin(t, "POST", "/keys/rotate", R"({"algorithm":"ES256","grace":"1h"})").status == 200);
  for (int i = 2; i < 16; ++i)
    REQUIRE(admin(t, "POST", "/keys/rotate", R"({"grace":"1h"})").status == 200);
  CHECK(TestApp::parse(admin(t, "GET", "/keys").body).at("keys").get<JsonArray>().size() == 16);
  HttpResponse full = admin(t, "POST", "/keys/rotate", R"({"grace":"1h"})");
  CHECK(full.status == 409);
  CHECK(find_string(TestApp::parse(full.body), "errorCode") == "CONFLICT");
  CHECK(error_message(full) ==
        "the key store holds at most 16 keys, the active one and those within their grace period: rotate with grace 0, "
        "or wait until a key's grace ends (the next at 2023-11-14T23:13:20Z)");
  CHECK(admin(t, "POST", "/keys/rotate", R"({"grace":0})").status == 200);
  CHECK(TestApp::parse(t.request("GET", "/api/auth/keys").body).at("keys").get<JsonArray>().size() == 16);
}

TEST_CASE("admin: client certificates from the server's CA, dated on the environment's clock") {
  AppSettings s;
  FakeClock at_start(kStart);
  s.tls_ca = std::make_shared<const CertificateAuthority>(
      CertificateAuthority::generate(TlsNames::parse({"localhost"}, "test"), at_start));
  s.tls_ca_pem = s.tls_ca->certificate_pem();
  TestApp t(s);
  HttpResponse res = admin(t, "POST", "/tls/client-certs",
                           R"({"cn":"svc","dns":["svc.example"],"uris":["spiffe://example.org/svc"],)"
                           R"("ips":["10.0.0.1"],"emails":["ops@example.org"],"lifetime":"1h"})");
  INFO(res.body);
  REQUIRE(res.status == 201);
  CHECK(res.header("Cache-Control") == "no-store");
  JsonObject o = TestApp::parse(res.body);
  std::string cert = *find_string(o, "cert");
  CHECK(*find_string(o, "ca") == s.tls_ca->client_ca_pem()); // its issuer
  CHECK(find_string(o, "key")->find("-----BEGIN EC PRIVATE KEY-----") == 0);
  CHECK(*find_string(o, "thumbprint") == test::thumbprint_of(test::der_of(cert)));
  // mbedTLS checks dates at the real time; the fixture's clock is elsewhere
  CHECK((test::verify_flags(cert, *find_string(o, "ca"), "") &
         ~uint32_t(MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE)) == 0);
  CHECK(o.at("notBefore").get<int64_t>() == kStart - CertificateAuthority::kBackdate);
  CHECK(o.at("notAfter").get<int64_t>() == kStart + 3600);
  SECTION("the environment's clock moved: the dates follow it") {
    REQUIRE(admin(t, "POST", "/clock", R"({"advance":"1d"})").status == 200);
    HttpResponse later = admin(t, "POST", "/tls/client-certs", R"({"cn":"svc","lifetime":60})");
    REQUIRE(later.status == 201);
    CHECK(TestApp::parse(later.body).at("notAfter").get<int64_t>() == kStart + 86400 + 60);
  }
  SECTION("bad requests, each with its reason") {
    auto refused = [&](const std::string& body) {
      HttpResponse r = admin(t, "POST", "/tls/client-certs", body);
      CHECK(r.status == 400);
      CHECK(find_string(TestApp::parse(r.body), "errorCode") == "VALIDATION");
      return error_message(r);
    };
    CHECK(refused("{}") == "cn: required");
    CHECK(refused(R"({"cn":"svc","dns":"svc.example"})") == "dns: expected a list of strings");
    CHECK(refused(R"({"cn":"svc","ips":["localhost"]})") == "ips: 'localhost' is not an IPv4 or IPv6 address");
    CHECK(refused(R"({"cn":"svc","lifetime":"soon"})") ==
          "lifetime: expected whole seconds or a duration such as 90s, 1h, -5m (at most ten years)");
    CHECK(refused(R"({"cn":"svc","lifetime":"-5m"})") == "lifetime: expected a positive duration of at most ten years");
    CHECK(refused(R"({"cn":"svc","subject":"O=x"})") == "subject: unknown member");
    CHECK(refused(R"({"cn":")" + std::string(65, 'a') + R"("})") ==
          "cn: at most 64 characters (RFC 5280 ub-common-name)");
  }
}

TEST_CASE("admin: client certificates need a CA of the server's own, and the admin token when one is set") {
  SECTION("no CA: 404 saying how to get one") {
    TestApp t;
    HttpResponse res = admin(t, "POST", "/tls/client-certs", R"({"cn":"svc"})");
    CHECK(res.status == 404);
    CHECK(find_string(TestApp::parse(res.body), "errorCode") == "NOT_FOUND");
    CHECK(error_message(res) == "no CA to issue client certificates: start the server with --tls, --tls-listen or "
                                "--tls-ca-dir (with --tls-cert, certificates are the caller's own)");
  }
  SECTION("guarded") {
    AppSettings s;
    s.admin_token = "let-me-in";
    s.tls_ca = std::make_shared<const CertificateAuthority>(
        CertificateAuthority::generate(TlsNames::parse({"localhost"}, "test"), SystemClock()));
    TestApp t(s);
    CHECK(admin(t, "POST", "/tls/client-certs", R"({"cn":"svc"})").status == 401);
    CHECK(admin(t, "POST", "/tls/client-certs", R"({"cn":"svc"})", bearer("let-me-in")).status == 201);
    CHECK(admin(t, "GET", "/tls/client-certs", "", bearer("let-me-in")).status == 405);
  }
}
