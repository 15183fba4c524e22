#include <catch2/catch.hpp>

#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

TEST_CASE("app: discovery lists what works, with one issuer everywhere") {
  TestApp t;
  for (const char* path :
       {"/api/auth/.well-known/openid-configuration", "/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server/api/auth", "/api/auth/.well-known/oauth-authorization-server"}) {
    HttpResponse res = t.request("GET", path);
    REQUIRE(res.status == 200);
    JsonObject d = TestApp::parse(res.body);
    CHECK(*find_string(d, "issuer") == kIssuer);
    CHECK(*find_string(d, "token_endpoint") == std::string(kIssuer) + "/oauth/token");
    CHECK(*find_string(d, "jwks_uri") == std::string(kIssuer) + "/keys");
    CHECK(
        dump_json(d.at("grant_types_supported")) ==
        R"(["client_credentials","password","refresh_token","authorization_code","urn:ietf:params:oauth:grant-type:device_code"])");
    CHECK(dump_json(d.at("token_endpoint_auth_methods_supported")) ==
          R"(["client_secret_basic","client_secret_post","private_key_jwt","client_secret_jwt","none"])");
    CHECK(dump_json(d.at("introspection_endpoint_auth_methods_supported")) ==
          R"(["client_secret_basic","client_secret_post","private_key_jwt","client_secret_jwt"])");
    CHECK(*find_string(d, "introspection_endpoint") == std::string(kIssuer) + "/oauth/introspect");
    CHECK(*find_string(d, "revocation_endpoint") == std::string(kIssuer) + "/revoke");
    CHECK(*find_string(d, "userinfo_endpoint") == std::string(kIssuer) + "/userinfo");
    CHECK_THAT(dump_json(d.at("claims_supported")), Catch::Contains("\"group\""));
    CHECK(*find_string(d, "authorization_endpoint") == std::string(kIssuer) + "/authorize");
    CHECK(*find_string(d, "end_session_endpoint") == std::string(kIssuer) + "/end_session");
    CHECK(*find_string(d, "pushed_authorization_request_endpoint") == std::string(kIssuer) + "/par");
    CHECK(dump_json(d.at("response_types_supported")) == R"(["code"])");
    CHECK(dump_json(d.at("response_modes_supported")) == R"(["query","fragment","form_post"])");
    CHECK(dump_json(d.at("code_challenge_methods_supported")) == R"(["S256","plain"])");
    CHECK(dump_json(d.at("prompt_values_supported")) == R"(["none","login","consent","select_account"])");
    CHECK(d.at("authorization_response_iss_parameter_supported").get<bool>());
    CHECK(*find_string(d, "device_authorization_endpoint") == std::string(kIssuer) + "/device_authorization");
  }
  CHECK(t.request("POST", "/api/auth/.well-known/openid-configuration").status == 405);
}

TEST_CASE("app: with --browser-url, discovery's back-channel endpoints follow the request's Host") {
  // compose: the browser at localhost:8080, services at authemu:8080.
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
  // On a TLS listener the back channel is https too (it was http: a client following discovery
  // then spoke plain HTTP to the TLS port).
  HttpRequest tls_req;
  tls_req.method = "GET";
  tls_req.path = "/.well-known/openid-configuration";
  tls_req.headers = {{"Host", "authemu:8443"}};
  tls_req.tls = true;
  tls_req.local_port = 8443;
  JsonObject over_tls = TestApp::parse(t.app->handle(tls_req).body);
  CHECK(*find_string(over_tls, "token_endpoint") == "https://authemu:8443/api/auth/oauth/token");
  CHECK(*find_string(over_tls, "jwks_uri") == "https://authemu:8443/api/auth/keys");
  CHECK(*find_string(discovery({{"Host", "authemu:8080"}, {"X-Forwarded-Proto", "https"}}), "jwks_uri") ==
        "https://authemu:8080/api/auth/keys");
  // Tokens fetched on the back channel carry the browser's issuer.
  std::string token = t.access_token();
  CHECK(*find_string(jwt_claims(token), "iss") == "http://localhost:8080/api/auth");
}

TEST_CASE("app: JWKS with Cache-Control max-age") {
  TestApp t;
  HttpResponse res = t.request("GET", "/api/auth/keys");
  CHECK(res.status == 200);
  CHECK(*res.header("Cache-Control") == "public, max-age=300");
  CHECK(res.body == t.app->keys().jwks_json());
  CHECK(t.request("GET", "/keys").body == res.body);
}

TEST_CASE("app: CORS on the OAuth endpoints") {
  TestApp t;
  HttpResponse pre = t.request("OPTIONS", "/api/auth/oauth/token", "", {{"Origin", "http://localhost:3000"}});
  CHECK(pre.status == 204);
  CHECK(*pre.header("Access-Control-Allow-Origin") == "http://localhost:3000");
  CHECK(*pre.header("Access-Control-Allow-Methods") == "POST");
  CHECK(*pre.header("Vary") == "Origin");
  CHECK_FALSE(pre.header("Access-Control-Allow-Credentials")); // no client names that origin
  HttpResponse get = t.request("GET", "/api/auth/keys", "", {{"Origin", "http://x"}});
  CHECK(*get.header("Access-Control-Allow-Origin") == "http://x");
  CHECK_FALSE(get.header("Access-Control-Allow-Credentials"));
  CHECK_FALSE(t.request("GET", "/api/auth/keys").header("Access-Control-Allow-Origin"));
}

TEST_CASE("app: CORS credentials only for the origins of redirect URIs and --cors-origins") {
  AppSettings s;
  s.cors_origins = {"https://app.example"};
  TestApp t(s);
  auto preflight = [&](const std::string& origin, const std::string& path = "/api/auth/oauth/token") {
    return t.request("OPTIONS", path, "", {{"Origin", origin}});
  };
  auto credentials = [](const HttpResponse& res) {
    return res.header("Access-Control-Allow-Credentials").value_or("-");
  };

  SECTION("a listed origin, compared after normalising case and default port") {
    for (const char* origin : {"https://app.example", "https://APP.example:443", "HTTPS://app.example/"}) {
      INFO(origin);
      HttpResponse res = preflight(origin);
      CHECK(*res.header("Access-Control-Allow-Origin") == origin); // echoed as sent
      CHECK(credentials(res) == "true");
      CHECK(*res.header("Vary") == "Origin");
    }
    for (const char* origin : {"http://app.example", "https://app.example:8443", "https://evil.app.example",
                               "https://app.example.evil", "null", "https://app.example/path"}) {
      INFO(origin);
      HttpResponse res = preflight(origin);
      CHECK(*res.header("Access-Control-Allow-Origin") == origin);
      CHECK(credentials(res) == "-");
    }
    HttpResponse token = t.token("grant_type=client_credentials&client_id=testing&client_secret=testing",
                                 {{"Origin", "https://app.example"}});
    CHECK(token.status == 200);
    CHECK(credentials(token) == "true");
  }
  SECTION("the origins of the environment's clients' redirect URIs, while the client lasts") {
    Headers auth = bearer(t.access_token("grant_type=client_credentials&client_id=admin&client_secret=admin"));
    CHECK(credentials(preflight("http://localhost:3000")) == "-");
    REQUIRE(t.request("POST", "/api/auth/clients",
                      R"({"id":"spa2","redirectUris":["http://localhost:3000/callback","com.example.app:/cb"]})", auth)
                .status == 201);
    CHECK(credentials(preflight("http://localhost:3000")) == "true");
    CHECK(credentials(preflight("http://localhost:3001")) == "-");
    CHECK(credentials(t.request("GET", "/api/auth/keys", "", {{"Origin", "http://localhost:3000"}})) == "true");
    CHECK(credentials(t.request("GET", "/api/ledger/x", "", {{"Origin", "http://localhost:3000"}})) == "true");
    REQUIRE(
        t.request("PUT", "/api/auth/clients/spa2", R"({"redirectUris":["http://localhost:3001/cb"]})", auth).status ==
        200);
    CHECK(credentials(preflight("http://localhost:3000")) == "-");
    CHECK(credentials(preflight("http://localhost:3001")) == "true");
    REQUIRE(t.request("DELETE", "/api/auth/clients/spa2", "", auth).status == 204);
    CHECK(credentials(preflight("http://localhost:3001")) == "-");
  }
  SECTION("an injected fault answers with the same CORS headers") {
    REQUIRE(t.request("POST", "/_authemu/faults", R"({"endpoint":"jwks","status":503})").status == 201);
    HttpResponse res = t.request("GET", "/api/auth/keys", "", {{"Origin", "https://app.example"}});
    CHECK(res.status == 503);
    CHECK(*res.header("Access-Control-Allow-Origin") == "https://app.example");
    CHECK(credentials(res) == "true");
  }
}

TEST_CASE("app: CORS credentials from a fixture client's redirect URIs") {
  FakeClock clock(kStart);
  AppSettings s;
  s.environment.issuer = kIssuer;
  Fixture f = load_fixture("clients:\n  - {id: web, public: true, redirectUris: ['https://web.example:8443/cb']}\n",
                           "web.yaml", [](const std::string&) { return std::nullopt; });
  App app(s, std::move(f), test_key(), clock);
  HttpRequest req;
  req.method = "OPTIONS";
  req.path = "/api/auth/oauth/token";
  req.headers = {{"Origin", "https://web.example:8443"}};
  CHECK(app.handle(req).header("Access-Control-Allow-Credentials") == "true");
  req.headers = {{"Origin", "https://web.example"}};
  CHECK_FALSE(app.handle(req).header("Access-Control-Allow-Credentials"));
}

TEST_CASE("app: info and health") {
  TestApp t;
  CHECK(t.request("GET", "/api/auth/_info").body == R"({"debug":false,"version":"0.1.0"})");
  CHECK(t.request("GET", "/_healthcheck").body == R"({"Database":"OK"})");
  CHECK(t.request("GET", "/api/auth/healthz").body == R"({"status":"ok"})");
  CHECK(t.request("POST", "/api/auth/_info").status == 405);
  CHECK(t.request("GET", "/nothing/here").status == 404);
}

TEST_CASE("app: the stand-in protected API checks tokens as RFC 6750 says") {
  TestApp t;
  SECTION("a valid token: 200 describing it") {
    std::string token = t.access_token();
    HttpResponse res = t.request("GET", "/api/ledger/v2/accounts?x=1", "", bearer(token));
    REQUIRE(res.status == 200);
    JsonObject o = TestApp::parse(res.body);
    CHECK(*find_string(o, "service") == "ledger");
    CHECK(*find_string(o, "path") == "/v2/accounts");
    JsonObject tok = o.at("token").get<JsonObject>();
    CHECK(*find_string(tok, "sub") == "testing");
    CHECK(*find_string(tok, "client_id") == "testing");
    CHECK(*find_int(tok, "exp") == kStart + 3600);
    CHECK(*find_int(tok, "expires_in") == 3600);
  }
  SECTION("no token: 401 without an error attribute") {
    HttpResponse res = t.request("GET", "/api/ledger/v2/accounts");
    CHECK(res.status == 401);
    CHECK(*res.header("WWW-Authenticate") == "Bearer realm=\"authemu\", resource_metadata=\"http://localhost/.well-known/oauth-protected-resource/api/ledger\", DPoP algs=\"RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512\"");
  }
  SECTION("a Basic header is no bearer token") {
    CHECK(t.request("GET", "/api/ledger/x", "", basic("a", "b")).status == 401);
  }
  SECTION("malformed header: 400 invalid_request") {
    HttpResponse res = t.request("GET", "/api/ledger/x", "", {{"Authorization", "Bearer a b"}});
    CHECK(res.status == 400);
    CHECK_THAT(*res.header("WWW-Authenticate"), Catch::Contains("error=\"invalid_request\""));
  }
  SECTION("expired, tampered or garbage: 401 invalid_token with the reason") {
    std::string token = t.access_token();
    std::string tampered = token;
    tampered[tampered.size() - 10] = tampered[tampered.size() - 10] == 'A' ? 'B' : 'A';
    HttpResponse bad = t.request("GET", "/api/ledger/x", "", bearer(tampered));
    CHECK(bad.status == 401);
    CHECK(*bad.header("WWW-Authenticate") ==
          "Bearer realm=\"authemu\", error=\"invalid_token\", error_description=\"JWT signature is invalid\", resource_metadata=\"http://localhost/.well-known/oauth-protected-resource/api/ledger\", DPoP algs=\"RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512\"");
    CHECK(t.request("GET", "/api/ledger/x", "", bearer("garbage")).status == 401);
    t.clock.advance(3599);
    CHECK(t.request("GET", "/api/ledger/x", "", bearer(token)).status == 200);
    t.clock.advance(1);
    HttpResponse expired = t.request("GET", "/api/ledger/x", "", bearer(token));
    CHECK(expired.status == 401);
    CHECK_THAT(*expired.header("WWW-Authenticate"), Catch::Contains("error_description=\"JWT expired\""));
  }
  SECTION("scope checks: <service>:read for reads, <service>:write otherwise") {
    AppSettings s;
    s.environment.check_scopes = true;
    TestApp sc(s);
    std::string read =
        sc.access_token("grant_type=client_credentials&client_id=admin&client_secret=admin&scope=ledger:read");
    CHECK(sc.request("GET", "/api/ledger/x", "", bearer(read)).status == 200);
    HttpResponse denied = sc.request("POST", "/api/ledger/x", "", bearer(read));
    CHECK(denied.status == 403);
    CHECK(*denied.header("WWW-Authenticate") ==
          "Bearer realm=\"authemu\", error=\"insufficient_scope\", error_description=\"the token lacks scope "
          "ledger:write\", scope=\"ledger:write\"");
    CHECK(sc.request("GET", "/api/payments/x", "", bearer(read)).status == 403);
    std::string write =
        sc.access_token("grant_type=client_credentials&client_id=admin&client_secret=admin&scope=ledger:write");
    CHECK(sc.request("DELETE", "/api/ledger/x", "", bearer(write)).status == 200);
    CHECK(sc.request("GET", "/api/ledger/x", "", bearer(write)).status == 200);
  }
}

TEST_CASE("app: transport errors keep each endpoint's error shape") {
  TestApp t;
  HttpResponse oauth = t.app->transport_error("/api/auth/oauth/token", 413);
  CHECK(oauth.status == 413);
  CHECK(oauth.body == R"({"error":"invalid_request","error_description":"request body too large"})");
  CHECK(*oauth.header("Cache-Control") == "no-store");
  HttpResponse mgmt = t.app->transport_error("/api/auth/clients", 413);
  CHECK(mgmt.body == R"({"errorCode":"VALIDATION","errorMessage":"request body too large"})");
}

TEST_CASE("app: one form Content-Type rule: case, parameters and spaces around the media type ignored") {
  TestApp t;
  const std::string form = "grant_type=client_credentials&client_id=testing&client_secret=testing";
  for (const char* type : {"application/x-www-form-urlencoded", "application/x-www-form-urlencoded ",
                           "application/x-www-form-urlencoded ; charset=UTF-8", "Application/X-WWW-Form-URLEncoded",
                           " application/x-www-form-urlencoded;charset=utf-8"}) {
    INFO(type);
    CHECK(t.token(form, {{"Content-Type", type}}).status == 200);
    // The journal reads the client of the same request by the same rule.
    JsonObject journal = TestApp::parse(t.request("GET", "/_authemu/journal").body);
    CHECK(find_string(journal.at("entries").get<JsonArray>().back().get<JsonObject>(), "client_id") == "testing");
    // So does userinfo for a token sent in the body (RFC 6750 §2.2).
    std::string user_token = *find_string(
        TestApp::parse(t.token("grant_type=password&client_id=testing&client_secret=testing&username=alice&"
                               "password=alice&scope=openid")
                           .body),
        "access_token");
    CHECK(t.request("POST", "/api/auth/userinfo", "access_token=" + user_token, {{"Content-Type", type}}).status ==
          200);
  }
  for (const char* type : {"text/plain", "application/json", "application/x-www-form-urlencodedx"}) {
    INFO(type);
    HttpResponse res = t.token(form, {{"Content-Type", type}});
    CHECK(res.status == 400);
    CHECK(
        res.body ==
        R"({"error":"invalid_request","error_description":"Content-Type must be application/x-www-form-urlencoded"})");
  }
}

TEST_CASE("app: GET /_authemu/ca.pem serves the TLS CA, 404 without one") {
  SECTION("with a CA") {
    AppSettings settings;
    settings.tls_ca_pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    TestApp t(settings);
    HttpResponse res = t.request("GET", "/_authemu/ca.pem");
    CHECK(res.status == 200);
    CHECK(*res.header("Content-Type") == "application/x-pem-file");
    CHECK(res.body == settings.tls_ca_pem);
  }
  SECTION("without TLS") {
    TestApp t;
    HttpResponse res = t.request("GET", "/_authemu/ca.pem");
    CHECK(res.status == 404);
    CHECK_THAT(res.body, Catch::Contains("no CA: the server was started without TLS"));
  }
}

TEST_CASE("app: --access-token-type JWT types access tokens as Formance does, and still refuses ID tokens") {
  auto mint = [](TestApp& t, const std::string& body) {
    HttpResponse r = t.request("POST", "/_authemu/mint", body, {{"Content-Type", "application/json"}});
    REQUIRE(r.status == 200);
    return *find_string(TestApp::parse(r.body), "access_token");
  };
  auto id_token = [](TestApp& t) {
    JsonObject r = TestApp::parse(t.token("grant_type=password&client_id=testing&client_secret=testing&"
                                          "username=alice&password=alice&scope=openid")
                                      .body);
    return *find_string(r, "id_token");
  };
  SECTION("JWT: issued, minted and accepted typed JWT; an ID token is still no access token") {
    AppSettings s;
    s.environment.tokens.access_token_type = "JWT";
    TestApp t(s);
    std::string token = t.access_token();
    CHECK(*find_string(jwt_header(token), "typ") == "JWT");
    CHECK(t.request("GET", "/api/ledger/x", "", bearer(token)).status == 200);
    CHECK(t.request("GET", "/api/auth/userinfo", "", bearer(t.access_token("grant_type=password&client_id=testing&"
                                                                            "client_secret=testing&username=alice&"
                                                                            "password=alice&scope=openid")))
              .status == 200);
    JsonObject intro = TestApp::parse(
        t.request("POST", "/api/auth/oauth/introspect", "token=" + token, basic("testing", "testing")).body);
    CHECK(intro.at("active").get<bool>());
    std::string minted = mint(t, "{}");
    CHECK(*find_string(jwt_header(minted), "typ") == "JWT");
    CHECK(t.request("GET", "/api/ledger/x", "", bearer(minted)).status == 200);
    // The explainer calls it an access token, and still calls the ID token one.
    auto typ_reason = [&](const std::string& jwt) {
      JsonObject e = TestApp::parse(t.request("POST", "/_authemu/explain", R"({"token":")" + jwt + R"("})",
                                              {{"Content-Type", "application/json"}})
                                        .body);
      for (const auto& c : e.at("checks").get<JsonArray>())
        if (*find_string(c.get<JsonObject>(), "check") == "typ") return *find_string(c.get<JsonObject>(), "reason");
      return std::string("none");
    };
    CHECK(typ_reason(minted) == "access_token");
    CHECK(typ_reason(id_token(t)) == "id_token");
    // An ID token is typed JWT too, but has azp and neither client_id nor scope.
    std::string id = id_token(t);
    CHECK(*find_string(jwt_header(id), "typ") == "JWT");
    HttpResponse refused = t.request("GET", "/api/ledger/x", "", bearer(id));
    CHECK(refused.status == 401);
    CHECK_THAT(*refused.header("WWW-Authenticate"), Catch::Contains("is not at+jwt: not an access token"));
    // Nor does an access-token-shaped JWT with an ID token's azp pass.
    CHECK(t.request("GET", "/api/ledger/x", "", bearer(mint(t, R"({"claims":{"azp":"testing"}})"))).status == 401);
  }
  SECTION("the default, at+jwt: a token typed JWT is refused as an access token") {
    TestApp t;
    CHECK(*find_string(jwt_header(t.access_token()), "typ") == "at+jwt");
    CHECK(t.request("GET", "/api/ledger/x", "", bearer(mint(t, R"({"typ":"JWT"})"))).status == 401);
    CHECK(t.request("GET", "/api/ledger/x", "", bearer(id_token(t))).status == 401);
  }
}
