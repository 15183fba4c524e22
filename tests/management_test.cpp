#include <catch2/catch.hpp>

#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {
JsonObject data_of(const HttpResponse& res) {
  return TestApp::parse(res.body).at("data").get<JsonObject>();
}
JsonArray list_of(const HttpResponse& res) {
  return TestApp::parse(res.body).at("data").get<JsonArray>();
}
} // namespace

TEST_CASE("management: authentication of callers (go-libs auth)") {
  TestApp t;
  SECTION("no token, a bad token, an expired token: 401 with an empty body") {
    HttpResponse none = t.request("GET", "/api/auth/clients");
    CHECK(none.status == 401);
    CHECK(none.body.empty());
    CHECK(*none.header("WWW-Authenticate") == "Bearer realm=\"authemu\", DPoP algs=\"RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512\"");
    HttpResponse bad = t.request("GET", "/api/auth/clients", "", bearer("not.a.jwt"));
    CHECK(bad.status == 401);
    CHECK(bad.body.empty());
    CHECK_THAT(*bad.header("WWW-Authenticate"), Catch::Contains("error=\"invalid_token\""));
    std::string token = t.access_token();
    t.clock.advance(3600);
    CHECK(t.request("GET", "/api/auth/clients", "", bearer(token)).status == 401);
  }
  SECTION("lower-case bearer scheme is accepted") {
    CHECK(t.request("GET", "/api/auth/clients", "", {{"Authorization", "bearer " + t.access_token()}}).status == 200);
  }
  SECTION("a token from another issuer is refused") {
    AppSettings s;
    s.environment.issuer = "http://other/api/auth";
    TestApp other(s);
    CHECK(t.request("GET", "/api/auth/clients", "", bearer(other.access_token())).status == 401);
  }
  SECTION("--auth-issuers trusts more issuers") {
    AppSettings s;
    s.environment.extra_issuers = {"http://other/api/auth"};
    TestApp t2(s);
    AppSettings o;
    o.environment.issuer = "http://other/api/auth";
    TestApp other(o);
    CHECK(t2.request("GET", "/api/auth/clients", "", bearer(other.access_token())).status == 200);
  }
}

TEST_CASE("management: scope checks with --auth-check-scopes") {
  AppSettings s;
  s.environment.check_scopes = true;
  TestApp t(s);
  std::string none = t.access_token();
  HttpResponse denied = t.request("GET", "/api/auth/clients", "", bearer(none));
  CHECK(denied.status == 401); // Formance answers 401, never 403
  CHECK(denied.body.empty());
  CHECK_THAT(*denied.header("WWW-Authenticate"), Catch::Contains("error=\"insufficient_scope\", scope=\"auth:read\""));
  std::string read =
      t.access_token("grant_type=client_credentials&client_id=admin&client_secret=admin&scope=auth:read");
  CHECK(t.request("GET", "/api/auth/clients", "", bearer(read)).status == 200);
  HttpResponse write_denied = t.request("POST", "/api/auth/clients", R"({"name":"x"})", bearer(read));
  CHECK(write_denied.status == 401);
  CHECK_THAT(*write_denied.header("WWW-Authenticate"), Catch::Contains("scope=\"auth:write\""));
  CHECK(t.request("GET", "/api/auth/clients", "", bearer(read)).body == "{\"data\":[]}");
  std::string write =
      t.access_token("grant_type=client_credentials&client_id=admin&client_secret=admin&scope=auth:write");
  CHECK(t.request("POST", "/api/auth/clients", R"({"name":"x"})", bearer(write)).status == 201);
  CHECK(t.request("GET", "/api/auth/clients", "", bearer(write)).status == 200); // write implies read
}

TEST_CASE("management: client lifecycle with Formance shapes and status codes") {
  TestApp t;
  Headers auth = bearer(t.access_token());
  CHECK(t.request("GET", "/api/auth/clients", "", auth).body == "{\"data\":[]}"); // static clients are not listed

  HttpResponse created =
      t.request("POST", "/api/auth/clients",
                R"({"id":"app1","name":"App","scopes":["ledger:read"],"metadata":{"k":"v"},"unknown":1})", auth);
  REQUIRE(created.status == 201);
  JsonObject c = data_of(created);
  CHECK(*find_string(c, "id") == "app1");
  CHECK(*find_string(c, "name") == "App");
  CHECK(*find_string(c, "description") == "");
  CHECK(c.at("public").get<bool>() == false);
  CHECK(c.at("trusted").get<bool>() == false);
  CHECK(c.at("redirectUris").get<JsonArray>().empty());
  CHECK(c.at("secrets").get<JsonArray>().empty());
  CHECK(c.at("metadata").get<JsonObject>().at("k").get<std::string>() == "v");

  SECTION("create without id generates a UUID") {
    HttpResponse r = t.request("POST", "/clients", R"({"name":"n"})", auth);
    REQUIRE(r.status == 201);
    CHECK(find_string(data_of(r), "id")->size() == 36);
    CHECK(list_of(t.request("GET", "/clients", "", auth)).size() == 2);
  }
  SECTION("a taken id is 409 CONFLICT, the static ones included") {
    HttpResponse r = t.request("POST", "/api/auth/clients", R"({"id":"app1"})", auth);
    CHECK(r.status == 409);
    CHECK(r.body == R"({"errorCode":"CONFLICT","errorMessage":"client app1 already exists"})");
    CHECK(t.request("POST", "/api/auth/clients", R"({"id":"testing"})", auth).status == 409);
  }
  SECTION("read, full-replace update, idempotent delete") {
    CHECK(*find_string(data_of(t.request("GET", "/api/auth/clients/app1", "", auth)), "name") == "App");
    HttpResponse u =
        t.request("PUT", "/api/auth/clients/app1", R"({"id":"ignored","name":"Renamed","public":true})", auth);
    REQUIRE(u.status == 200);
    JsonObject uc = data_of(u);
    CHECK(*find_string(uc, "id") == "app1");
    CHECK(*find_string(uc, "name") == "Renamed");
    CHECK(uc.at("public").get<bool>());
    CHECK(uc.at("scopes").get<JsonArray>().empty()); // omitted fields are cleared
    CHECK(uc.at("metadata").get<JsonObject>().empty());
    CHECK(t.request("PUT", "/api/auth/clients/nope", R"({"name":"x"})", auth).status == 404);
    HttpResponse d = t.request("DELETE", "/api/auth/clients/app1", "", auth);
    CHECK(d.status == 204);
    CHECK(d.body.empty());
    CHECK(t.request("DELETE", "/api/auth/clients/app1", "", auth).status == 204);
    HttpResponse gone = t.request("GET", "/api/auth/clients/app1", "", auth);
    CHECK(gone.status == 404);
    CHECK(gone.body.empty());
  }
  SECTION("secrets: shown once, hashed, usable at once, gone at once") {
    HttpResponse s = t.request("POST", "/api/auth/clients/app1/secrets", R"({"name":"ci","metadata":{"a":"b"}})", auth);
    REQUIRE(s.status == 200); // Formance: 200, not 201
    JsonObject secret = data_of(s);
    std::string clear = *find_string(secret, "clear");
    std::string id = *find_string(secret, "id");
    CHECK(clear.size() == 36);
    CHECK(*find_string(secret, "lastDigits") == clear.substr(32));
    CHECK(*find_string(secret, "name") == "ci");
    CHECK(secret.count("metadata") == 0);

    JsonObject read = data_of(t.request("GET", "/api/auth/clients/app1", "", auth));
    const auto& listed = read.at("secrets").get<JsonArray>()[0].get<JsonObject>();
    CHECK(*find_string(listed, "hash") == base64_encode(sha256(clear)));
    CHECK(listed.count("clear") == 0);
    CHECK(t.request("GET", "/api/auth/clients/app1", "", auth).body.find(clear) == std::string::npos);

    HttpResponse tok = t.token("grant_type=client_credentials&scope=ledger:read", basic("app1", clear));
    REQUIRE(tok.status == 200);
    CHECK(*find_string(TestApp::parse(tok.body), "scope") == "ledger:read");

    CHECK(t.request("DELETE", "/api/auth/clients/app1/secrets/" + id, "", auth).status == 204);
    CHECK(t.token("grant_type=client_credentials", basic("app1", clear)).status == 401);
    CHECK(t.request("DELETE", "/api/auth/clients/app1/secrets/" + id, "", auth).status == 404);
    CHECK(t.request("POST", "/api/auth/clients/nope/secrets", R"({"name":"x"})", auth).status == 404);
  }
}

TEST_CASE("management: bad bodies are 400 VALIDATION and change nothing") {
  TestApp t;
  Headers auth = bearer(t.access_token());
  auto check = [&](const std::string& method, const std::string& path, const std::string& body,
                   const std::string& message) {
    HttpResponse r = t.request(method, path, body, auth);
    CHECK(r.status == 400);
    CHECK(r.body == R"({"errorCode":"VALIDATION","errorMessage":")" + message + "\"}");
  };
  check("POST", "/api/auth/clients", "", "request body is empty: expected a JSON object");
  check("POST", "/api/auth/clients", "{", "invalid JSON: syntax error at line 1 near: ");
  check("POST", "/api/auth/clients", "[]", "expected a JSON object");
  check("POST", "/api/auth/clients", "{} x", "invalid JSON: unexpected data after the JSON value");
  check("POST", "/api/auth/clients", R"({"public":"yes"})", "public: expected true or false");
  check("POST", "/api/auth/clients", R"({"scopes":"a"})", "scopes: expected an array of strings");
  check("POST", "/api/auth/clients", R"({"scopes":[1]})", "scopes[0]: expected a string of at most 4096 bytes");
  check("POST", "/api/auth/clients", R"({"metadata":{"a":1}})", "metadata.a: expected a string of at most 4096 bytes");
  check("POST", "/api/auth/clients", R"({"id":"a/b"})",
        "id: expected 1 to 256 printable ASCII characters without '/', '?', '#', '%' or spaces");
  check("POST", "/api/auth/clients", std::string(40, '[') + std::string(40, ']'),
        "invalid JSON: nesting deeper than 32 levels");
  check("POST", "/api/auth/clients", R"({"name":")" + std::string(5000, 'x') + "\"}", "name: longer than 4096 bytes");
  CHECK(t.request("GET", "/api/auth/clients", "", auth).body == "{\"data\":[]}");
}

TEST_CASE("management: metadata maps hold at most 64 entries and 8192 bytes of keys and values") {
  TestApp t;
  Headers auth = bearer(t.access_token());
  REQUIRE(t.request("POST", "/api/auth/clients", R"({"id":"app"})", auth).status == 201);
  // n entries k<100+i> (4 bytes each) with values that make keys and values `bytes` bytes in all.
  auto metadata = [](size_t n, size_t bytes) {
    JsonObject m;
    size_t values = bytes - 4 * n;
    for (size_t i = 0; i < n; ++i) {
      m["k" + std::to_string(100 + i)] = json_string(std::string(values / n + (i < values % n ? 1 : 0), 'x'));
    }
    return dump_json(Json(JsonObject{{"metadata", Json(m)}}));
  };
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST", "/api/auth/clients"}, {"PUT", "/api/auth/clients/app"}, {"POST", "/api/auth/clients/app/secrets"}};
  for (const auto& [method, path] : routes) {
    INFO(method << " " << path);
    int ok = method == "POST" && path == "/api/auth/clients" ? 201 : 200;
    CHECK(t.request(method, path, metadata(64, 8192), auth).status == ok); // at both limits
    HttpResponse entries = t.request(method, path, metadata(65, 65 * 5), auth);
    CHECK(entries.status == 400);
    CHECK(entries.body == R"({"errorCode":"VALIDATION","errorMessage":"metadata: more than 64 entries"})");
    HttpResponse bytes = t.request(method, path, metadata(3, 8193), auth);
    CHECK(bytes.status == 400);
    CHECK(bytes.body ==
          R"({"errorCode":"VALIDATION","errorMessage":"metadata: more than 8192 bytes of keys and values"})");
  }
  JsonObject client = data_of(t.request("GET", "/api/auth/clients/app", "", auth));
  CHECK(client.at("metadata").get<JsonObject>().size() == 64);
  CHECK(client.at("secrets").get<JsonArray>().size() == 1);
}

TEST_CASE("management: routes, methods and users") {
  TestApp t;
  Headers auth = bearer(t.access_token());
  HttpResponse r = t.request("PATCH", "/api/auth/clients", "", auth);
  CHECK(r.status == 405);
  CHECK(*r.header("Allow") == "GET, HEAD, POST");
  CHECK(t.request("GET", "/api/auth/clients/a/b/c/d/e", "", auth).status == 404);
  CHECK(t.request("GET", "/api/auth/nothing", "", auth).body == "404 page not found\n");

  JsonArray users = list_of(t.request("GET", "/api/auth/users", "", auth));
  REQUIRE(users.size() == 2);
  const auto& u = users[0].get<JsonObject>();
  CHECK(*find_string(u, "id") == "u-alice");
  CHECK(*find_string(u, "subject") == "u-alice");
  CHECK(*find_string(u, "email") == "alice@example.com");
  CHECK(u.count("password") == 0);
  CHECK(*find_string(data_of(t.request("GET", "/api/auth/users/u-alice", "", auth)), "email") == "alice@example.com");
  CHECK(t.request("GET", "/api/auth/users/nobody", "", auth).status == 404);
}

TEST_CASE("management: an ID token is not an access token (RFC 9068 §4)") {
  TestApp t;
  std::string id_token = *find_string(
      TestApp::parse(
          t.token("grant_type=password&username=alice&password=alice&scope=openid", basic("testing", "testing")).body),
      "id_token");
  HttpResponse r = t.request("POST", "/api/auth/clients", R"({"id":"via-id-token"})", bearer(id_token));
  CHECK(r.status == 401);
  CHECK(r.body.empty());
  CHECK(*r.header("WWW-Authenticate") == "Bearer realm=\"authemu\", error=\"invalid_token\", "
                                         "error_description=\"JWT typ JWT is not at+jwt: not an access token\", DPoP algs=\"RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512\"");
  CHECK(t.request("GET", "/api/auth/clients/via-id-token", "", bearer(t.access_token())).status == 404);
  CHECK(t.request("GET", "/api/auth/clients", "", bearer(id_token)).status == 401);
}
