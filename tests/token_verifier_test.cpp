#include <catch2/catch.hpp>

#include "base/base64.h"
#include "jose/key_store.h"
#include "oauth/token_verifier.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

JsonObject claims_at(int64_t now) {
  JsonObject c;
  c["iss"] = json_string(kIssuer);
  c["sub"] = json_string("s");
  c["iat"] = json_int(now);
  c["nbf"] = json_int(now);
  c["exp"] = json_int(now + 60);
  c["scope"] = json_string("a b");
  return c;
}

// Re-encodes a token's header with changes, keeping payload and signature.
std::string with_header(const std::string& token, const std::string& header_json) {
  return base64url_encode(header_json) + token.substr(token.find('.'));
}

} // namespace

TEST_CASE("token_verifier: accepts a live token of this issuer and key") {
  FakeClock clock(kStart);
  KeyStore keys(test_key(), clock, 86400);
  TokenVerifier verifier(keys, {kIssuer}, clock);
  std::string token = keys.sign(claims_at(kStart), "at+jwt");
  VerifyResult r = verifier.verify(token);
  REQUIRE(r.token);
  CHECK(r.token->sub == "s");
  CHECK(r.token->has_scope("b"));
  CHECK_FALSE(r.token->has_scope("c"));

  SECTION("expiry: valid just before exp, refused at exp (RFC 7519 §4.1.4)") {
    clock.set(kStart + 59);
    CHECK(verifier.verify(token).token);
    clock.set(kStart + 60);
    CHECK(verifier.verify(token).error == "JWT expired");
  }
  SECTION("nbf in the future") {
    clock.set(kStart - 1);
    CHECK(verifier.verify(token).error == "JWT not valid yet (nbf)");
  }
}

TEST_CASE("token_verifier: refusals say which check failed") {
  FakeClock clock(kStart);
  KeyStore keys(test_key(), clock, 86400);
  TokenVerifier verifier(keys, {kIssuer}, clock);
  std::string token = keys.sign(claims_at(kStart), "at+jwt");

  CHECK(verifier.verify("").error == "empty token");
  CHECK(verifier.verify("abc").error == "not a JWT: expected three dot-separated parts");
  CHECK(verifier.verify("a.b.c.d").error == "not a JWT: expected three dot-separated parts");
  CHECK(verifier.verify("!!.e30.x").error == "JWT header is not base64url");
  CHECK(verifier.verify(base64url_encode("[1]") + ".e30.x").error == "JWT header is not a JSON object");
  CHECK(verifier.verify(std::string(20000, 'a')).error == "token longer than 16384 bytes");

  SECTION("truncated signature") {
    CHECK(verifier.verify(token.substr(0, token.size() - 6)).error == "JWT signature is invalid");
  }
  SECTION("tampered payload") {
    JsonObject c = claims_at(kStart);
    c["sub"] = json_string("admin");
    size_t a = token.find('.'), b = token.rfind('.');
    std::string forged = token.substr(0, a + 1) + base64url_encode(dump_json(Json(c))) + token.substr(b);
    CHECK(verifier.verify(forged).error == "JWT signature is invalid");
  }
  SECTION("alg none and HS256 are refused whatever the signature (RFC 8725 §3.1)") {
    std::string kid = keys.active().kid();
    CHECK(verifier.verify(with_header(token, R"({"alg":"none"})")).error ==
          "JWT alg none does not match key " + kid + " (RS256)");
    CHECK(verifier.verify(with_header(token, R"({"alg":"HS256","kid":")" + kid + "\"}")).error ==
          "JWT alg HS256 does not match key " + kid + " (RS256)");
    CHECK(verifier.verify(with_header(token, R"({"typ":"JWT"})")).error == "JWT header has no alg");
  }
  SECTION("unknown kid") {
    CHECK(verifier.verify(with_header(token, R"({"alg":"RS256","kid":"other"})")).error ==
          "JWT kid is not a key of this server");
  }
  SECTION("a key that is not the server's") {
    JsonObject header;
    header["alg"] = json_string("RS256");
    header["kid"] = json_string(keys.active().kid());
    std::string forged = sign_jws(SigningKey::generate(Algorithm::RS256), header, claims_at(kStart));
    CHECK(verifier.verify(forged).error == "JWT signature is invalid");
  }
  SECTION("another issuer") {
    JsonObject c = claims_at(kStart);
    c["iss"] = json_string("http://elsewhere/api/auth");
    CHECK(verifier.verify(keys.sign(c, "at+jwt")).error == "JWT issuer http://elsewhere/api/auth is not trusted here");
    c.erase("iss");
    CHECK(verifier.verify(keys.sign(c, "at+jwt")).error == "JWT has no iss");
  }
  SECTION("exp missing or not a number") {
    JsonObject c = claims_at(kStart);
    c["exp"] = json_string("tomorrow");
    CHECK(verifier.verify(keys.sign(c, "at+jwt")).error == "JWT has no numeric exp");
  }
}

TEST_CASE("token_verifier: each failed check has its code") {
  FakeClock clock(kStart);
  KeyStore keys(test_key(), clock, 86400);
  TokenStore revocations;
  TokenVerifier verifier(keys, {kIssuer}, clock, &revocations);
  std::string kid = keys.active().kid();
  JsonObject c = claims_at(kStart);
  auto code_of = [&](const std::string& token) { return verifier.verify(token).code; };
  auto signed_with = [&](const JsonObject& claims) { return keys.sign(claims, "at+jwt"); };
  std::string token = signed_with(c);

  CHECK(code_of(token) == VerifyCode::ok);
  CHECK(verifier.verify(token).failed.empty());
  CHECK(code_of("abc") == VerifyCode::malformed);
  CHECK(verifier.verify("abc").failed == std::vector<VerifyCode>{VerifyCode::malformed});
  CHECK(code_of(with_header(token, R"({"kid":")" + kid + "\"}")) == VerifyCode::no_alg);
  CHECK(code_of(with_header(token, R"({"alg":"RS256","kid":"other"})")) == VerifyCode::unknown_kid);
  CHECK(code_of(with_header(token, R"({"alg":"HS256","kid":")" + kid + "\"}")) == VerifyCode::alg_mismatch);
  CHECK(code_of(token.substr(0, token.size() - 6)) == VerifyCode::bad_signature);
  c.erase("iss");
  CHECK(code_of(signed_with(c)) == VerifyCode::no_iss);
  c["iss"] = json_string("http://elsewhere/api/auth");
  CHECK(code_of(signed_with(c)) == VerifyCode::untrusted_issuer);
  c = claims_at(kStart);
  c.erase("exp");
  CHECK(code_of(signed_with(c)) == VerifyCode::no_exp);
  clock.set(kStart + 60);
  CHECK(code_of(token) == VerifyCode::expired);
  clock.set(kStart - 1);
  CHECK(code_of(token) == VerifyCode::not_yet_valid);
  clock.set(kStart);
  c = claims_at(kStart);
  c["jti"] = json_string("j1");
  std::string revoked = signed_with(c);
  CHECK(code_of(revoked) == VerifyCode::ok);
  revocations.revoke_access("j1", kStart + 60, kStart);
  CHECK(code_of(revoked) == VerifyCode::revoked);
  CHECK(verifier.verify(revoked).error == "JWT revoked");

  SECTION("without a revocation store, revocation is not checked") {
    TokenVerifier plain(keys, {kIssuer}, clock);
    CHECK(plain.verify(revoked).code == VerifyCode::ok);
  }
  SECTION("every failed check is listed; the first is the code and the error") {
    c = claims_at(kStart);
    c["iss"] = json_string("http://elsewhere/api/auth");
    std::string t = with_header(signed_with(c), R"({"alg":"RS256","kid":"other"})");
    clock.set(kStart + 60);
    VerifyResult r = verifier.verify(t);
    CHECK_FALSE(r.token);
    CHECK(r.code == VerifyCode::unknown_kid);
    CHECK(r.error == "JWT kid is not a key of this server");
    CHECK(r.failed ==
          std::vector<VerifyCode>{VerifyCode::unknown_kid, VerifyCode::untrusted_issuer, VerifyCode::expired});
    CHECK(r.has_failed({VerifyCode::no_iss, VerifyCode::untrusted_issuer}));
    CHECK_FALSE(r.has_failed({VerifyCode::bad_signature}));
    CHECK(*r.iss == "http://elsewhere/api/auth");
    CHECK(*r.alg == "RS256");
    CHECK_FALSE(r.key);
  }
  SECTION("the key a refused token named, for callers' messages") {
    VerifyResult r = verifier.verify(with_header(token, R"({"kid":")" + kid + "\"}"));
    REQUIRE(r.key);
    CHECK(r.key->kid() == kid);
    CHECK_FALSE(r.alg);
  }
}

TEST_CASE("token_verifier: an audience check, and no typ needed (RFC 7523 assertions)") {
  FakeClock clock(kStart);
  KeyStore keys(test_key(), clock, 86400);
  TokenVerifier verifier(
      keys, [](const std::string& iss) { return iss == kIssuer; }, clock, nullptr,
      [](const std::string& aud) { return aud == "http://env"; });
  JsonObject header;
  header["alg"] = json_string("RS256");
  header["kid"] = json_string(keys.active().kid());
  JsonObject c = claims_at(kStart);
  auto assertion = [&]() { return sign_jws(keys.active(), header, c); };

  VerifyResult none = verifier.verify(assertion());
  CHECK(none.code == VerifyCode::wrong_audience);
  CHECK(none.error == "JWT audience does not contain this server's issuer");
  c["aud"] = json_string("http://other");
  CHECK(verifier.verify(assertion()).code == VerifyCode::wrong_audience);
  c["aud"] = json_string("http://env");
  VerifyResult one = verifier.verify(assertion());
  REQUIRE(one.token);
  CHECK(one.token->aud == std::vector<std::string>{"http://env"});
  c["aud"] = json_string_array({"http://other", "http://env"});
  CHECK(verifier.verify(assertion()).code == VerifyCode::ok);
  SECTION("without an audience check, any aud or none") {
    TokenVerifier plain(keys, {kIssuer}, clock);
    c.erase("aud");
    CHECK(plain.verify(assertion()).code == VerifyCode::ok);
  }
}

TEST_CASE("token_verifier: an access token must say so in typ (RFC 9068 §4), other JWTs need not") {
  FakeClock clock(kStart);
  KeyStore keys(test_key(), clock, 86400);
  TokenVerifier verifier(keys, {kIssuer}, clock);
  auto with_typ = [&](std::optional<std::string> typ) {
    JsonObject header;
    header["alg"] = json_string("RS256");
    header["kid"] = json_string(keys.active().kid());
    if (typ) header["typ"] = json_string(*typ);
    return sign_jws(keys.active(), header, claims_at(kStart));
  };
  SECTION("at+jwt or application/at+jwt, case-insensitive (RFC 9068 §2.1, RFC 8725 §3.11)") {
    for (const char* typ : {"at+jwt", "AT+JWT", "application/at+jwt", "Application/At+JWT"}) {
      INFO(typ);
      VerifyResult r = verifier.verify_access_token(with_typ(typ));
      CHECK(r.code == VerifyCode::ok);
      CHECK(r.token);
    }
  }
  SECTION("an ID token's JWT, another typ, or none: refused as an access token") {
    VerifyResult id = verifier.verify_access_token(with_typ("JWT"));
    CHECK_FALSE(id.token);
    CHECK(id.code == VerifyCode::not_access_token);
    CHECK(id.error == "JWT typ JWT is not at+jwt: not an access token");
    CHECK(verifier.verify_access_token(with_typ("jwt+at")).error ==
          "JWT typ jwt+at is not at+jwt: not an access token");
    CHECK(verifier.verify_access_token(with_typ("application/jwt")).error ==
          "JWT typ application/jwt is not at+jwt: not an access token");
    CHECK(verifier.verify_access_token(with_typ(std::nullopt)).error == "JWT has no typ: not an access token (at+jwt)");
  }
  SECTION("verify() takes any typ: RFC 7523 assertions and RFC 8693 subject tokens keep their rules") {
    CHECK(verifier.verify(with_typ("JWT")).token);
    CHECK(verifier.verify(with_typ(std::nullopt)).token);
  }
  SECTION("a token failing another check says that first, and lists both") {
    clock.set(kStart + 60);
    VerifyResult r = verifier.verify_access_token(with_typ("JWT"));
    CHECK(r.error == "JWT expired");
    CHECK(r.failed == std::vector<VerifyCode>{VerifyCode::expired, VerifyCode::not_access_token});
  }
}
