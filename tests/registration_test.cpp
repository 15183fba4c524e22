// Registration (RFC 7591/7592), resource indicators (RFC 8707), plain OAuth 2.0 authorization
// requests, protected resource metadata (RFC 9728) and the stand-in's audience rule, through the App.
#include <catch2/catch.hpp>

#include "oauth/client_documents.h"
#include "oauth/oauth_error.h"
#include "oauth/registration.h"
#include "sign_in_support.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

HttpResponse reg(TestApp& t, const std::string& json, Headers h = {}) {
  h.emplace_back("Content-Type", "application/json");
  return t.request("POST", "/api/auth/register", json, std::move(h));
}

std::string error_of(const HttpResponse& r) {
  return *find_string(TestApp::parse(r.body), "error") + ": " + *find_string(TestApp::parse(r.body), "error_description");
}

std::string refusal(const std::string& json) {
  try {
    client_from_metadata(TestApp::parse(json), "c");
    return "accepted";
  } catch (const OAuthError& e) {
    return e.code() + ": " + e.description();
  }
}

} // namespace

TEST_CASE("registration: metadata defaults and each refusal (RFC 7591 sections 2, 3.2.2)") {
  Client c = client_from_metadata(TestApp::parse(R"({"redirect_uris":["https://a.example/cb"],"x":1})"), "c");
  CHECK(*c.grant_types == std::vector<std::string>{"authorization_code"});
  CHECK(c.token_endpoint_auth_method == std::optional<std::string>("client_secret_basic"));
  CHECK(gets_client_secret(c));
  CHECK(c.any_scope);
  CHECK(c.registered);
  CHECK_FALSE(c.metadata_document->get<JsonObject>().count("x")); // unknown metadata is ignored
  CHECK(dump_json(c.metadata_document->get<JsonObject>().at("response_types")) == R"(["code"])");
  Client m = client_from_metadata(TestApp::parse(R"({"grant_types":["client_credentials"],"scope":"a b"})"), "m");
  CHECK(dump_json(m.metadata_document->get<JsonObject>().at("response_types")) == "[]");
  CHECK(m.scopes == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(m.any_scope);
  Client native = client_from_metadata(
      TestApp::parse(R"({"redirect_uris":["com.example.app:/cb","http://127.0.0.1:4000/cb","http://localhost/cb"],
                         "token_endpoint_auth_method":"none"})"),
      "n");
  CHECK(native.is_public);
  CHECK_FALSE(gets_client_secret(native));

  CHECK(refusal(R"({})") == "invalid_redirect_uri: redirect_uris: required with the authorization_code grant");
  CHECK(refusal(R"({"redirect_uris":["http://a.example/cb"]})") ==
        "invalid_redirect_uri: redirect_uris[0]: http://a.example/cb: http is for loopback hosts only (127.0.0.1, "
        "[::1], localhost; RFC 8252 section 7.3); use https");
  CHECK(refusal(R"({"redirect_uris":["https://a.example/cb#x"]})") ==
        "invalid_redirect_uri: redirect_uris[0]: https://a.example/cb#x has a fragment");
  CHECK(refusal(R"({"redirect_uris":["/cb"]})") == "invalid_redirect_uri: redirect_uris[0]: /cb is not an absolute URI");
  CHECK(refusal(R"({"redirect_uris":["javascript:x"]})") ==
        "invalid_redirect_uri: redirect_uris[0]: javascript:x: the javascript scheme cannot receive a code");
  CHECK(refusal(R"({"redirect_uris":"https://a.example/cb"})") == "invalid_redirect_uri: redirect_uris: expected an array of strings");
  CHECK(refusal(R"({"grant_types":["implicit"]})").rfind("invalid_client_metadata: grant_types: implicit is not supported", 0) == 0);
  CHECK(refusal(R"({"grant_types":["client_credentials"],"response_types":["code"]})") ==
        "invalid_client_metadata: grant_types: response type code needs the authorization_code grant");
  CHECK(refusal(R"({"redirect_uris":["https://a.example/cb"],"response_types":[]})") ==
        "invalid_client_metadata: response_types: the authorization_code grant goes with response type code");
  CHECK(refusal(R"({"grant_types":["client_credentials"],"token_endpoint_auth_method":"none"})") ==
        "invalid_client_metadata: grant_types: client_credentials needs a confidential client (not "
        "token_endpoint_auth_method none)");
  CHECK(refusal(R"({"grant_types":["client_credentials"],"token_endpoint_auth_method":"private_key_jwt"})") ==
        "invalid_client_metadata: token_endpoint_auth_method: private_key_jwt needs jwks or jwks_uri (the keys of its "
        "assertions)");
  CHECK(refusal(R"({"grant_types":["client_credentials"],"jwks_uri":"ftp://k"})") ==
        "invalid_client_metadata: jwks_uri: expected an absolute http or https URL");
  CHECK(refusal(R"({"grant_types":["client_credentials"],"client_name":7})") == "invalid_client_metadata: client_name: expected a string");
  // authemu's client claims (an FTL machine client's role and name), reserved ones refused.
  Client ftl = client_from_metadata(
      TestApp::parse(R"({"grant_types":["client_credentials"],"groups":["ftl"],"username":"svc","claims":{"tier":"gold"}})"), "f");
  CHECK(ftl.groups == std::vector<std::string>{"ftl"});
  CHECK(ftl.username == std::optional<std::string>("svc"));
  CHECK(refusal(R"({"grant_types":["client_credentials"],"claims":{"iss":"x"}})").rfind("invalid_client_metadata: claims.iss: reserved", 0) == 0);
  std::string many = "[";
  for (int i = 0; i < 21; ++i) many += std::string(i ? "," : "") + "\"https://a.example/" + std::to_string(i) + "\"";
  CHECK(refusal(R"({"redirect_uris":)" + many + "]}") == "invalid_redirect_uri: redirect_uris: more than 20 entries");
}

TEST_CASE("registration: /register answers 201, RFC 7592 reads, replaces and deletes with its token") {
  TestApp t;
  HttpResponse r = reg(t, R"({"redirect_uris":["https://a.example/cb"],"client_name":"A"})");
  REQUIRE(r.status == 201);
  CHECK(r.header("Cache-Control") == "no-store");
  JsonObject o = TestApp::parse(r.body);
  std::string id = *find_string(o, "client_id"), token = *find_string(o, "registration_access_token");
  CHECK(find_int(o, "client_secret_expires_at") == 0);
  CHECK(find_int(o, "client_id_issued_at") == kStart);
  CHECK(*find_string(o, "registration_client_uri") == std::string(kIssuer) + "/register/" + id);
  // The secret works at the token endpoint (the code grant's client; introspection takes it).
  std::string secret = *find_string(o, "client_secret");
  CHECK(t.request("POST", "/api/auth/oauth/introspect", "token=x", basic(id, secret)).status == 200);
  Headers auth{{"Authorization", "Bearer " + token}};
  CHECK(t.request("GET", "/api/auth/register/" + id, "", auth).status == 200);
  CHECK(t.request("GET", "/api/auth/register/" + id, "", bearer("x")).status == 401);
  CHECK(t.request("GET", "/api/auth/register/" + id).status == 401);
  Headers json = auth;
  json.emplace_back("Content-Type", "application/json");
  CHECK(error_of(t.request("PUT", "/api/auth/register/" + id, R"({"client_id":"other","redirect_uris":["https://a.example/cb"]})", json)) ==
        "invalid_client_metadata: client_id: must be " + id + " (RFC 7592 section 2.2)");
  CHECK(error_of(t.request("PUT", "/api/auth/register/" + id,
                           R"({"client_id":")" + id + R"(","redirect_uris":["https://a.example/cb"],"client_id_issued_at":1})", json)) ==
        "invalid_client_metadata: client_id_issued_at: the server's member, not sent on update (RFC 7592 section 2.2)");
  HttpResponse put = t.request("PUT", "/api/auth/register/" + id, R"({"client_id":")" + id + R"(","redirect_uris":["https://b.example/cb"]})", json);
  CHECK(put.status == 200);
  CHECK(t.app->find_environment("")->clients().find(id)->redirect_uris == std::vector<std::string>{"https://b.example/cb"});
  CHECK(t.request("POST", "/api/auth/oauth/introspect", "token=x", basic(id, secret)).status == 200); // secret kept
  CHECK(t.request("DELETE", "/api/auth/register/" + id, "", auth).status == 204);
  CHECK(t.request("GET", "/api/auth/register/" + id, "", auth).status == 401);
  CHECK(error_of(reg(t, "[1]")) == "invalid_client_metadata: body must be a JSON object");
  CHECK(error_of(t.request("POST", "/api/auth/register", "{}", {{"Content-Type", "text/plain"}})) ==
        "invalid_client_metadata: Content-Type must be application/json (RFC 7591 section 3.1)");
  CHECK(error_of(reg(t, std::string(kMaxRegistrationBytes + 1, ' '))) == "invalid_client_metadata: metadata larger than 16384 bytes");
}

TEST_CASE("registration: a flood stops at the client cap, named in the refusal; reset removes them") {
  TestApp t;
  const std::string body = R"({"grant_types":["client_credentials"],"token_endpoint_auth_method":"none"})";
  // none with client_credentials is refused: make them confidential-free code clients instead.
  const std::string code = R"({"redirect_uris":["https://a.example/cb"],"token_endpoint_auth_method":"none"})";
  int created = 0;
  for (size_t i = 0; i < kMaxDynamicClients; ++i) created += reg(t, code).status == 201;
  CHECK(created == static_cast<int>(kMaxDynamicClients));
  HttpResponse full = reg(t, code);
  CHECK(full.status == 400);
  CHECK(error_of(full) == "invalid_client_metadata: environment default holds 10000 dynamic clients already (the cap): "
                          "delete some, or reset");
  CHECK(reg(t, body).status == 400);
  CHECK(t.request("POST", "/_authemu/reset", "", {{"Content-Type", "application/json"}}).status == 200);
  CHECK(reg(t, code).status == 201);
}

TEST_CASE("registration: at most kMaxInitialAccessTokens issued initial tokens are kept, the oldest dropped first") {
  TestApp t;
  Environment& env = *t.app->find_environment("");
  std::string first = env.issue_initial_access_token();
  CHECK(env.accepts_initial_access_token(first));
  std::string last;
  for (size_t i = 0; i < kMaxInitialAccessTokens; ++i) last = env.issue_initial_access_token();
  CHECK_FALSE(env.accepts_initial_access_token(first));
  CHECK(env.accepts_initial_access_token(last));
  CHECK_FALSE(env.accepts_initial_access_token(""));
  env.reset();
  CHECK_FALSE(env.accepts_initial_access_token(last));
}

TEST_CASE("registration: the policy (open, token, off) and the discovery it shows") {
  SECTION("off: 404, and no registration_endpoint") {
    AppSettings s;
    s.environment.registration = "off";
    TestApp t(s);
    CHECK(reg(t, "{}").status == 404);
    CHECK_FALSE(TestApp::parse(t.request("GET", "/api/auth/.well-known/openid-configuration").body).count("registration_endpoint"));
  }
  SECTION("token: the configured initial access token, or one the admin API issued") {
    AppSettings s;
    s.environment.registration = "token";
    s.environment.registration_token = "initial-token";
    TestApp t(s);
    const std::string body = R"({"grant_types":["client_credentials"]})";
    CHECK(reg(t, body).status == 401);
    CHECK(reg(t, body, bearer("wrong")).status == 401);
    CHECK(reg(t, body, bearer("initial-token")).status == 201);
    HttpResponse issued = t.request("POST", "/_authemu/registration-tokens", "{}", {{"Content-Type", "application/json"}});
    REQUIRE(issued.status == 201);
    CHECK(reg(t, body, bearer(*find_string(TestApp::parse(issued.body), "token"))).status == 201);
  }
  SECTION("open: discovery names the endpoint") {
    TestApp t;
    CHECK(*find_string(TestApp::parse(t.request("GET", "/api/auth/.well-known/openid-configuration").body),
                       "registration_endpoint") == std::string(kIssuer) + "/register");
    // RFC 8414 §3.1 and OpenID's document at the path-insertion URLs, the same as the issuer's.
    CHECK(t.request("GET", "/.well-known/openid-configuration/api/auth").body ==
          t.request("GET", "/api/auth/.well-known/openid-configuration").body);
  }
}

TEST_CASE("resource indicators: aud is the resources, verbatim; refused ones are invalid_target (RFC 8707)") {
  TestApp t;
  auto aud_of = [&](const std::string& form) {
    HttpResponse r = t.token("grant_type=client_credentials&client_id=testing&client_secret=testing" + form);
    return r.status == 200 ? dump_json(jwt_claims(*find_string(TestApp::parse(r.body), "access_token")).at("aud"))
                           : error_of(r);
  };
  CHECK(aud_of("&resource=https%3A%2F%2Fapi.example%2F&resource=urn%3Aexample%3Aledger") ==
        R"(["https://api.example/","urn:example:ledger"])");
  CHECK(aud_of("") == R"(["testing"])");
  CHECK(aud_of("&resource=relative%2Fpath") == "invalid_target: resource relative/path is not an absolute URI (RFC 8707 section 2)");
  CHECK(aud_of("&resource=https%3A%2F%2Fa.example%2F%23frag") ==
        "invalid_target: resource https://a.example/#frag has a fragment (RFC 8707 section 2)");
  SECTION("password and refresh: a refresh narrows, never widens") {
    HttpResponse r = t.token("grant_type=password&client_id=testing&client_secret=testing&username=alice&password=alice"
                             "&scope=offline_access&resource=https%3A%2F%2Fa.example&resource=https%3A%2F%2Fb.example");
    REQUIRE(r.status == 200);
    std::string refresh = *find_string(TestApp::parse(r.body), "refresh_token");
    HttpResponse narrowed = t.token("grant_type=refresh_token&client_id=testing&client_secret=testing&refresh_token=" + refresh +
                                    "&resource=https%3A%2F%2Fb.example");
    REQUIRE(narrowed.status == 200);
    CHECK(dump_json(jwt_claims(*find_string(TestApp::parse(narrowed.body), "access_token")).at("aud")) == R"(["https://b.example"])");
    std::string next = *find_string(TestApp::parse(narrowed.body), "refresh_token");
    HttpResponse wider = t.token("grant_type=refresh_token&client_id=testing&client_secret=testing&refresh_token=" + next +
                                 "&resource=https%3A%2F%2Fc.example");
    CHECK(error_of(wider) == "invalid_target: resource https://c.example was not granted; a token request may narrow the "
                             "resources, not widen them (RFC 8707 section 2.2)");
  }
}

TEST_CASE("stand-in: RFC 9728 metadata, resource_metadata on 401s, and tokens for another resource refused") {
  TestApp t;
  HttpResponse prm = t.request("GET", "/.well-known/oauth-protected-resource/api/ledger");
  REQUIRE(prm.status == 200);
  JsonObject p = TestApp::parse(prm.body);
  CHECK(*find_string(p, "resource") == "http://localhost/api/ledger");
  CHECK(dump_json(p.at("authorization_servers")) == "[\"" + std::string(kIssuer) + "\"]");
  CHECK(dump_json(p.at("scopes_supported")) == R"(["ledger:read","ledger:write"])");
  CHECK(t.request("GET", "/api/ledger/.well-known/oauth-protected-resource").body == prm.body);
  CHECK(*find_string(TestApp::parse(t.request("GET", "/.well-known/oauth-protected-resource/api/ledger/v2").body),
                     "resource") == "http://localhost/api/ledger/v2");
  auto status_with = [&](const std::string& form) {
    HttpResponse r = t.token("grant_type=client_credentials&client_id=testing&client_secret=testing" + form);
    std::string at = *find_string(TestApp::parse(r.body), "access_token");
    return t.request("GET", "/api/ledger/v2", "", bearer(at));
  };
  CHECK(status_with("&resource=http%3A%2F%2Flocalhost%2Fapi%2Fledger").status == 200);
  CHECK(status_with("").status == 200); // aud [testing]: not a URL
  HttpResponse other = status_with("&resource=https%3A%2F%2Fmcp.example%2Fmcp");
  CHECK(other.status == 401);
  CHECK_THAT(*find_string(TestApp::parse(other.body), "error_description"),
             Catch::Contains("the token is for another resource (aud https://mcp.example/mcp)"));
  CHECK_THAT(*other.header("WWW-Authenticate"),
             Catch::Contains("resource_metadata=\"http://localhost/.well-known/oauth-protected-resource/api/ledger\""));
}

TEST_CASE("authorize: registered clients may leave out openid; fixture clients keep Formance's rule; requirePkce") {
  Browser b;
  CHECK(Browser::answer(b.authorize("client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=ledger:read"),
                        "error") == "invalid_scope");
  HttpResponse r = b.send("POST", "/api/auth/register",
                          R"({"redirect_uris":["https://mcp-client.example/cb"],"token_endpoint_auth_method":"none"})",
                          {{"Content-Type", "application/json"}}, false);
  REQUIRE(r.status == 201);
  std::string id = *find_string(TestApp::parse(r.body), "client_id");
  HttpResponse page = b.authorize("client_id=" + id + "&redirect_uri=https%3A%2F%2Fmcp-client.example%2Fcb&response_type=code"
                                  "&scope=mcp%3Atools&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
                                  "&code_challenge_method=S256&resource=https%3A%2F%2Fmcp.example%2Fmcp");
  CHECK(page.status == 200); // the login page: no invalid_scope
  SECTION("requirePkce") {
    AppSettings s;
    s.environment.require_pkce = true;
    Browser strict(s);
    CHECK(Browser::answer(strict.authorize(kWebQuery), "error_description") ==
          "code_challenge required: this environment requires PKCE of every client (requirePkce)");
  }
}

TEST_CASE("client documents: which client_ids are document URLs") {
  CHECK(is_client_document_url("https://app.example/client.json", false));
  CHECK_FALSE(is_client_document_url("https://app.example", false)); // a path is required
  CHECK_FALSE(is_client_document_url("https://app.example/", false));
  CHECK_FALSE(is_client_document_url("https://app.example/c#f", false));
  CHECK_FALSE(is_client_document_url("http://app.example/c.json", true)); // http: loopback only
  CHECK(is_client_document_url("http://127.0.0.1:9/c.json", true));
  CHECK_FALSE(is_client_document_url("http://127.0.0.1:9/c.json", false));
  CHECK_FALSE(is_client_document_url("testing", true));
  ClientStore clients({});
  FakeClock clock(kStart);
  CHECK_THROWS_WITH(resolve_client_document(clients, nullptr, clock, "http://localhost/c.json", false),
                    "client_id http://localhost/c.json is a metadata document at an http URL: start authemu with "
                    "--allow-http-metadata to accept those of loopback hosts");
  CHECK_THROWS_WITH(resolve_client_document(clients, nullptr, clock, "https://app.example/c.json", false),
                    "client metadata document https://app.example/c.json cannot be fetched: this server reaches no other server");
  CHECK(resolve_client_document(clients, nullptr, clock, "testing", false) == nullptr);
}
