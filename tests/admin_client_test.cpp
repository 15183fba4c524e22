#include <catch2/catch.hpp>

#include "base/config_error.h"
#include "cli/admin_client.h"
#include "cli/personal_token.h"
#include "https_support.h"

#include <sstream>

using namespace authemu;

namespace {

std::string line(const AdminCall& c) {
  return c.method + " " + c.path + (c.body.empty() ? "" : " " + c.body);
}

} // namespace

TEST_CASE("admin_client: each command becomes one admin API request") {
  CHECK(line(admin_call("clock", {}, "")) == "GET /_authemu/clock");
  CHECK(line(admin_call("clock", {}, "sandbox")) == "GET /_authemu/clock?environment=sandbox");
  CHECK(line(admin_call("clock", {"advance", "1h"}, "")) == R"(POST /_authemu/clock {"advance":"1h"})");
  CHECK(line(admin_call("clock", {"advance", "-90"}, "")) == R"(POST /_authemu/clock {"advance":-90})");
  CHECK(line(admin_call("clock", {"set", "2030-01-01T00:00:00Z"}, "sandbox")) ==
        R"(POST /_authemu/clock {"environment":"sandbox","set":"2030-01-01T00:00:00Z"})");
  CHECK(line(admin_call("clock", {"freeze"}, "")) == R"(POST /_authemu/clock {"freeze":true})");
  CHECK(line(admin_call("clock", {"unfreeze"}, "")) == R"(POST /_authemu/clock {"freeze":false})");
  CHECK(line(admin_call("clock", {"reset"}, "")) == "DELETE /_authemu/clock");
  CHECK(line(admin_call("reset", {}, "")) == "POST /_authemu/reset");
  CHECK(line(admin_call("reset", {}, "sandbox")) == R"(POST /_authemu/reset {"environment":"sandbox"})");
  AdminCall mint = admin_call("mint", {"case=expired", "client_id=123", "expires_in=-60", "claims:={\"n\":[1]}"}, "");
  CHECK(line(mint) ==
        R"(POST /_authemu/mint {"case":"expired","claims":{"n":[1]},"client_id":"123","expires_in":-60})");
  CHECK(mint.token_only);
  CHECK(line(admin_call("mint", {}, "")) == "POST /_authemu/mint {}");
  CHECK(line(admin_call("keys", {}, "")) == "GET /_authemu/keys");
  CHECK(line(admin_call("rotate-key", {"grace=10m"}, "")) == R"(POST /_authemu/keys/rotate {"grace":"10m"})");
  CHECK(line(admin_call("fault", {"endpoint=token", "error=invalid_grant", "count=2"}, "")) ==
        R"(POST /_authemu/faults {"count":2,"endpoint":"token","error":"invalid_grant"})");
  CHECK(line(admin_call("fault", {"list"}, "")) == "GET /_authemu/faults");
  CHECK(line(admin_call("fault", {"clear"}, "sandbox")) == "DELETE /_authemu/faults?environment=sandbox");
  CHECK(line(admin_call("journal", {"endpoint=token", "client_id=a b"}, "")) ==
        "GET /_authemu/journal?client_id=a%20b&endpoint=token");
  CHECK(line(admin_call("journal", {"clear"}, "")) == "DELETE /_authemu/journal");
  CHECK(line(admin_call("device", {}, "")) == "GET /_authemu/devices");
  CHECK(line(admin_call("device", {"list"}, "platform")) == "GET /_authemu/devices?environment=platform");
  CHECK(line(admin_call("device", {"approve", "ABCD-EFGH"}, "", "alice")) ==
        R"(POST /_authemu/devices/ABCD-EFGH/approve {"user":"alice"})");
  CHECK(line(admin_call("device", {"approve", "abcdefgh"}, "")) == "POST /_authemu/devices/abcdefgh/approve {}");
  CHECK(line(admin_call("device", {"deny", "ABCD-EFGH"}, "sandbox")) ==
        R"(POST /_authemu/devices/ABCD-EFGH/deny {"environment":"sandbox"})");
  CHECK(line(admin_call("environments", {}, "")) == "GET /_authemu/environments");
  CHECK(line(admin_call("environments", {"list"}, "")) == "GET /_authemu/environments");
  CHECK(line(admin_call("environments", {"add", "ci", "signingAlgorithm=ES256", "clients:=[{\"id\":\"a\"}]"}, "")) ==
        R"(POST /_authemu/environments {"clients":[{"id":"a"}],"name":"ci","signingAlgorithm":"ES256"})");
  CHECK(line(admin_call("environments", {"rm", "ci"}, "")) == "DELETE /_authemu/environments/ci");
}

TEST_CASE("admin_client: unusable words are refused before anything is sent") {
  auto refused = [](const std::string& command, std::vector<std::string> args) {
    try {
      admin_call(command, args, "");
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(refused("clock", {"advance"}) == "clock: usage: authemu clock advance DURATION");
  CHECK(refused("clock", {"later"}) == "clock: unknown action 'later' (advance, set, freeze, unfreeze, reset)");
  CHECK(refused("reset", {"now"}) == "reset: usage: authemu reset [--environment E]");
  CHECK(refused("environments", {"add"}) ==
        "environments: usage: authemu environments add NAME [field=value | field:=JSON …]");
  CHECK(refused("environments", {"rm"}) == "environments: usage: authemu environments rm NAME");
  CHECK(refused("environments", {"drop", "x"}) == "environments: unknown action 'drop' (list, add, rm)");
  CHECK(refused("mint", {"expired"}) == "'expired': expected name=value or name:=JSON");
  CHECK(refused("mint", {"=x"}) == "'=x': expected name=value or name:=JSON");
  CHECK(refused("mint", {"a=1", "a=2"}) == "a: given twice");
  CHECK(refused("mint", {"claims:={"}) == "claims: not JSON: syntax error at line 1 near: ");
  CHECK(refused("device", {"approve"}) == "device: usage: authemu device approve CODE [--user U]");
  CHECK(refused("device", {"allow", "X"}) == "device: unknown action 'allow' (list, approve, deny)");
  CHECK(refused("fault", {}) ==
        "fault: usage: authemu fault endpoint=token error=invalid_grant [count=N] [client_id=C] [status=N] [delay=2s]");
}

TEST_CASE("admin_client: https URLs through the project's TLS client, trusting the given CA file") {
  test::HttpsUpstream up;
  up.route("/_authemu/clock", [](const HttpRequest& req) {
    return test::raw_answer(200, R"({"seen":")" + req.method + " " + req.header("Authorization").value_or("") + " " +
                                     req.body + R"("})");
  });
  up.route("/_healthcheck", [](const HttpRequest&) { return test::raw_answer(200, "ok"); });
  test::TempFile ca(up.ca_pem());
  Options o;
  o.url = up.url("/");
  o.command = "clock";
  o.args = {"advance", "1h"};
  o.admin_token = "adm";
  std::ostringstream out, err;
  SECTION("the CA file trusted") {
    CHECK(run_admin_command(o, out, err, {ca.path}) == 0);
    CHECK(out.str() == R"({"seen":"POST Bearer adm {"advance":"1h"}"})" "\n"); // the route's text, as it came
    CHECK(err.str().empty());
    std::string why;
    CHECK(probe_health("127.0.0.1", up.port(), &why, true, {ca.path}));
  }
  SECTION("without it the server is refused, naming it") {
    CHECK(run_admin_command(o, out, err) == 1);
    CHECK_THAT(err.str(), Catch::StartsWith("authemu clock: no answer: POST " + up.url("/_authemu/clock") +
                                            ": TLS with " + up.url("") +
                                            " failed: the server's certificate is not trusted: "));
    std::string why;
    CHECK_FALSE(probe_health("127.0.0.1", up.port(), &why, true));
    CHECK_THAT(why, Catch::Contains("the server's certificate is not trusted"));
  }
  SECTION("personal-token POSTs its three forms over https") {
    up.route("/platform/oauth/token", [](const HttpRequest& req) {
      bool login = req.body.find("grant_type=password") == 0;
      return test::raw_answer(200, login ? R"({"access_token":"platform"})" : R"({"access_token":"bound"})");
    });
    up.route("/api/auth/oauth/token", [](const HttpRequest& req) {
      bool ok = req.is_form_urlencoded() && req.body.find("assertion=bound") != std::string::npos;
      return test::raw_answer(ok ? 200 : 400, ok ? R"({"access_token":"env"})" : "{}");
    });
    o.username = "alice";
    o.password = "pw";
    std::string token, error;
    CHECK(personal_token(o, &token, &error, {ca.path}));
    CHECK(token == "env");
    CHECK(error.empty());
  }
}
