// Browser sign-in beyond one login: single sign-on, prompt and max_age, auto mode, the admin
// queue, any-subject users, logout, pushed requests, and reset.
#include <catch2/catch.hpp>

#include "sign_in_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

HttpResponse admin(Browser& b, const std::string& method, const std::string& path, const std::string& body = "") {
  return b.send(method, "/_authemu" + path, body, {{"Content-Type", "application/json"}}, false);
}

std::string id_token_of(Browser& b, const HttpResponse& redirect) {
  HttpResponse t = b.token("grant_type=authorization_code&code=" + Browser::answer(redirect, "code") +
                               "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb",
                           basic("web", "web"));
  REQUIRE(t.status == 200);
  return *find_string(TestApp::parse(t.body), "id_token");
}

HttpResponse end_session(App& app, const std::string& query) {
  HttpRequest req;
  req.method = "GET";
  req.path = "/api/auth/end_session";
  req.query = query;
  return app.handle(req);
}

} // namespace

TEST_CASE("sign_in_session: single sign-on, prompt and max_age") {
  Browser b;
  HttpResponse page = b.authorize(kWebQuery);
  HttpResponse first = b.login(page.body, "action=user&user=u-alice");
  REQUIRE(first.status == 302);
  std::string sid = *find_string(jwt_claims(id_token_of(b, first)), "sid");

  HttpResponse again = b.authorize(kWebQuery);
  CHECK(again.status == 302);
  CHECK(*find_string(jwt_claims(id_token_of(b, again)), "sid") == sid);
  CHECK(b.authorize(kWebQuery + "&prompt=none").status == 302);
  CHECK(b.authorize(kWebQuery + "&prompt=login").status == 200);
  CHECK(b.authorize(kWebQuery + "&prompt=select_account").status == 200);
  b.clock.advance(120);
  CHECK(b.authorize(kWebQuery + "&max_age=200").status == 302);
  CHECK(b.authorize(kWebQuery + "&max_age=60").status == 200);
  HttpResponse none = b.authorize(kWebQuery + "&max_age=60&prompt=none");
  CHECK(Browser::answer(none, "error") == "login_required");
  CHECK(Browser::answer(none, "error_description") == "the session is older than max_age");

  SECTION("a login_hint naming another user asks for that user") {
    CHECK(b.authorize(kWebQuery + "&login_hint=alice").status == 302);
    CHECK(b.authorize(kWebQuery + "&login_hint=bob").status == 200);
    CHECK(Browser::answer(b.authorize(kWebQuery + "&login_hint=bob&prompt=none"), "error_description") ==
          "login_hint names another user than the session's");
  }
  SECTION("another browser has no session") {
    b.cookies.clear();
    HttpResponse res = b.authorize(kWebQuery + "&prompt=none");
    CHECK(Browser::answer(res, "error") == "login_required");
    CHECK(Browser::answer(res, "state") == "st");
  }
  SECTION("signing in again replaces the session") {
    HttpResponse p = b.authorize(kWebQuery + "&prompt=login");
    HttpResponse r = b.login(p.body, "action=user&user=u-bob");
    JsonObject id = jwt_claims(id_token_of(b, r));
    CHECK(*find_string(id, "sub") == "u-bob");
    CHECK(*find_string(id, "sid") != sid);
    CHECK(id.at("auth_time").get<int64_t>() == kStart + 120);
    JsonObject list = TestApp::parse(admin(b, "GET", "/sessions").body);
    CHECK(list.at("sessions").get<JsonArray>().size() == 1);
  }
}

TEST_CASE("sign_in_session: auto login mode") {
  SECTION("a client's loginMode auto: the first user, or the login_hint's by id, username or email") {
    Browser b;
    const std::string q = "client_id=auto&redirect_uri=https%3A%2F%2Fauto.example%2Fcb&response_type=code&scope=openid";
    auto sub_of = [&](const std::string& extra) {
      b.cookies.clear();
      HttpResponse r = b.authorize(q + extra);
      REQUIRE(r.status == 302);
      HttpResponse t = b.token("grant_type=authorization_code&redirect_uri=https%3A%2F%2Fauto.example%2Fcb&code=" +
                                   Browser::answer(r, "code"),
                               basic("auto", "auto"));
      REQUIRE(t.status == 200);
      return *find_string(jwt_claims(*find_string(TestApp::parse(t.body), "id_token")), "sub");
    };
    CHECK(sub_of("") == "u-alice");
    CHECK(sub_of("&login_hint=bob") == "u-bob");
    CHECK(sub_of("&login_hint=bob%40example.com") == "u-bob");
    CHECK(sub_of("&login_hint=u-bob") == "u-bob");
    b.cookies.clear();
    HttpResponse none = b.authorize(q + "&login_hint=carol");
    CHECK(Browser::answer(none, "error") == "login_required");
    CHECK(Browser::answer(none, "error_description") == "login_hint matches no user");
  }
  SECTION("--login-mode auto for the environment") {
    AppSettings s;
    s.environment.login_mode = "auto";
    Browser b(s);
    CHECK(b.authorize(kWebQuery).status == 302);
  }
}

TEST_CASE("sign_in_session: the admin queue decides the next authorizations") {
  Browser b;
  SECTION("an error, limited to one client, for count authorizations") {
    HttpResponse q = admin(b, "POST", "/logins", R"({"error":"temporarily_unavailable","client_id":"web","count":2})");
    CHECK(q.status == 201);
    CHECK(Browser::answer(b.authorize(kWebQuery), "error") == "temporarily_unavailable");
    HttpResponse second = b.authorize(kWebQuery);
    CHECK(Browser::answer(second, "error_description") == "queued by the admin API (l1)");
    CHECK(b.authorize(kWebQuery).status == 200); // used up: the page again
  }
  SECTION("a user wins over the session") {
    b.login(b.authorize(kWebQuery).body, "action=user&user=u-alice");
    CHECK(admin(b, "POST", "/logins", R"({"user":"bob","environment":"default"})").status == 201);
    CHECK(*find_string(jwt_claims(id_token_of(b, b.authorize(kWebQuery))), "sub") == "u-bob");
  }
  SECTION("any subject with claims") {
    CHECK(admin(b, "POST", "/logins", R"({"subject":"robot-7","claims":{"email":"r7@example.com","tier":"gold"}})")
              .status == 201);
    JsonObject id = jwt_claims(id_token_of(b, b.authorize(kWebQuery + "%20email")));
    CHECK(*find_string(id, "sub") == "robot-7");
    CHECK(*find_string(id, "tier") == "gold");
    CHECK(*find_string(id, "email") == "r7@example.com");
  }
  SECTION("bad entries are refused with exact messages") {
    auto message = [&](const std::string& body) {
      return *find_string(TestApp::parse(admin(b, "POST", "/logins", body).body), "errorMessage");
    };
    CHECK(message(R"({"user":"carol"})") == "user: no user carol");
    CHECK(message(R"({"user":"bob","error":"access_denied"})") ==
          "body: give one of user, subject (with claims) or error");
    CHECK(message(R"({})") == "body: give one of user, subject (with claims) or error");
    CHECK_THAT(message(R"({"error":"teapot"})"),
               Catch::StartsWith("error: expected one of access_denied, server_error"));
    CHECK(message(R"({"user":"bob","count":0})") == "count: expected a whole number from 1 to 1000");
    CHECK(message(R"({"claims":{}})") == "claims: needs subject");
    CHECK(message(R"({"user":"bob","colour":"red"})") == "colour: unknown member");
    CHECK(admin(b, "POST", "/logins", R"({"user":"bob","environment":"nowhere"})").status == 404);
    CHECK(admin(b, "GET", "/logins").body == R"({"logins":[]})");
  }
  SECTION("listing, removing and reset") {
    admin(b, "POST", "/logins", R"({"user":"bob"})");
    admin(b, "POST", "/logins", R"({"error":"access_denied"})");
    CHECK(admin(b, "GET", "/logins").body ==
          R"({"logins":[{"id":"l1","remaining":1,"user":"bob"},{"error":"access_denied","id":"l2","remaining":1}]})");
    CHECK(admin(b, "DELETE", "/logins/l1").status == 200);
    CHECK(admin(b, "DELETE", "/logins/l1").status == 404);
    admin(b, "POST", "/reset");
    CHECK(admin(b, "GET", "/logins").body == R"({"logins":[]})");
  }
}

TEST_CASE("sign_in_session: sign in as anyone") {
  Browser b;
  HttpResponse page = b.authorize(kWebQuery);
  SECTION("subject and claims end up in the tokens, and the user can be read") {
    HttpResponse r = b.login(page.body, "action=anyone&subject=ext-42&claims=" +
                                            form_encode(R"({"name":"Ext","group":["x"],"org":{"id":7}})"));
    REQUIRE(r.status == 302);
    JsonObject id = jwt_claims(id_token_of(b, r));
    CHECK(*find_string(id, "sub") == "ext-42");
    CHECK(dump_json(id.at("org")) == R"({"id":7})");
    JsonObject users = TestApp::parse(admin(b, "GET", "/users").body);
    CHECK_THAT(dump_json(Json(users)), Catch::Contains(R"("origin":"anyone")"));
  }
  SECTION("bad input shows the page again with the message and what was typed") {
    HttpResponse r = b.login(page.body, "action=anyone&subject=x&claims=%5B1%5D");
    CHECK(r.status == 400);
    CHECK_THAT(r.body, Catch::Contains("The claims must be a JSON object: got another JSON value"));
    CHECK_THAT(r.body, Catch::Contains("[1]</textarea>"));
    r = b.login(page.body, "action=anyone&subject=x&claims=%7Bnope");
    CHECK(r.status == 400);
    r = b.login(page.body, "action=anyone&subject=u-alice");
    CHECK(r.status == 409);
    CHECK_THAT(r.body, Catch::Contains("subject u-alice is the id of user alice: use its button instead"));
    CHECK(b.login(page.body, "action=anyone&subject=").status == 400);
  }
  SECTION("a setting turns it off") {
    AppSettings s;
    s.environment.sign_in_as_anyone = false;
    Browser off(s);
    HttpResponse p = off.authorize(kWebQuery);
    CHECK(p.body.find("Sign in as anyone") == std::string::npos);
    CHECK(off.login(p.body, "action=anyone&subject=x").status == 403);
  }
}

TEST_CASE("sign_in_session: logout (RP-Initiated Logout 1.0)") {
  Browser b;
  HttpResponse r = b.login(b.authorize(kWebQuery + "%20offline_access").body, "action=user&user=u-alice");
  HttpResponse t = b.token("grant_type=authorization_code&code=" + Browser::answer(r, "code") +
                               "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb",
                           basic("web", "web"));
  JsonObject tokens = TestApp::parse(t.body);
  std::string access = *find_string(tokens, "access_token"), hint = *find_string(tokens, "id_token");

  SECTION("an unregistered post_logout_redirect_uri is refused and nothing ends") {
    HttpResponse res = b.send("GET", "/api/auth/end_session?client_id=web&post_logout_redirect_uri=https%3A%2F%2Fevil");
    CHECK(res.status == 400);
    CHECK_THAT(res.body, Catch::Contains("post_logout_redirect_uri invalid"));
    CHECK(b.authorize(kWebQuery + "&prompt=none").status == 302);
    CHECK(b.send("GET", "/api/auth/end_session?post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fbye").status ==
          400);
  }
  SECTION("with id_token_hint: redirect with state, session ended, access tokens revoked, refresh kept") {
    HttpResponse res = b.send("GET", "/api/auth/end_session?id_token_hint=" + hint +
                                         "&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fbye&state=s%20t");
    CHECK(res.status == 302);
    CHECK(*res.header("Location") == "https://app.example/bye?state=s%20t");
    CHECK(b.cookies.count("authemu_sid_default") == 0);
    CHECK(admin(b, "GET", "/sessions").body == R"({"sessions":[]})");
    CHECK(b.send("GET", "/api/auth/userinfo", "", bearer(access), false).status == 401);
    CHECK(
        b.token("grant_type=refresh_token&refresh_token=" + *find_string(tokens, "refresh_token"), basic("web", "web"))
            .status == 200);
    CHECK(Browser::answer(b.authorize(kWebQuery + "&prompt=none"), "error") == "login_required");
  }
  SECTION("an expired hint still names the session (§2)") {
    b.clock.advance(7200);
    b.cookies.clear();
    CHECK(b.send("GET", "/api/auth/end_session?id_token_hint=" + hint).status == 200);
    CHECK(admin(b, "GET", "/sessions").body == R"({"sessions":[]})");
  }
  SECTION("without a redirect: the signed-out page") {
    HttpResponse res = b.send("POST", "/api/auth/end_session", "client_id=web");
    CHECK(res.status == 200);
    CHECK_THAT(res.body, Catch::Contains("You are signed out of default."));
  }
  SECTION("a hint of another client or issuer") {
    CHECK(b.send("GET", "/api/auth/end_session?id_token_hint=" + hint + "&client_id=spa").status == 400);
    CHECK(b.send("GET", "/api/auth/end_session?id_token_hint=a.b.c").status == 400);
  }
}

TEST_CASE("sign_in_session: post_logout_redirect_uri matches as redirect URIs do (any port on loopback IPs)") {
  FakeClock clock(kStart);
  auto app_ptr = loopback_app(clock);
  App& app = *app_ptr;

  SECTION("the registered URI") {
    HttpResponse res = end_session(app, "client_id=web&post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%2F&state=s");
    CHECK(res.status == 302);
    CHECK(res.header("Location") == "http://127.0.0.1/?state=s");
  }
  SECTION("a loopback IP on another port (RFC 8252 §7.3)") {
    HttpResponse res =
        end_session(app, "client_id=web&post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A49152%2F&state=s");
    CHECK(res.status == 302);
    CHECK(res.header("Location") == "http://127.0.0.1:49152/?state=s");
  }
  SECTION("refused: another path, a host name on another port, another address") {
    for (const char* uri : {"http%3A%2F%2F127.0.0.1%3A49152%2Fother", "http%3A%2F%2Flocalhost%3A3001%2F",
                            "http%3A%2F%2F127.0.0.10%2F", "https%3A%2F%2F127.0.0.1%3A49152%2F"}) {
      HttpResponse res = end_session(app, std::string("client_id=web&post_logout_redirect_uri=") + uri);
      INFO(uri);
      CHECK(res.status == 400);
      CHECK(res.body.find("post_logout_redirect_uri invalid") != std::string::npos);
    }
  }
}

TEST_CASE("sign_in_session: max_age decides whether the session signs in again (OIDC Core §3.1.2.1)") {
  FakeClock clock(kStart);
  auto app_ptr = loopback_app(clock, "auto");
  App& app = *app_ptr;
  HttpResponse first = authorize_loopback(app, "");
  REQUIRE(first.status == 302);
  std::string cookie;
  for (const auto& [name, value] : first.headers) {
    if (iequals(name, "Set-Cookie") && value.rfind("authemu_sid_default=", 0) == 0)
      cookie = value.substr(0, value.find(';'));
  }
  REQUIRE(!cookie.empty());
  auto answer = [&](const std::string& query) {
    std::string location = authorize_loopback(app, "prompt=none&" + query, cookie).header("Location").value_or("");
    return location.substr(0, location.find('=', location.find('?')));
  };

  SECTION("max_age=0 is prompt=login, even within the second of the sign-in") {
    CHECK(answer("") == "http://127.0.0.1/callback?code");
    CHECK(answer("max_age=0") == "http://127.0.0.1/callback?error");
  }
  SECTION("a session exactly max_age old still counts; one second more does not") {
    clock.advance(60);
    CHECK(answer("max_age=60") == "http://127.0.0.1/callback?code");
    clock.advance(1);
    CHECK(answer("max_age=60") == "http://127.0.0.1/callback?error");
  }
}

TEST_CASE("sign_in_session: pushed authorization requests (RFC 9126)") {
  Browser b;
  HttpResponse pushed = b.send("POST", "/api/auth/par",
                               "redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=openid&state=p",
                               basic("web", "web"), false);
  REQUIRE(pushed.status == 201);
  JsonObject o = TestApp::parse(pushed.body);
  CHECK(o.at("expires_in").get<int64_t>() == 60);
  std::string uri = *find_string(o, "request_uri");
  CHECK_THAT(uri, Catch::StartsWith("urn:ietf:params:oauth:request_uri:"));
  CHECK(b.authorize("client_id=spa&request_uri=" + form_encode(uri)).status == 400); // another client's
  HttpResponse page = b.authorize("client_id=web&request_uri=" + form_encode(uri));
  CHECK(page.status == 200);
  CHECK(Browser::answer(b.login(page.body, "action=deny"), "state") == "p");
  CHECK(b.authorize("client_id=web&request_uri=" + form_encode(uri)).status == 400); // single use

  auto error = [&](const std::string& form, Headers h) {
    return *find_string(TestApp::parse(b.send("POST", "/api/auth/par", form, std::move(h), false).body),
                        "error_description");
  };
  CHECK(error("response_type=code&scope=openid&request_uri=x", basic("web", "web")) ==
        "request_uri is not allowed in a pushed request");
  CHECK(error("response_type=code&scope=profile&redirect_uri=https%3A%2F%2Fapp.example%2Fcb", basic("web", "web")) ==
        "scope must contain openid");
  CHECK(error("client_id=spa&response_type=code&scope=openid", basic("web", "web")) ==
        "client_id differs from the HTTP Basic user");
  CHECK(b.send("POST", "/api/auth/par", "response_type=code", basic("web", "wrong"), false).status == 401);
}

TEST_CASE("sign_in_session: form_post answers and reset") {
  Browser b;
  HttpResponse page = b.authorize("client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&"
                                  "scope=openid&response_mode=form_post&state=%22%3E%3Cx");
  HttpResponse r = b.login(page.body, "action=user&user=u-alice");
  CHECK(r.status == 200);
  CHECK_THAT(r.body, Catch::Contains(R"(<form method="post" action="https://app.example/cb">)"));
  CHECK_THAT(r.body, Catch::Contains(R"(name="state" value="&quot;&gt;&lt;x")"));
  CHECK_THAT(r.body, Catch::Contains(R"(name="iss" value="http://localhost:8080/api/auth")"));
  CHECK_THAT(*r.header("Content-Security-Policy"), Catch::Contains("script-src 'unsafe-inline'"));
  CHECK(admin(b, "POST", "/reset").status == 200);
  CHECK(admin(b, "GET", "/sessions").body == R"({"sessions":[]})");
  CHECK(Browser::answer(b.authorize(kWebQuery + "&prompt=none"), "error") == "login_required");
}

TEST_CASE("sign_in_session: users added and removed at run time") {
  Browser b;
  HttpResponse added =
      admin(b, "POST", "/users", R"({"username":"carol","password":"c","email":"carol@example.com","groups":["ops"]})");
  REQUIRE(added.status == 201);
  std::string id = *find_string(TestApp::parse(added.body), "id");
  HttpResponse page = b.authorize(kWebQuery);
  CHECK_THAT(page.body, Catch::Contains("carol@example.com"));
  HttpResponse r = b.login(page.body, "action=password&username=carol&password=c");
  CHECK(*find_string(jwt_claims(id_token_of(b, r)), "sub") == id);
  CHECK(admin(b, "POST", "/users", R"({"username":"carol"})").status == 409);
  CHECK(*find_string(TestApp::parse(admin(b, "POST", "/users", R"({"name":"x"})").body), "errorMessage") ==
        "username: required");
  CHECK(admin(b, "DELETE", "/users/" + id).status == 200);
  CHECK(admin(b, "DELETE", "/users/" + id).status == 404);
  // Its session ended with it.
  CHECK(Browser::answer(b.authorize(kWebQuery + "&prompt=none"), "error") == "login_required");
  CHECK(b.token("grant_type=password&username=carol&password=c", basic("web", "web")).status == 400);
  admin(b, "POST", "/reset");
  CHECK(TestApp::parse(admin(b, "GET", "/users?environment=default").body).at("users").get<JsonArray>().size() == 2);
}

TEST_CASE("sign_in_session: minted ID tokens and the cases a relying party must refuse") {
  Browser b;
  auto mint = [&](const std::string& body) {
    HttpResponse res = admin(b, "POST", "/mint", body);
    INFO(res.body);
    REQUIRE(res.status == 200);
    return TestApp::parse(res.body);
  };
  JsonObject ok = mint(R"({"token":"id_token","client_id":"web","user":"alice","nonce":"n-1","access_token":"AT"})");
  std::string token = *find_string(ok, "id_token");
  JsonObject c = jwt_claims(token);
  CHECK(jwt_header(token).at("typ").get<std::string>() == "JWT");
  CHECK(dump_json(c.at("aud")) == R"(["web"])");
  CHECK(*find_string(c, "sub") == "u-alice");
  CHECK(*find_string(c, "nonce") == "n-1");
  CHECK(*find_string(c, "at_hash") == base64url_encode(sha256("AT").substr(0, 16)));
  CHECK(c.at("exp").get<int64_t>() == kStart + 3600);
  CHECK(c.count("jti") == 0);
  CHECK(c.count("scope") == 0);
  // It verifies with the environment's key, as an issued one does.
  CHECK(b.app->find_environment("")->verifier().verify(token).token.has_value());

  CHECK(*find_string(
            jwt_claims(*find_string(mint(R"({"token":"id_token","case":"wrong_nonce","nonce":"n-1"})"), "id_token")),
            "nonce") != "n-1");
  CHECK(*find_string(jwt_claims(*find_string(mint(R"({"token":"id_token","case":"wrong_at_hash","access_token":"AT"})"),
                                             "id_token")),
                     "at_hash") != base64url_encode(sha256("AT").substr(0, 16)));
  JsonObject expired = jwt_claims(*find_string(mint(R"({"token":"id_token","case":"expired"})"), "id_token"));
  CHECK(expired.at("exp").get<int64_t>() == kStart - 60);
  CHECK(*find_string(jwt_claims(*find_string(mint(R"({"token":"id_token","case":"wrong_issuer"})"), "id_token")),
                     "iss") == "https://wrong-issuer.authemu.invalid");
  auto message = [&](const std::string& body) {
    return *find_string(TestApp::parse(admin(b, "POST", "/mint", body).body), "errorMessage");
  };
  CHECK(message(R"({"nonce":"x"})") == R"(nonce: only with "token": "id_token")");
  CHECK(message(R"({"token":"refresh_token"})") == "token: expected access_token, id_token, dpop_proof or client_assertion");
  CHECK_THAT(message(R"({"case":"wrong_nonce"})"), Catch::StartsWith("case: unknown case wrong_nonce"));
}

TEST_CASE("sign_in_session: the admin API bounds what a user or a queued sign-in may carry") {
  Browser b;
  auto message = [&](const std::string& path, const std::string& body) {
    return *find_string(TestApp::parse(admin(b, "POST", path, body).body), "errorMessage");
  };
  std::string big = R"({"username":"x","claims":{"k":")" + std::string(9000, 'a') + R"("}})";
  CHECK(message("/users", big) == "claims: longer than 8192 bytes as JSON");
  CHECK(message("/logins", R"({"subject":"s","claims":{"k":")" + std::string(9000, 'a') + R"("}})") ==
        "claims: longer than 8192 bytes as JSON");
  CHECK(message("/users", R"({"username":"x","groups":[")" + std::string(300, 'g') + R"("]})") ==
        "groups: items of at most 255 characters");
  CHECK(message("/users", R"({"username":"a\u0001b"})") == "username: no control characters");
}
