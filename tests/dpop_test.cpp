// oauth/dpop and its endpoints (RFC 9449): htu normalization, each proof rule's exact
// invalid_dpop_proof, nonces, replays; the token endpoint's bound tokens, dpop_jkt codes and PAR,
// public clients' refresh tokens, and the resources' DPoP scheme and challenges.
#include <catch2/catch.hpp>

#include "jose/crypto.h"
#include "jose/jwk.h"
#include "oauth/dpop.h"
#include "oauth/oauth_error.h"
#include "sign_in_support.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

const JwsAlgorithm& es256() {
  return *find_jws_algorithm("ES256");
}
PrivateJwk& key() {
  static PrivateJwk k = PrivateJwk::generate(es256());
  return k;
}

std::string proof(const std::string& htm, const std::string& htu, int64_t iat, JsonObject extra = {},
                  JsonObject header_extra = {}, const PrivateJwk& k = key()) {
  JsonObject header{{"typ", json_string("dpop+jwt")}, {"alg", json_string("ES256")}, {"jwk", Json(k.public_key().members())}};
  for (auto& [n, v] : header_extra) header[n] = v;
  JsonObject claims{{"jti", json_string(uuid_v4())}, {"htm", json_string(htm)}, {"htu", json_string(htu)}, {"iat", json_int(iat)}};
  for (auto& [n, v] : extra) claims[n] = v;
  return sign_jws_with(es256(), &k, "", header, claims);
}

std::string basic_value(const std::string& id, const std::string& secret) {
  return "Basic " + base64_encode(id + ":" + secret);
}

struct Checker {
  Checker() : env(kStart), real(kStart), dpop(env, real, "default") {}
  FakeClock env, real;
  Dpop dpop;
  std::string refusal(const std::string& p, const std::string* token = nullptr, bool nonce = false,
                      const std::string& url = "https://rs.test/a") {
    DpopCheck c;
    c.proofs = {p};
    c.method = "GET";
    c.urls = {url};
    c.access_token = token;
    c.nonce_required = nonce;
    try {
      dpop.check(c);
      return "accepted";
    } catch (const OAuthError& e) {
      return e.code() + ": " + e.description();
    }
  }
};

} // namespace

TEST_CASE("dpop: htu is compared after RFC 3986 §6.2.2-6.2.3 normalization, without query and fragment") {
  CHECK(*normalize_htu("HTTPS://RS.Test:443/a/./b/../c?q=1#f") == "https://rs.test/a/c");
  CHECK(*normalize_htu("http://rs.test:80") == "http://rs.test/");
  CHECK(*normalize_htu("http://rs.test:8080/%7euser/%2f") == "http://rs.test:8080/~user/%2F");
  CHECK(*normalize_htu("https://[::1]:8443/x") == "https://[::1]:8443/x");
  CHECK_FALSE(normalize_htu("ftp://rs.test/"));
  CHECK_FALSE(normalize_htu("/relative"));
  CHECK_FALSE(normalize_htu("https://user@rs.test/"));
  // A second port, or one that is not digits, is no URL (and normalizing stays idempotent).
  CHECK_FALSE(normalize_htu("HTTPS://Rs.Test:443:443/a"));
  CHECK_FALSE(normalize_htu("https://rs.test:x/a"));
  CHECK_FALSE(normalize_htu("https://[::1/a"));
  CHECK_FALSE(normalize_htu("HTTPS://:443/a"));
  CHECK(*normalize_htu("https://rs.test:/a") == "https://rs.test/a");
}

TEST_CASE("dpop: a valid proof gives its key's thumbprint; each broken rule its own refusal") {
  Checker c;
  int64_t now = kStart;
  std::string token = "the-access-token";
  DpopCheck ok;
  ok.proofs = {proof("GET", "https://RS.test:443/a?x=1", now, {{"ath", json_string(sha256_base64url(token))}})};
  ok.method = "GET";
  ok.urls = {"https://rs.test/a"};
  ok.access_token = &token;
  CHECK(c.dpop.check(ok).jkt == key().public_key().thumbprint());
  CHECK_THROWS_WITH(c.dpop.check(ok), "DPoP proof replayed: its jti was used before");
  ok.record_jti = false; // checked only: recorded by the caller once the request is known good
  ok.proofs = {proof("GET", "https://rs.test/a", now, {{"ath", json_string(sha256_base64url(token))}})};
  DpopProof p = c.dpop.check(ok);
  CHECK_NOTHROW(c.dpop.check(ok));
  c.dpop.record(p);
  CHECK_THROWS_WITH(c.dpop.record(p), "DPoP proof replayed: its jti was used before");
}

TEST_CASE("dpop: refusals") {
  Checker c;
  int64_t now = kStart;
  const std::string u = "https://rs.test/a";
  std::string token = "t";
  std::string ath = sha256_base64url(token);
  CHECK(c.refusal(proof("POST", u, now)) == "invalid_dpop_proof: DPoP proof htm POST is not this request's method GET");
  CHECK(c.refusal(proof("GET", "https://rs.test/b", now)) ==
        "invalid_dpop_proof: DPoP proof htu https://rs.test/b is not this request's URL https://rs.test/a");
  CHECK(c.refusal(proof("GET", u, now - 400)) ==
        "invalid_dpop_proof: DPoP proof iat 2023-11-14T22:06:40Z is more than 300 seconds old");
  CHECK(c.refusal(proof("GET", u, now + 120)) == "invalid_dpop_proof: DPoP proof iat 2023-11-14T22:15:20Z is in the future");
  CHECK(c.refusal(proof("GET", u, now), &token) ==
        "invalid_dpop_proof: DPoP proof has no ath (the hash of the access token it comes with)");
  CHECK(c.refusal(proof("GET", u, now, {{"ath", json_string("x")}}), &token) ==
        "invalid_dpop_proof: DPoP proof ath is not the hash of this access token");
  CHECK(c.refusal(proof("GET", u, now, {}, {{"typ", json_string("JWT")}})) ==
        "invalid_dpop_proof: DPoP proof typ must be dpop+jwt, not JWT");
  CHECK(c.refusal(proof("GET", u, now, {}, {{"jwk", Json(key().private_members(es256()))}})) ==
        "invalid_dpop_proof: DPoP proof jwk holds the private member \"d\": the header carries the public key only");
  CHECK(c.refusal(proof("GET", u, now, {}, {{"jwk", Json(JsonObject{{"kty", json_string("OKP")}})}})) ==
        "invalid_dpop_proof: DPoP proof jwk: kty OKP (Ed25519, Ed448): EdDSA keys are not supported (mbedTLS 3.6 has "
        "no EdDSA signatures)");
  PrivateJwk other = PrivateJwk::generate(es256());
  CHECK(c.refusal(proof("GET", u, now, {}, {{"jwk", Json(other.public_key().members())}})) ==
        "invalid_dpop_proof: DPoP proof signature does not verify with its jwk");
  JsonObject header{{"typ", json_string("dpop+jwt")}, {"alg", json_string("HS256")}, {"jwk", Json(key().public_key().members())}};
  JsonObject claims{{"jti", json_string("j")}, {"htm", json_string("GET")}, {"htu", json_string(u)}, {"iat", json_int(now)}};
  CHECK(c.refusal(sign_jws_with(*find_jws_algorithm("HS256"), nullptr, "k", header, claims)) ==
        "invalid_dpop_proof: DPoP proof alg HS256 is symmetric: a proof is signed with an asymmetric algorithm (RFC "
        "9449 section 4.2)");
  header["alg"] = json_string("none");
  CHECK(c.refusal(jws_signing_input(header, claims) + ".") == "invalid_dpop_proof: DPoP proof is not signed (alg none)");
  CHECK(c.refusal(std::string(kMaxClientJwtLength + 1, 'x')) == "invalid_dpop_proof: DPoP proof longer than 8192 bytes");
  std::string dup = base64url_encode(R"({"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","kty":"RSA"}})") + "." +
                    base64url_encode(dump_json(Json(claims))) + ".AA";
  CHECK(c.refusal(dup) == "invalid_dpop_proof: DPoP proof header has the member \"kty\" twice");
  SECTION("two DPoP headers") {
    DpopCheck two;
    two.proofs = {proof("GET", u, now), proof("GET", u, now)};
    two.method = "GET";
    two.urls = {u};
    CHECK_THROWS_WITH(c.dpop.check(two), "more than one DPoP header (RFC 9449 section 4.3)");
  }
  SECTION("a replay") {
    std::string p = proof("GET", u, now);
    CHECK(c.refusal(p) == "accepted");
    CHECK(c.refusal(p) == "invalid_dpop_proof: DPoP proof replayed: its jti was used before");
  }
  SECTION("iat on the environment's moved clock or on real time") {
    c.env.advance(86400);
    CHECK(c.refusal(proof("GET", u, now)) == "accepted");
    CHECK(c.refusal(proof("GET", u, now + 86400)) == "accepted");
  }
}

TEST_CASE("dpop: server nonces rotate, stay valid for a bounded time, and are asked for with use_dpop_nonce") {
  Checker c;
  const std::string u = "https://rs.test/a";
  try {
    c.dpop.check(DpopCheck{{proof("GET", u, kStart)}, "GET", {u}, nullptr, true});
    FAIL("accepted without a nonce");
  } catch (const OAuthError& e) {
    CHECK(e.code() == "use_dpop_nonce");
    CHECK(e.dpop_nonce() == c.dpop.nonce());
  }
  std::string n = c.dpop.nonce();
  CHECK(c.refusal(proof("GET", u, kStart, {{"nonce", json_string(n)}}), nullptr, true) == "accepted");
  CHECK(c.refusal(proof("GET", u, kStart, {{"nonce", json_string("bogus")}}), nullptr, true) ==
        "use_dpop_nonce: DPoP proof nonce is not current: retry with the nonce of the DPoP-Nonce header");
  c.real.advance(kDpopNonceRotation);
  CHECK(c.dpop.nonce() != n); // rotated
  CHECK(c.dpop.nonce_valid(n));
  c.real.advance(kDpopNonceValidity);
  CHECK_FALSE(c.dpop.nonce_valid(n));
  Checker other; // another process (or environment): another secret
  CHECK_FALSE(other.dpop.nonce_valid(c.dpop.nonce()));
}

TEST_CASE("dpop: the token endpoint binds tokens; resources take them with the DPoP scheme") {
  TestApp t;
  std::string token_url = std::string(kIssuer) + "/oauth/token";
  auto with_proof = [&](const std::string& htm, const std::string& htu, JsonObject extra = {}) {
    return Headers{{"DPoP", proof(htm, htu, kStart, std::move(extra))}, {"Authorization", basic_value("testing", "testing")}};
  };
  HttpResponse r = t.token("grant_type=client_credentials", with_proof("POST", token_url));
  REQUIRE(r.status == 200);
  JsonObject o = TestApp::parse(r.body);
  CHECK(*find_string(o, "token_type") == "DPoP");
  std::string at = *find_string(o, "access_token");
  CHECK(find_string(jwt_claims(at).at("cnf").get<JsonObject>(), "jkt") == key().public_key().thumbprint());
  SECTION("a wrong htu at the token endpoint: 400 invalid_dpop_proof") {
    HttpResponse bad = t.token("grant_type=client_credentials", with_proof("POST", "https://elsewhere.test/token"));
    CHECK(bad.status == 400);
    CHECK(*find_string(TestApp::parse(bad.body), "error") == "invalid_dpop_proof");
  }
  SECTION("the resource: DPoP scheme with a proof; as Bearer refused; the challenges") {
    std::string api = "http://localhost/api/ledger/_info";
    Headers ok{{"Authorization", "DPoP " + at},
               {"DPoP", proof("GET", api, kStart, {{"ath", json_string(sha256_base64url(at))}})}};
    CHECK(t.request("GET", "/api/ledger/_info", "", ok).status == 200);
    HttpResponse bearer = t.request("GET", "/api/ledger/_info", "", {{"Authorization", "Bearer " + at}});
    CHECK(bearer.status == 401);
    CHECK(*bearer.header("WWW-Authenticate") ==
          "Bearer realm=\"authemu\", error=\"invalid_token\", error_description=\"the token is DPoP-bound (cnf jkt): "
          "send it as Authorization: DPoP with a DPoP proof\", resource_metadata=\"http://localhost/.well-known/oauth-protected-resource/api/ledger\", DPoP algs=\"RS256 RS384 RS512 PS256 PS384 PS512 ES256 "
          "ES384 ES512\"");
    HttpResponse no_proof = t.request("GET", "/api/ledger/_info", "", {{"Authorization", "DPoP " + at}});
    CHECK(no_proof.status == 401);
    CHECK(*no_proof.header("WWW-Authenticate") ==
          "Bearer realm=\"authemu\", resource_metadata=\"http://localhost/.well-known/oauth-protected-resource/api/ledger\", DPoP error=\"invalid_dpop_proof\", error_description=\"DPoP proof missing (the "
          "DPoP header)\", algs=\"RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512\"");
    // A bearer token with a proof is refused too.
    HttpResponse plain = t.token("grant_type=client_credentials", {{"Authorization", basic_value("testing", "testing")}});
    std::string bt = *find_string(TestApp::parse(plain.body), "access_token");
    HttpResponse mixed = t.request("GET", "/api/ledger/_info", "",
                                   {{"Authorization", "Bearer " + bt}, {"DPoP", proof("GET", api, kStart)}});
    CHECK(mixed.status == 400); // RFC 9449 §7.2
    CHECK(*find_string(TestApp::parse(mixed.body), "error") == "invalid_request");
    CHECK_THAT(mixed.body, Catch::Contains("a DPoP proof came with a Bearer token"));
  }
  SECTION("introspection: token_type DPoP and cnf") {
    HttpResponse i = t.request("POST", "/api/auth/oauth/introspect", "token=" + at, {{"Authorization", basic_value("testing", "testing")}});
    JsonObject io = TestApp::parse(i.body);
    CHECK(*find_string(io, "token_type") == "DPoP");
    CHECK(find_string(io.at("cnf").get<JsonObject>(), "jkt") == key().public_key().thumbprint());
  }
}

TEST_CASE("dpop: dpop_jkt binds the code to a key (RFC 9449 §10)") {
  Browser b;
  std::string jkt = key().public_key().thumbprint();
  HttpResponse page = b.authorize(kWebQuery + "&dpop_jkt=" + jkt);
  REQUIRE(page.status == 200);
  HttpResponse res = b.login(page.body, "action=password&username=alice&password=alice");
  std::string code = Browser::answer(res, "code");
  REQUIRE_FALSE(code.empty());
  std::string form = "grant_type=authorization_code&code=" + code + "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb";
  std::string token_url = std::string(kIssuer) + "/oauth/token";
  HttpResponse none = b.token(form, {{"Authorization", basic_value("web", "web")}});
  CHECK(none.status == 400);
  CHECK(*find_string(TestApp::parse(none.body), "error_description") == "authorization code is bound to a DPoP key (dpop_jkt): this request has no DPoP proof");
  PrivateJwk other = PrivateJwk::generate(es256());
  HttpResponse wrong = b.token(form, {{"Authorization", basic_value("web", "web")}, {"DPoP", proof("POST", token_url, kStart, {}, {}, other)}});
  CHECK(*find_string(TestApp::parse(wrong.body), "error_description") ==
        "authorization code is bound to a DPoP key (dpop_jkt): this request's proof is signed by another key");
  HttpResponse ok = b.token(form, {{"Authorization", basic_value("web", "web")}, {"DPoP", proof("POST", token_url, kStart)}});
  CHECK(ok.status == 200);
  CHECK(*find_string(TestApp::parse(ok.body), "token_type") == "DPoP");
  // A malformed dpop_jkt goes back to the client as invalid_request (RFC 6749 §4.1.2.1).
  HttpResponse bad = b.authorize(kWebQuery + "&dpop_jkt=short");
  CHECK(bad.status == 302);
  CHECK(Browser::answer(bad, "error") == "invalid_request");
}
