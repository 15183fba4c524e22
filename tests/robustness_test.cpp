// Random and mutated requests against App::handle: whatever comes in, the answer is a well-formed
// 2xx/4xx response (never a 500 or a crash), JSON bodies parse, and the server keeps working.
#include <catch2/catch.hpp>

#include <random>

#include "cli/startup.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

class Garbage {
public:
  explicit Garbage(uint32_t seed) : rng_(seed) {}
  size_t below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  template <typename T> const T& pick(const std::vector<T>& items) { return items[below(items.size())]; }
  std::string bytes(size_t max) {
    std::string s(below(max + 1), '\0');
    for (auto& c : s)
      c = char(below(256));
    return s;
  }
  // A string with mutations: a byte flipped, cut, doubled, or garbage appended.
  std::string mutate(std::string s) {
    switch (below(6)) {
    case 0:
      if (!s.empty()) s[below(s.size())] ^= char(1 + below(255));
      break;
    case 1:
      s = s.substr(0, below(s.size() + 1));
      break;
    case 2:
      s += s;
      break;
    case 3:
      s += bytes(16);
      break;
    case 4:
      s.insert(below(s.size() + 1), pick<std::string>({"%", "%zz", "&", "=", "\"", "\\", "{", "[", "\x00", "+", " "}));
      break;
    default:
      break;
    }
    return s;
  }

private:
  std::mt19937 rng_;
};

// An App with the embedded default fixture: the default environment, sandbox and the platform.
std::unique_ptr<App> default_app(FakeClock& clock) {
  Options options;
  AppSettings settings;
  settings.environment.issuer = kIssuer;
  return std::make_unique<App>(
      settings,
      environment_specs(options, settings,
                        load_fixture_option(options, [](const std::string&) { return std::optional<std::string>(); }),
                        test_key()),
      clock);
}

// An unsigned JWT whose payload is {"iss":<kIssuer>,"exp":<number>} as written.
std::string jwt_with_exp(const std::string& number) {
  return base64url_encode(R"({"alg":"RS256","typ":"at+jwt"})") + "." +
         base64url_encode(std::string(R"({"iss":")") + kIssuer + R"(","exp":)" + number + "}") + ".AAAA";
}

std::string admin_message(const HttpResponse& res) {
  return find_string(TestApp::parse(res.body), "errorMessage").value_or(res.body);
}

// What garbage requests are made of; the forms and headers carry real tokens of the app under test.
struct Ingredients {
  std::vector<std::string> methods;
  std::vector<std::string> paths;
  std::vector<std::string> forms;
  std::vector<std::string> auths;
  std::vector<std::string> types;
};

std::vector<std::string> garbage_paths() {
  return {"/api/auth/oauth/token",
          "/oauth/token",
          "/api/auth/oauth/introspect",
          "/api/auth/revoke",
          "/api/auth/userinfo",
          "/api/auth/clients",
          "/api/auth/clients/testing",
          "/api/auth/clients/x/secrets",
          "/api/auth/clients/x/secrets/y",
          "/api/auth/users",
          "/api/auth/users/u-alice",
          "/api/auth/keys",
          "/api/auth/.well-known/openid-configuration",
          "/.well-known/oauth-authorization-server/api/auth",
          "/api/ledger/v2/x",
          "/api/",
          "/api//",
          "/",
          "",
          "/_info",
          "/sandbox/api/auth/oauth/token",
          "/sandbox/api/auth/clients",
          "/platform/oauth/token",
          "/platform/keys",
          "/.well-known/oauth-authorization-server/sandbox/api/auth",
          "/sandbox",
          "/sandbox/api/ledger/x",
          "/platform/userinfo",
          "/_authemu",
          "/_authemu/clock",
          "/_authemu/mint",
          "/_authemu/reset",
          "/_authemu/journal",
          "/_authemu/faults",
          "/_authemu/faults/f1",
          "/_authemu/keys",
          "/_authemu/keys/rotate",
          "/api/auth/authorize",
          "/authorize",
          "/api/auth/login",
          "/api/auth/end_session",
          "/api/auth/par",
          "/sandbox/api/auth/authorize",
          "/sandbox/api/auth/authorize/callback",
          "/platform/authorize",
          "/platform/login",
          "/_authemu/logins",
          "/_authemu/logins/l1",
          "/_authemu/sessions",
          "/_authemu/users",
          "/_authemu/users/u-bob",
          "/api/auth/device_authorization",
          "/api/auth/device",
          "/sandbox/api/auth/device_authorization",
          "/platform/device_authorization",
          "/platform/device",
          "/_authemu/devices",
          "/_authemu/devices/BCDF-GHJK/approve",
          "/_authemu/devices/x/deny"};
}

// Form and JSON bodies of each endpoint, with an access and a refresh token where they take one.
std::vector<std::string> garbage_forms(const std::string& token, const std::string& refresh) {
  const std::string exchange =
      "grant_type=urn:ietf:params:oauth:grant-type:token-exchange&client_id=fctl&subject_token=" + token +
      "&subject_token_type=urn:ietf:params:oauth:token-type:access_token&audience=sandbox";
  return {exchange,
          "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=" + token,
          "grant_type=client_credentials&client_id=testing&client_secret=testing",
          "grant_type=password&username=alice&password=alice&scope=openid+profile",
          "grant_type=refresh_token&refresh_token=" + refresh,
          "token=" + token,
          "token=" + refresh + "&token_type_hint=refresh_token",
          R"({"name":"x","scopes":["a"],"metadata":{"k":"v"},"public":true})",
          R"({"id":"fuzz","redirectUris":[1,2]})",
          R"({"advance":"1h","environment":"sandbox"})",
          R"({"case":"expired","claims":{"a":1},"header":{"kid":null}})",
          R"({"endpoint":"token","error":"invalid_grant","count":3})",
          R"({"set":"2030-01-01T00:00:00Z","freeze":true})",
          "response_type=code&client_id=web&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2F"
          "callback&scope=openid+profile&state=s&nonce=n&response_mode=form_post&"
          "code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&"
          "code_challenge_method=S256&prompt=none&max_age=0&login_hint=bob",
          "request=x&csrf=y&action=anyone&subject=s&claims=%7B%22a%22%3A1%7D",
          "client_id=web&post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%2F&state=x&"
          "id_token_hint=" +
              token,
          "grant_type=authorization_code&code=abc&code_verifier=v&redirect_uri=x",
          "state=abc&code=def&error=access_denied",
          R"({"user":"bob","client_id":"web","count":2})",
          R"({"subject":"s","claims":{"x":[1]},"error":"access_denied"})",
          R"({"username":"z","password":"p","groups":["g"],"claims":{"c":1}})",
          "client_id=fctl&scope=openid+offline_access&prompt=no-org&organization_id=acme"
          "&resource=stack://acme/sandbox|stack:Read+stack:Write&id_token_hint=" +
              token,
          "grant_type=urn:ietf:params:oauth:grant-type:device_code&client_id=spa"
          "&device_code=x&resource=stack://acme/default",
          "csrf=x&action=approve&user_code=bcdf-ghjk",
          R"({"user":"alice","environment":"platform"})"};
}

// The ingredients with an access token and a refresh token of t's app.
Ingredients ingredients(TestApp& t) {
  std::string token = t.access_token();
  std::string refresh = *find_string(
      TestApp::parse(t.token("grant_type=password&username=alice&password=alice", basic("testing", "testing")).body),
      "refresh_token");
  return {{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "BREW", ""},
          garbage_paths(),
          garbage_forms(token, refresh),
          {"Basic " + base64_encode("testing:testing"), "Bearer " + token, "Basic", "Bearer", "bearer  " + token,
           "Basic " + base64_encode("testing"), "Digest x"},
          {"application/x-www-form-urlencoded", "application/json", "text/plain",
           "application/x-www-form-urlencoded; charset=utf-8", ""}};
}

// One request of a known method and path, or a mutated path, with some of the headers a client sends.
HttpRequest garbage_request(Garbage& g, const Ingredients& in) {
  HttpRequest req;
  req.method = g.pick(in.methods);
  req.path = g.below(4) == 0 ? g.mutate(g.pick(in.paths)) : g.pick(in.paths);
  if (g.below(3) == 0) req.query = g.mutate(g.pick(in.forms));
  if (g.below(4) != 0) req.body = g.below(3) == 0 ? g.bytes(64) : g.mutate(g.pick(in.forms));
  if (g.below(3) != 0)
    req.headers.emplace_back("Authorization", g.below(3) == 0 ? g.mutate(g.pick(in.auths)) : g.pick(in.auths));
  if (g.below(4) != 0) req.headers.emplace_back("Content-Type", g.pick(in.types));
  if (g.below(8) == 0) req.headers.emplace_back("Origin", g.mutate("http://localhost:3000"));
  if (g.below(6) == 0) req.headers.emplace_back("Host", g.mutate("sandbox.localhost:8080"));
  if (g.below(8) == 0) req.headers.emplace_back("X-Forwarded-Host", g.mutate("platform.example.com"));
  if (g.below(8) == 0) req.headers.emplace_back("X-Forwarded-Proto", g.mutate("https"));
  if (g.below(6) == 0) req.headers.emplace_back("Cookie", g.mutate("authemu_sid_default=a; authemu_login_sandbox=b"));
  return req;
}

// Every request is sent; the failures are counted and the first ones shown, so one run tells
// how many inputs give a 5xx (or a status below 200) or an exception, not just the first.
struct Failures {
  int server_errors = 0;
  int exceptions = 0;
  int bad_json = 0;
  std::string examples;

  void note(const HttpRequest& req, const std::string& what) {
    if (server_errors + exceptions <= 5) examples += req.method + " " + req.path + ": " + what + "\n";
  }
};

// 4000 garbage requests from one fixed seed to t's app, its clock moving now and then.
Failures send_garbage(TestApp& t) {
  const Ingredients in = ingredients(t);
  Garbage g(20261126);
  Failures f;
  for (int i = 0; i < 4000; ++i) {
    HttpRequest req = garbage_request(g, in);
    HttpResponse res;
    try {
      res = t.app->handle(req);
    } catch (const std::exception& e) {
      ++f.exceptions;
      f.note(req, std::string("exception: ") + e.what());
      continue;
    }
    if (res.status < 200 || res.status >= 500) {
      ++f.server_errors;
      f.note(req, std::to_string(res.status) + " " + res.body.substr(0, 200));
    }
    auto type = res.header("Content-Type");
    if (type && *type == "application/json" && !res.body.empty()) {
      std::string error;
      if (!parse_json(res.body, &error)) ++f.bad_json;
    }
    if (g.below(50) == 0) t.clock.advance(int64_t(g.below(400)));
  }
  return f;
}

constexpr const char* kBeyondDouble[] = {"1e999", "-1e999", "1e309", "10e308"};

// The clock, the clients and the faults are as a fresh default app has them.
void check_nothing_changed(TestApp& t, const std::string& token) {
  CHECK(find_int(TestApp::parse(t.request("GET", "/_authemu/clock?environment=default").body)
                     .at("environments")
                     .get<JsonArray>()
                     .at(0)
                     .get<JsonObject>(),
                 "offset") == 0);
  CHECK(t.request("GET", "/api/auth/clients", "", bearer(token)).body == R"({"data":[]})");
  CHECK(t.request("GET", "/_authemu/faults").body == R"({"faults":[]})");
}

} // namespace

namespace {

// The garbage of send_garbage gives no 5xx, exception or malformed JSON, and t still serves after.
void check_survives_garbage(TestApp& t) {
  Failures f = send_garbage(t);
  INFO("first failures:\n" << f.examples);
  CHECK(f.server_errors == 0);
  CHECK(f.exceptions == 0);
  CHECK(f.bad_json == 0);
  // Still serving.
  CHECK(t.token("grant_type=client_credentials", basic("testing", "testing")).status == 200);
}

} // namespace

TEST_CASE("robustness: random and mutated requests never give a 500 or an exception: the default fixture") {
  TestApp t; // environments and platform too
  t.app = default_app(t.clock);
  check_survives_garbage(t);
}

TEST_CASE("robustness: random and mutated requests never give a 500 or an exception: the test fixture") {
  TestApp t;
  check_survives_garbage(t);
}

TEST_CASE("robustness: a JWT whose exp is beyond a double is refused with its reason wherever a token is read") {
  TestApp t;
  t.app = default_app(t.clock);
  std::string token = t.access_token();
  const std::string kJwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  const std::string kExchange = "urn:ietf:params:oauth:grant-type:token-exchange";
  for (const char* number : kBeyondDouble) {
    INFO(number);
    std::string bad = jwt_with_exp(number);
    const std::string payload =
        "JWT payload is not a JSON object"; // decode_jwt's words for a payload parse_json refuses
    HttpResponse stand_in = t.request("GET", "/api/ledger/v2", "", bearer(bad));
    CHECK(stand_in.status == 401);
    CHECK(stand_in.body == R"({"error":"invalid_token","error_description":")" + payload + "\"}");
    HttpResponse userinfo = t.request("GET", "/api/auth/userinfo", "", bearer(bad));
    CHECK(userinfo.status == 401);
    CHECK(userinfo.body == stand_in.body);
    HttpResponse management = t.request("GET", "/api/auth/clients", "", bearer(bad));
    CHECK(management.status == 401);
    CHECK(*management.header("WWW-Authenticate") ==
          "Bearer realm=\"authemu\", error=\"invalid_token\", error_description=\"" + payload + "\", DPoP algs=\"RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512\"");
    CHECK(t.request("POST", "/api/auth/oauth/introspect", "token=" + bad, basic("testing", "testing")).body ==
          R"({"active":false})");
    HttpResponse revoked = t.request("POST", "/api/auth/revoke", "token=" + bad, basic("testing", "testing"));
    CHECK(revoked.status == 200);
    CHECK(revoked.body.empty());

    HttpResponse assertion =
        t.request("POST", "/sandbox/api/auth/oauth/token", "grant_type=" + kJwtBearer + "&assertion=" + bad);
    CHECK(assertion.status == 400);
    CHECK(assertion.body ==
          R"({"error":"invalid_grant","error_description":"assertion is not a JWT: )" + payload + "\"}");
    HttpResponse exchange =
        t.request("POST", "/platform/oauth/token",
                  "grant_type=" + kExchange + "&client_id=fctl&subject_token=" + bad +
                      "&subject_token_type=urn:ietf:params:oauth:token-type:access_token&audience=sandbox");
    CHECK(exchange.status == 400);
    CHECK(exchange.body ==
          R"({"error":"invalid_request","error_description":"subject_token is invalid: )" + payload + "\"}");
  }
  check_nothing_changed(t, token);
}

TEST_CASE("robustness: a number beyond a double in a JSON body is a VALIDATION error and changes nothing") {
  TestApp t;
  t.app = default_app(t.clock);
  std::string token = t.access_token();
  for (const char* number : kBeyondDouble) {
    INFO(number);
    HttpResponse create =
        t.request("POST", "/api/auth/clients", std::string(R"({"name":"n","x":)") + number + "}", bearer(token));
    CHECK(create.status == 400);
    CHECK(create.body == R"({"errorCode":"VALIDATION","errorMessage":"invalid JSON: number out of range"})");
    for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
             {"/_authemu/clock", std::string(R"({"advance":)") + number + "}"},
             {"/_authemu/clock", std::string(R"({"set":)") + number + "}"},
             {"/_authemu/mint", std::string(R"({"claims":{"exp":)") + number + "}}"},
             {"/_authemu/mint", std::string(R"({"expires_in":)") + number + "}"},
             {"/_authemu/faults", std::string(R"({"endpoint":"token","status":500,"count":)") + number + "}"},
             {"/_authemu/keys/rotate", std::string(R"({"grace":)") + number + "}"},
             {"/_authemu/reset", std::string(R"({"x":[)") + number + "]}"}}) {
      INFO(path << " " << body);
      HttpResponse res = t.request("POST", path, body);
      CHECK(res.status == 400);
      CHECK(res.body == R"({"errorCode":"VALIDATION","errorMessage":"body: number out of range"})");
    }
  }
  check_nothing_changed(t, token);
}

TEST_CASE("robustness: an integer beyond int64 is a number, not an integer: refused by what wants an integer") {
  TestApp t;
  t.app = default_app(t.clock);
  std::string token = t.access_token();
  const std::string huge = "99999999999999999999999";
  HttpResponse minted = t.request("POST", "/_authemu/mint", R"({"claims":{"exp":)" + huge + "}}");
  REQUIRE(minted.status == 200);
  std::string signed_huge = *find_string(TestApp::parse(minted.body), "access_token");
  HttpResponse stand_in = t.request("GET", "/api/ledger/v2", "", bearer(signed_huge));
  CHECK(stand_in.status == 401);
  CHECK(stand_in.body == R"({"error":"invalid_token","error_description":"JWT has no numeric exp"})");
  CHECK(admin_message(t.request("POST", "/_authemu/clock", R"({"advance":-)" + huge + "}")) ==
        "advance: expected whole seconds or a duration such as 90s, 1h, -5m (at most ten years)");
  CHECK(admin_message(t.request("POST", "/_authemu/clock", R"({"set":)" + huge + "}")) ==
        "set: expected Unix seconds or UTC time such as 2030-01-01T00:00:00Z");
  CHECK(admin_message(t.request("POST", "/_authemu/faults", R"({"endpoint":"token","status":)" + huge + "}")) ==
        "status: expected an HTTP error status from 400 to 599");
  CHECK(t.request("POST", "/api/auth/clients", R"({"name":)" + huge + "}", bearer(token)).body ==
        R"({"errorCode":"VALIDATION","errorMessage":"name: expected a string"})");
}

TEST_CASE("robustness: a repeated admin query parameter is the admin API's VALIDATION error") {
  TestApp t;
  for (const char* target :
       {"/_authemu/journal?endpoint=a&endpoint=b", "/_authemu/journal?limit=1&limit=2",
        "/_authemu/clock?environment=default&environment=default", "/_authemu/faults?environment=a&environment=b"}) {
    INFO(target);
    HttpResponse res = t.request("GET", target);
    CHECK(res.status == 400);
    std::string name = std::string(target).substr(std::string(target).find('?') + 1);
    name = name.substr(0, name.find('='));
    CHECK(res.body == R"({"errorCode":"VALIDATION","errorMessage":"parameter )" + name + " is repeated\"}");
  }
  CHECK(t.request("DELETE", "/_authemu/journal?environment=a&environment=a").status == 400);
}

TEST_CASE("robustness: invalid UTF-8 in a JSON body is refused with the API's validation error and stored nowhere") {
  TestApp t;
  std::string token = t.access_token();
  for (const std::string& bad : {std::string("\xFF"), std::string("\xC0\xAF"), std::string("\xE0\x80\xAF"),
                                 std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80"), std::string("x\xC3")}) {
    INFO(Catch::Detail::stringify(bad));
    for (const std::string& body :
         {R"({"name":")" + bad + "\"}", R"({"description":")" + bad + "\"}", R"({"metadata":{"k":")" + bad + "\"}}",
          R"({"metadata":{")" + bad + R"(":"v"}})", R"({"redirectUris":[")" + bad + "\"]}"}) {
      HttpResponse created = t.request("POST", "/api/auth/clients", body, bearer(token));
      CHECK(created.status == 400);
      CHECK(created.body == R"({"errorCode":"VALIDATION","errorMessage":"invalid JSON: invalid UTF-8 in a string"})");
    }
    for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
             {"/_authemu/mint", R"({"claims":{"name":")" + bad + "\"}}"},
             {"/_authemu/mint", R"({"sub":")" + bad + "\"}"},
             {"/_authemu/faults", R"({"endpoint":"token","error":"invalid_grant","error_description":")" + bad + "\"}"},
             {"/_authemu/clock", R"({"environment":")" + bad + "\"}"}}) {
      HttpResponse res = t.request("POST", path, body);
      CHECK(res.status == 400);
      CHECK(res.body == R"({"errorCode":"VALIDATION","errorMessage":"body: invalid UTF-8 in a string"})");
    }
  }
  CHECK(t.request("GET", "/api/auth/clients", "", bearer(token)).body == R"({"data":[]})");
  CHECK(t.request("GET", "/_authemu/faults").body == R"({"faults":[]})");
  SECTION("escaped unpaired surrogates too") {
    HttpResponse created = t.request("POST", "/api/auth/clients", R"({"name":"\ud800"})", bearer(token));
    CHECK(created.body ==
          R"({"errorCode":"VALIDATION","errorMessage":"invalid JSON: unpaired surrogate escape in a string"})");
    CHECK(t.request("POST", "/_authemu/mint", R"({"sub":"\udfff"})").body ==
          R"({"errorCode":"VALIDATION","errorMessage":"body: unpaired surrogate escape in a string"})");
    HttpResponse pair =
        t.request("POST", "/api/auth/clients", R"({"id":"utf8","name":"\ud834\udd1e caf\u00e9"})", bearer(token));
    REQUIRE(pair.status == 201);
    CHECK(pair.body.find("\"name\":\"\xF0\x9D\x84\x9E caf\xC3\xA9\"") != std::string::npos);
  }
}
