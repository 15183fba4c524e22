// Browser sign-in through the App: login page, CSRF and cookie binding, sessions, auto mode, the
// admin queue, and the authorization_code grant.
#include <catch2/catch.hpp>

#include "http/sign_in.h"
#include "sign_in_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

// authorize → page → sign in as alice by password; returns the redirect.
HttpResponse sign_in_alice(Browser& b, const std::string& query = kWebQuery) {
  HttpResponse page = b.authorize(query);
  REQUIRE(page.status == 200);
  return b.login(page.body, "action=password&username=alice&password=alice");
}

HttpResponse redeem(Browser& b, const std::string& code, const std::string& extra = "") {
  return b.token("grant_type=authorization_code&code=" + code + "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb" + extra,
                 basic("web", "web"));
}

// A hidden input's value on a page.
std::string hidden_value(const std::string& html, const std::string& name) {
  std::string key = "name=\"" + name + "\" value=\"";
  size_t i = html.find(key);
  if (i == std::string::npos) return "";
  i += key.size();
  return html.substr(i, html.find('"', i) - i);
}
// "name=value" of the response's Set-Cookie for name.
std::string set_cookie(const HttpResponse& res, const std::string& name) {
  for (const auto& [header, value] : res.headers) {
    if (iequals(header, "Set-Cookie") && value.rfind(name + "=", 0) == 0) return value.substr(0, value.find(';'));
  }
  return "";
}

} // namespace

TEST_CASE("sign_in: the login page is HTML, escaped, and binds itself to the browser") {
  Browser b;
  HttpResponse page = b.authorize(kWebQuery + "&login_hint=%3Cb%3E");
  CHECK(page.status == 200);
  CHECK(*page.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(*page.header("Cache-Control") == "no-store");
  CHECK(*page.header("X-Frame-Options") == "DENY");
  CHECK_THAT(page.body, Catch::Contains("Sign in to Web &lt;App&gt; &amp; &quot;Co&quot;"));
  CHECK_THAT(page.body, Catch::Contains("Alice &lt;Admin&gt;"));
  CHECK_THAT(page.body, Catch::Contains("value=\"&lt;b&gt;\"")); // login_hint pre-fills the username
  CHECK(page.body.find("<Admin>") == std::string::npos);
  CHECK(page.body.find("<script") == std::string::npos);
  REQUIRE(b.set_cookies.size() == 1);
  CHECK_THAT(b.set_cookies[0], Catch::StartsWith("authemu_login_default="));
  CHECK_THAT(b.set_cookies[0], Catch::EndsWith("; Path=/; HttpOnly; SameSite=Lax"));

  SECTION("another browser cannot post the form (no binding cookie)") {
    std::string form = "request=" + Browser::field(page.body, "request") +
                       "&csrf=" + Browser::field(page.body, "csrf") + "&action=user&user=u-alice";
    HttpResponse res = b.send("POST", "/api/auth/login", form, {}, false);
    CHECK(res.status == 403);
    CHECK_THAT(res.body, Catch::Contains("was not opened in this browser"));
  }
  SECTION("a wrong CSRF value is refused") {
    HttpResponse res =
        b.send("POST", "/api/auth/login",
               "request=" + Browser::field(page.body, "request") + "&csrf=forged&action=user&user=u-alice");
    CHECK(res.status == 403);
  }
  SECTION("an unknown request id") {
    HttpResponse res = b.send("POST", "/api/auth/login", "request=nope&csrf=x&action=deny");
    CHECK(res.status == 400);
    CHECK_THAT(res.body, Catch::Contains("unknown or expired"));
  }
  SECTION("a page expires after 30 minutes of the environment clock") {
    b.clock.advance(kLoginPageLifetime);
    CHECK(b.login(page.body, "action=user&user=u-alice").status == 400);
  }
  SECTION("a JSON client gets the RFC 6749 error body") {
    HttpResponse res = b.send("POST", "/api/auth/login", "request=nope&csrf=x", {{"Accept", "application/json"}});
    CHECK(res.status == 400);
    CHECK(*find_string(TestApp::parse(res.body), "error") == "invalid_request");
  }
}

TEST_CASE("sign_in: password, one-click user, deny") {
  Browser b;
  HttpResponse page = b.authorize(kWebQuery);
  SECTION("a wrong password shows the page again with a message, and changes nothing") {
    HttpResponse res = b.login(page.body, "action=password&username=alice&password=nope");
    CHECK(res.status == 401);
    CHECK_THAT(res.body, Catch::Contains("Wrong username or password."));
    CHECK(b.login(page.body, "action=password&username=nobody&password=alice").status == 401);
    res = b.login(page.body, "action=password&username=alice&password=alice");
    CHECK(res.status == 302);
  }
  SECTION("one click signs a test user in") {
    HttpResponse res = b.login(page.body, "action=user&user=u-bob");
    REQUIRE(res.status == 302);
    CHECK_THAT(*res.header("Location"), Catch::StartsWith("https://app.example/cb?code="));
    CHECK(Browser::answer(res, "state") == "st");
    CHECK(Browser::answer(res, "iss") == kIssuer);
    bool session_cookie = false;
    for (const auto& c : b.set_cookies) {
      if (c.rfind("authemu_sid_default=", 0) == 0) {
        session_cookie = true;
        CHECK_THAT(c, Catch::EndsWith("; Path=/; HttpOnly; SameSite=Lax"));
      }
    }
    CHECK(session_cookie);
    CHECK(b.cookies.count("authemu_login_default") == 1); // kept: other pages of this browser use it too
    // The page is single use.
    CHECK(b.login(page.body, "action=user&user=u-bob").status == 400);
  }
  SECTION("deny answers access_denied") {
    HttpResponse res = b.login(page.body, "action=deny");
    CHECK(res.status == 302);
    CHECK(Browser::answer(res, "error") == "access_denied");
    CHECK(Browser::answer(res, "state") == "st");
  }
  SECTION("no action") {
    CHECK(b.login(page.body, "action=dance").status == 400);
  }
}

TEST_CASE("sign_in: two login pages open in one browser both sign in") {
  FakeClock clock(kStart);
  auto app_ptr = loopback_app(clock);
  App& app = *app_ptr;
  HttpResponse first = authorize_loopback(app, "state=one");
  REQUIRE(first.status == 200);
  std::string cookie = set_cookie(first, "authemu_login_default");
  REQUIRE(!cookie.empty());
  HttpResponse second = authorize_loopback(app, "state=two", cookie);
  REQUIRE(second.status == 200);
  CHECK(set_cookie(second, "authemu_login_default") == cookie); // the browser's binding is kept

  auto submit = [&](const HttpResponse& page) {
    HttpRequest req;
    req.method = "POST";
    req.path = "/api/auth/login";
    req.body = "action=user&user=u-alice&request=" + hidden_value(page.body, "request") +
               "&csrf=" + hidden_value(page.body, "csrf");
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}};
    return app.handle(req);
  };
  HttpResponse a = submit(first);
  CHECK(a.status == 302);
  CHECK(a.header("Location").value_or("").find("state=one") != std::string::npos);
  HttpResponse b = submit(second);
  CHECK(b.status == 302);
  CHECK(b.header("Location").value_or("").find("state=two") != std::string::npos);

  SECTION("a binding cookie of another shape is replaced") {
    HttpResponse res = authorize_loopback(app, "state=three", "authemu_login_default=short");
    CHECK(set_cookie(res, "authemu_login_default").size() == std::string("authemu_login_default=").size() + 43);
  }
}

TEST_CASE("sign_in: the code grant's tokens: ID token claims, the access token, refresh with offline_access") {
  Browser b;
  HttpResponse res = sign_in_alice(b, kWebQuery + "%20profile%20email%20offline_access&max_age=600");
  std::string code = Browser::answer(res, "code");
  REQUIRE_FALSE(code.empty());
  HttpResponse t = redeem(b, code);
  REQUIRE(t.status == 200);
  JsonObject o = TestApp::parse(t.body);
  CHECK(*find_string(o, "scope") == "openid profile email offline_access");
  REQUIRE(find_string(o, "refresh_token"));
  std::string access = *find_string(o, "access_token");
  JsonObject id = jwt_claims(*find_string(o, "id_token"));
  CHECK(*find_string(id, "iss") == kIssuer);
  CHECK(*find_string(id, "sub") == "u-alice");
  CHECK(dump_json(id.at("aud")) == R"(["web"])");
  CHECK(*find_string(id, "azp") == "web");
  CHECK(*find_string(id, "nonce") == "nn");
  CHECK(id.at("auth_time").get<int64_t>() == kStart);
  CHECK(id.at("exp").get<int64_t>() == kStart + 3600);
  CHECK(*find_string(id, "at_hash") == base64url_encode(sha256(access).substr(0, 16)));
  CHECK(dump_json(id.at("amr")) == R"(["pwd"])");
  CHECK_FALSE(find_string(id, "sid")->empty());
  CHECK(*find_string(id, "email") == "alice@example.com");
  CHECK(*find_string(id, "name") == "Alice <Admin>");
  CHECK(jwt_header(*find_string(o, "id_token")).at("typ").get<std::string>() == "JWT");
  JsonObject at = jwt_claims(access);
  CHECK(dump_json(at.at("aud")) == R"(["web"])");
  CHECK(at.at("exp").get<int64_t>() == kStart + 300); // the user-token lifetime
  CHECK(jwt_header(access).at("typ").get<std::string>() == "at+jwt");
  // The refresh keeps sid, amr and auth_time; no nonce (OIDC Core §12.2).
  b.clock.advance(100);
  HttpResponse r =
      b.token("grant_type=refresh_token&refresh_token=" + *find_string(o, "refresh_token"), basic("web", "web"));
  REQUIRE(r.status == 200);
  JsonObject id2 = jwt_claims(*find_string(TestApp::parse(r.body), "id_token"));
  CHECK(id2.at("auth_time").get<int64_t>() == kStart);
  CHECK(*find_string(id2, "sid") == *find_string(id, "sid"));
  CHECK(id2.count("nonce") == 0);
}

TEST_CASE("sign_in: the code grant issues tokens bound to the request") {
  Browser b;
  HttpResponse res = sign_in_alice(b, kWebQuery + "%20profile%20email%20offline_access&max_age=600");
  std::string code = Browser::answer(res, "code");
  REQUIRE_FALSE(code.empty());

  SECTION("a second use fails and revokes what the first issued (RFC 6749 §4.1.2)") {
    HttpResponse t = redeem(b, code);
    REQUIRE(t.status == 200);
    std::string access = *find_string(TestApp::parse(t.body), "access_token");
    CHECK(b.send("GET", "/api/auth/userinfo", "", bearer(access), false).status == 200);
    HttpResponse again = redeem(b, code);
    CHECK(again.status == 400);
    CHECK(
        again.body ==
        R"({"error":"invalid_grant","error_description":"authorization code already used; the tokens issued for it are revoked"})");
    CHECK(b.send("GET", "/api/auth/userinfo", "", bearer(access), false).status == 401);
    HttpResponse refresh =
        b.token("grant_type=refresh_token&refresh_token=" + *find_string(TestApp::parse(t.body), "refresh_token"),
                basic("web", "web"));
    CHECK(refresh.status == 400);
  }
  SECTION("the code lives 60 s by the environment clock") {
    b.clock.advance(59);
    CHECK(redeem(b, code).status == 200);
  }
  SECTION("an expired code") {
    b.clock.advance(60);
    CHECK(redeem(b, code).body ==
          R"({"error":"invalid_grant","error_description":"authorization code unknown, expired or already used"})");
  }
  SECTION("bindings: redirect_uri, client; a refused request leaves the code usable") {
    CHECK(
        b.token("grant_type=authorization_code&code=" + code, basic("web", "web")).body ==
        R"j({"error":"invalid_request","error_description":"redirect_uri missing: the authorization request had one (RFC 6749 section 4.1.3)"})j");
    CHECK(redeem(b, code, "x").body ==
          R"({"error":"invalid_grant","error_description":"redirect_uri does not match the authorization request's"})");
    CHECK(b.token("grant_type=authorization_code&code=" + code + "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb",
                  basic("noreuse", "noreuse"))
              .body ==
          R"({"error":"invalid_grant","error_description":"authorization code was issued to another client"})");
    CHECK(
        redeem(b, code, "&code_verifier=" + std::string(kVerifier)).body ==
        R"({"error":"invalid_grant","error_description":"code_verifier sent, but the authorization request had no code_challenge"})");
    CHECK(b.token("grant_type=authorization_code&redirect_uri=x", basic("web", "web")).body ==
          R"({"error":"invalid_request","error_description":"code missing"})");
    CHECK(redeem(b, code).status == 200);
  }
  SECTION("no refresh token without offline_access") {
    HttpResponse r2 = b.authorize(kWebQuery); // the session signs in again at once
    REQUIRE(r2.status == 302);
    JsonObject o = TestApp::parse(redeem(b, Browser::answer(r2, "code")).body);
    CHECK_FALSE(find_string(o, "refresh_token"));
    CHECK(find_string(o, "id_token"));
  }
}

TEST_CASE("sign_in: PKCE at the token endpoint (RFC 7636 §4.5, §4.6)") {
  Browser b;
  auto code_for = [&](const std::string& method, const std::string& challenge) {
    HttpResponse res = b.authorize("client_id=spa&response_type=code&scope=openid&code_challenge=" + challenge +
                                   "&code_challenge_method=" + method);
    if (res.status == 200) res = b.login(res.body, "action=user&user=u-bob"); // later ones: the session
    return Browser::answer(res, "code");
  };
  auto exchange = [&](const std::string& code, const std::string& verifier) {
    return b.token("grant_type=authorization_code&client_id=spa&code=" + code +
                   (verifier.empty() ? "" : "&code_verifier=" + verifier));
  };
  std::string code = code_for("S256", kS256Challenge);
  CHECK(
      exchange(code, "").body ==
      R"({"error":"invalid_grant","error_description":"code_verifier missing: the authorization request had a code_challenge"})");
  CHECK(
      exchange(code, "short").body ==
      R"({"error":"invalid_request","error_description":"code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~"})");
  CHECK(exchange(code, std::string(kVerifier).substr(1) + "x").body ==
        R"({"error":"invalid_grant","error_description":"code_verifier does not match the code_challenge"})");
  CHECK(exchange(code, kVerifier).status == 200);
  std::string plain = code_for("plain", kVerifier);
  CHECK(exchange(plain, kS256Challenge).status == 400);
  CHECK(exchange(plain, kVerifier).status == 200);
}

TEST_CASE("sign_in: on https the cookies are Secure with the __Host- prefix, and either name is read") {
  AppSettings settings;
  settings.environment.issuer = "https://localhost:8443/api/auth";
  Browser b(settings);
  HttpResponse page = b.authorize(kWebQuery);
  REQUIRE(page.status == 200);
  REQUIRE(b.set_cookies.size() == 1);
  CHECK_THAT(b.set_cookies[0], Catch::StartsWith("__Host-authemu_login_default="));
  CHECK_THAT(b.set_cookies[0], Catch::EndsWith("; Path=/; HttpOnly; SameSite=Lax; Secure"));
  HttpResponse done = b.login(page.body, "action=password&username=alice&password=alice");
  REQUIRE(done.status == 302);
  CHECK(set_cookie(done, "__Host-authemu_sid_default").size() > 30);
  CHECK(b.cookies.count("__Host-authemu_sid_default") == 1);
  SECTION("the session, sent with the prefix, signs in again at once") {
    HttpResponse again = b.authorize(kWebQuery);
    CHECK(again.status == 302);
    CHECK_FALSE(Browser::answer(again, "code").empty());
  }
  SECTION("a session cookie without the prefix (set over http before) is read too") {
    b.cookies["authemu_sid_default"] = b.cookies["__Host-authemu_sid_default"];
    b.cookies.erase("__Host-authemu_sid_default");
    HttpResponse again = b.authorize(kWebQuery);
    CHECK(again.status == 302);
    CHECK_FALSE(Browser::answer(again, "code").empty());
  }
  SECTION("no Strict-Transport-Security, ever") {
    for (const auto& [k, v] : done.headers)
      CHECK_FALSE(iequals(k, "Strict-Transport-Security"));
  }
}

TEST_CASE("sign_in: on http the cookies keep their plain names") {
  Browser b;
  HttpResponse page = b.authorize(kWebQuery);
  HttpResponse done = b.login(page.body, "action=password&username=alice&password=alice");
  CHECK(set_cookie(done, "authemu_sid_default").size() > 30);
  CHECK(set_cookie(done, "__Host-authemu_sid_default").empty());
}

TEST_CASE("sign_in: a refused redirect_uri's page lists the client's redirect URIs and how to add one") {
  Browser b;
  SECTION("a fixture client: its URIs (escaped; loopback ones on any port) and the fixture field") {
    HttpResponse page = b.authorize("client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2F%3Cscript%3E"
                                    "&response_type=code&scope=openid");
    CHECK(page.status == 400);
    CHECK(*page.header("Content-Type") == "text/html; charset=utf-8");
    CHECK_THAT(page.body, Catch::Contains("<p>redirect_uri https://app.example/&lt;script&gt; is not registered for "
                                          "client web (invalid_request)</p><h2>Registered redirect URIs</h2>"
                                          "<ul class=\"uris\"><li><code>https://app.example/cb</code>"
                                          "</li><li><code>http://127.0.0.1/callback</code> (any port)</li></ul>"));
    CHECK_THAT(page.body, Catch::Contains("To add one, list it under redirectUris of client web in your fixture"));
    CHECK_THAT(page.body, Catch::Contains("in a file with extends: default or by POST /api/auth/clients."));
    CHECK(page.body.find("<script>") == std::string::npos);
    // Left out while several are registered: one of them is the fix.
    page = b.authorize("client_id=web&response_type=code&scope=openid");
    CHECK_THAT(page.body, Catch::Contains("Send one of them as redirect_uri. To add one, list it under redirectUris"));
  }
  SECTION("a JSON caller and PAR get the short exact error_description, without the list") {
    HttpResponse json = b.send("GET",
                               "/api/auth/authorize?client_id=web&redirect_uri=https%3A%2F%2Fx.example%2F"
                               "&response_type=code&scope=openid",
                               "", {{"Accept", "application/json"}});
    CHECK(json.status == 400);
    CHECK(json.body == R"({"error":"invalid_request","error_description":"redirect_uri https://x.example/ is not )"
                       R"(registered for client web"})");
    HttpResponse par = b.send("POST", "/api/auth/par",
                              "client_id=web&client_secret=web&redirect_uri=https%3A%2F%2Fx.example%2F"
                              "&response_type=code&scope=openid");
    CHECK(par.status == 400);
    CHECK(par.body == json.body);
  }
  SECTION("a management API client: ten URIs, \"and N more\", and its PUT; none registered") {
    std::string token = *find_string(TestApp::parse(b.token("grant_type=client_credentials", basic("web", "web")).body),
                                     "access_token");
    std::string uris = "\"https://a.example/<b>\"";
    for (int i = 1; i < 12; ++i)
      uris += ",\"https://a.example/" + std::to_string(i) + "\"";
    auto create = [&](const std::string& body) {
      Headers h = bearer(token);
      h.emplace_back("Content-Type", "application/json");
      HttpResponse res = b.send("POST", "/api/auth/clients", body, h);
      REQUIRE(res.status == 201);
      return *find_string(TestApp::parse(res.body).at("data").get<JsonObject>(), "id");
    };
    std::string many = create(R"({"name":"many","public":true,"redirectUris":[)" + uris + "]}");
    HttpResponse page = b.authorize("client_id=" + many +
                                    "&redirect_uri=https%3A%2F%2Fz.example%2F"
                                    "&response_type=code&scope=openid");
    CHECK(page.status == 400);
    CHECK_THAT(page.body, Catch::Contains("<li><code>https://a.example/&lt;b&gt;</code></li>"));
    CHECK_THAT(page.body, Catch::Contains("<li><code>https://a.example/9</code></li><li>and 2 more</li></ul>"));
    CHECK(page.body.find("https://a.example/10") == std::string::npos);
    CHECK_THAT(page.body, Catch::Contains("To add one: PUT /api/auth/clients/" + many +
                                          " (the management API) with the client&#39;s fields, redirectUris "
                                          "including it."));
    std::string bare = create(R"({"name":"bare","public":true})");
    page = b.authorize("client_id=" + bare + "&response_type=code&scope=openid");
    CHECK(page.status == 400);
    std::string none = "<p>client " + bare + " has no redirectUris (invalid_request)</p>";
    none += "<p>Client <code>" + bare + "</code> has no redirect URIs registered.</p>";
    CHECK_THAT(page.body, Catch::Contains(none));
    CHECK_THAT(page.body, Catch::Contains("To add one: PUT /api/auth/clients/" + bare));
  }
  SECTION("a registered client (RFC 7591): RFC 7592's PUT") {
    HttpResponse reg = b.send("POST", "/api/auth/register",
                              R"({"redirect_uris":["https://r.example/cb"],"token_endpoint_auth_method":"none"})",
                              {{"Content-Type", "application/json"}});
    REQUIRE(reg.status == 201);
    std::string id = *find_string(TestApp::parse(reg.body), "client_id");
    HttpResponse page = b.authorize("client_id=" + id +
                                    "&redirect_uri=https%3A%2F%2Fz.example%2F"
                                    "&response_type=code&scope=openid");
    CHECK_THAT(page.body, Catch::Contains("<li><code>https://r.example/cb</code></li></ul>"));
    CHECK_THAT(page.body, Catch::Contains("To add one: PUT /api/auth/register/" + id +
                                          " with its registration access token and its metadata, redirect_uris "
                                          "including it (RFC 7592)."));
  }
}
