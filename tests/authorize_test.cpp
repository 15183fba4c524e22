// The authorization endpoint's parameter rules (oauth/authorize.h), without HTTP.
#include <catch2/catch.hpp>

#include "oauth/authorize.h"

using namespace authemu;

namespace {

constexpr char kChallenge[] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; // 43 characters

ClientStore clients() {
  Client web;
  web.id = "web";
  web.name = "Web";
  web.redirect_uris = {"https://app.example/cb", "http://127.0.0.1/callback", "http://[::1]/cb"};
  web.scopes = {"ledger:read"};
  Client spa;
  spa.id = "spa";
  spa.is_public = true;
  spa.redirect_uris = {"http://localhost:3000/cb"};
  Client machine;
  machine.id = "machine";
  machine.grant_types = std::vector<std::string>{"client_credentials"};
  machine.redirect_uris = {"https://m.example/cb"};
  return ClientStore({web, spa, machine});
}

Params params(const std::string& query) {
  return Params::parse(query, "query string");
}

AuthorizationRequest parse(const std::string& query) {
  static ClientStore store = clients();
  return parse_authorization_request(AuthorizeRules{}, params(query), store, "https://issuer.example");
}

// The error an invalid request redirects, as "code: description".
std::string redirected(const std::string& query) {
  try {
    parse(query);
  } catch (const AuthorizeRedirectError& e) {
    return e.code() + ": " + e.description();
  }
  return "no error";
}

// The error shown on a page (never redirected): an OAuthError that is not an AuthorizeRedirectError.
std::string page(const std::string& query) {
  try {
    parse(query);
  } catch (const AuthorizeRedirectError&) {
    return "redirected";
  } catch (const OAuthError& e) {
    return e.description();
  }
  return "no page error";
}

const std::string kWeb = "client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=openid";

} // namespace

TEST_CASE("authorize: a valid request") {
  AuthorizationRequest r = parse(kWeb + "%20profile%20ledger:read%20ledger:write&state=s%201&nonce=n&max_age=60"
                                        "&login_hint=alice&prompt=login&response_mode=form_post");
  CHECK(r.client_id == "web");
  CHECK(r.redirect_uri == "https://app.example/cb");
  CHECK(r.redirect_uri_sent);
  CHECK(r.scope == "openid profile ledger:read"); // ledger:write is not the client's
  CHECK(*r.state == "s 1");
  CHECK(*r.nonce == "n");
  CHECK(*r.max_age == 60);
  CHECK(r.login_hint == "alice");
  CHECK(r.prompt == std::vector<std::string>{"login"});
  CHECK(r.response_mode == "form_post");
  CHECK(r.issuer == "https://issuer.example");
  CHECK(r.code_challenge.empty());
}

TEST_CASE("authorize: errors that are never redirected (RFC 6749 §4.1.2.1)") {
  CHECK(page("response_type=code") == "client_id missing");
  CHECK(page("client_id=nobody&response_type=code") == "unknown client nobody");
  CHECK(page("client_id=web&response_type=code") == "redirect_uri missing (client web has several redirectUris)");
  CHECK(page("client_id=web&redirect_uri=https%3A%2F%2Fevil.example%2Fcb") ==
        "redirect_uri https://evil.example/cb is not registered for client web");
  CHECK(page("client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%2F") ==
        "redirect_uri https://app.example/cb/ is not registered for client web");
  CHECK(page("client_id=web&client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2Fcb") ==
        "parameter client_id is repeated");
}

TEST_CASE("authorize: redirect URIs match exactly, loopback IPs on any port (RFC 8252 §7.3)") {
  CHECK(redirect_uri_matches("http://127.0.0.1/callback", "http://127.0.0.1:51234/callback"));
  CHECK(redirect_uri_matches("http://127.0.0.1:8000/callback", "http://127.0.0.1:9/callback"));
  CHECK(redirect_uri_matches("http://[::1]/cb", "http://[::1]:8080/cb"));
  CHECK_FALSE(redirect_uri_matches("http://127.0.0.1/callback", "http://127.0.0.1:51234/other"));
  CHECK_FALSE(redirect_uri_matches("http://127.0.0.1/callback", "http://127.0.0.10:1/callback"));
  CHECK_FALSE(redirect_uri_matches("http://localhost/callback", "http://localhost:3000/callback"));
  CHECK_FALSE(redirect_uri_matches("https://127.0.0.1/callback", "https://127.0.0.1:3/callback"));
  CHECK_FALSE(redirect_uri_matches("http://127.0.0.1/callback", "http://127.0.0.1:/callback"));
  CHECK(parse("client_id=web&redirect_uri=http%3A%2F%2F127.0.0.1%3A4444%2Fcallback&response_type=code&scope=openid")
            .redirect_uri == "http://127.0.0.1:4444/callback");
  // One registered URI may be left out (RFC 6749 §3.1.2.3).
  auto r = parse("client_id=spa&response_type=code&scope=openid&code_challenge=" + std::string(kChallenge) +
                 "&code_challenge_method=S256");
  CHECK(r.redirect_uri == "http://localhost:3000/cb");
  CHECK_FALSE(r.redirect_uri_sent);
}

TEST_CASE("authorize: redirected errors carry state and the exact error") {
  CHECK(redirected("client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=openid") ==
        "invalid_request: response_type missing");
  CHECK(redirected(kWeb + "&response_type=token") == "invalid_request: parameter response_type is repeated");
  CHECK(redirected("client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=token&scope=openid") ==
        "unsupported_response_type: response_type must be code (token is not supported)");
  CHECK(redirected("client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=profile") ==
        "invalid_scope: scope must contain openid");
  CHECK(redirected("client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code") ==
        "invalid_scope: scope must contain openid");
  CHECK(redirected(kWeb + "&response_mode=jwt") ==
        "invalid_request: response_mode must be query, fragment or form_post");
  CHECK(redirected(kWeb + "&prompt=none%20login") ==
        "invalid_request: prompt=none cannot be combined with other prompt values");
  CHECK(redirected(kWeb + "&max_age=-1") == "invalid_request: max_age must be a non-negative integer");
  CHECK(redirected(kWeb + "&max_age=soon") == "invalid_request: max_age must be a non-negative integer");
  CHECK(redirected(kWeb + "&request=eyJ") == "request_not_supported: request objects are not supported");
  CHECK(redirected(kWeb + "&state=a&state=b") == "invalid_request: parameter state is repeated");
  CHECK(redirected(kWeb + "&nonce=" + std::string(kMaxAuthorizeValue + 1, 'n')) ==
        "invalid_request: nonce longer than 2048");
  CHECK(redirected("client_id=machine&redirect_uri=https%3A%2F%2Fm.example%2Fcb&response_type=code&scope=openid") ==
        "unauthorized_client: client machine may not use the authorization_code grant");
  try {
    parse(kWeb + "&state=xyz&response_mode=fragment&response_type=x");
    FAIL("no error");
  } catch (const AuthorizeRedirectError& e) {
    CHECK(*e.where().state == "xyz");
    CHECK(e.where().response_mode == "fragment");
    CHECK(e.where().issuer == "https://issuer.example");
  }
}

TEST_CASE("authorize: PKCE (RFC 7636 §4.3, §4.4.1)") {
  const std::string spa = "client_id=spa&response_type=code&scope=openid";
  CHECK(redirected(spa) == "invalid_request: code_challenge required: client spa is public (PKCE, RFC 7636)");
  CHECK(redirected(spa + "&code_challenge=short") ==
        "invalid_request: code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~");
  CHECK(redirected(spa + "&code_challenge=" + std::string(kChallenge) + "&code_challenge_method=S512") ==
        "invalid_request: code_challenge_method must be S256 or plain");
  CHECK(redirected(spa + "&code_challenge_method=S256") ==
        "invalid_request: code_challenge_method without code_challenge");
  auto plain = parse(spa + "&code_challenge=" + std::string(kChallenge));
  CHECK(plain.code_challenge_method == "plain"); // §4.3: absent means plain
  auto s256 = parse(kWeb + "&code_challenge=" + std::string(kChallenge) + "&code_challenge_method=S256");
  CHECK(s256.code_challenge == kChallenge);
  CHECK(s256.code_challenge_method == "S256");
}

TEST_CASE("authorize: prompt values others define are ignored, OIDC's kept") {
  CHECK(parse(kWeb + "&prompt=no-org").prompt.empty()); // fctl's
  CHECK(parse(kWeb + "&prompt=consent%20select_account%20create").prompt ==
        std::vector<std::string>{"consent", "select_account"});
}

TEST_CASE("authorize: answers carry state as received and iss (RFC 9207)") {
  AuthorizationRequest r = parse(kWeb + "&state=a%26b%3Dc");
  CHECK(answer_location(r, code_answer(r, "C0DE")) ==
        "https://app.example/cb?code=C0DE&state=a%26b%3Dc&iss=https%3A%2F%2Fissuer.example");
  r.redirect_uri = "https://app.example/cb?tenant=1";
  CHECK(answer_location(r, code_answer(r, "C")) ==
        "https://app.example/cb?tenant=1&code=C&state=a%26b%3Dc&iss=https%3A%2F%2Fissuer.example");
  r.response_mode = "fragment";
  r.state.reset();
  CHECK(
      answer_location(r, error_answer(r, oauth::invalid_request("x y"))) ==
      "https://app.example/cb?tenant=1#error=invalid_request&error_description=x%20y&iss=https%3A%2F%2Fissuer.example");
}
