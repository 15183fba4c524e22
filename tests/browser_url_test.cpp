// --browser-url: the issuer is where browsers reach the server; discovery's back-channel endpoints
// follow the Host a service used (compose: the browser at localhost:8080, services at authemu:8080).
#include <catch2/catch.hpp>

#include "cli/startup.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

TEST_CASE("browser_url: the issuer on the browser's origin, back channels on the request's Host") {
  Options o;
  o.browser_url = "http://localhost:8080/";
  CHECK(derive_issuer(o, "0.0.0.0", 8080) == "http://localhost:8080/api/auth");
  o.base_url = "https://id.example/api/auth";
  CHECK(derive_issuer(o, "0.0.0.0", 8080) == "https://id.example/api/auth"); // --base-url wins
  o.base_url.clear();
  o.browser_url = "http://localhost:8080/app";
  CHECK_THROWS_WITH(derive_issuer(o, "0.0.0.0", 8080), Catch::StartsWith("--browser-url: expected an origin"));

  AppSettings s;
  s.environment.issuer = "http://localhost:8080/api/auth";
  s.back_channel_by_host = true;
  TestApp t(s);
  auto discovery = [&](Headers h) {
    return TestApp::parse(t.request("GET", "/.well-known/openid-configuration", "", std::move(h)).body);
  };
  JsonObject d = discovery({{"Host", "authemu:8080"}});
  CHECK(*find_string(d, "issuer") == "http://localhost:8080/api/auth");
  CHECK(*find_string(d, "authorization_endpoint") == "http://localhost:8080/api/auth/authorize");
  CHECK(*find_string(d, "end_session_endpoint") == "http://localhost:8080/api/auth/end_session");
  CHECK(*find_string(d, "token_endpoint") == "http://authemu:8080/api/auth/oauth/token");
  CHECK(*find_string(d, "jwks_uri") == "http://authemu:8080/api/auth/keys");
  CHECK(*find_string(d, "userinfo_endpoint") == "http://authemu:8080/api/auth/userinfo");
  CHECK(*find_string(d, "introspection_endpoint") == "http://authemu:8080/api/auth/oauth/introspect");
  CHECK(*find_string(d, "revocation_endpoint") == "http://authemu:8080/api/auth/revoke");
  // A malformed Host falls back to the issuer.
  CHECK(*find_string(discovery({{"Host", "bad host/"}}), "token_endpoint") ==
        "http://localhost:8080/api/auth/oauth/token");
  // Tokens fetched on the back channel carry the browser's issuer.
  std::string token = t.access_token();
  CHECK(*find_string(jwt_claims(token), "iss") == "http://localhost:8080/api/auth");
}
