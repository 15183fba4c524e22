// jose/jwk: other parties' keys as JWKs, every JWS algorithm of RFC 7518 §3 but none and EdDSA,
// RFC 7638 thumbprints, HMAC by RFC 4231's vectors, and each refusal of a key by its reason.
#include <catch2/catch.hpp>

#include "base/base64.h"
#include "jose/crypto.h"
#include "jose/jwk.h"
#include "jose/jwt.h"

using namespace authemu;

namespace {

std::string hex(const std::string& s) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

JsonObject obj(const std::string& json) {
  std::string error;
  return parse_json(json, &error)->get<JsonObject>();
}

std::string refusal(const std::string& json) {
  std::string reason;
  auto k = PublicJwk::parse(obj(json), &reason);
  return k ? "" : reason;
}

const JwsAlgorithm& alg(const char* name) {
  return *find_jws_algorithm(name);
}

} // namespace

TEST_CASE("jwk: the algorithms by name; none and EdDSA are not among them") {
  for (const char* name : {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256",
                           "HS384", "HS512"}) {
    REQUIRE(find_jws_algorithm(name) != nullptr);
    CHECK(find_jws_algorithm(name)->name == name);
  }
  CHECK(find_jws_algorithm("none") == nullptr);
  CHECK(find_jws_algorithm("EdDSA") == nullptr);
  CHECK(find_jws_algorithm("rs256") == nullptr);
  CHECK(asymmetric_jws_algorithm_names().size() == 9);
  CHECK(hmac_jws_algorithm_names() == std::vector<std::string>{"HS256", "HS384", "HS512"});
}

TEST_CASE("jwk: HMAC-SHA-256/384/512 match RFC 4231 test case 1") {
  std::string key(20, '\x0b');
  CHECK(hex(hmac_sha(256, key, "Hi There")) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(hex(hmac_sha(384, key, "Hi There")) ==
        "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6");
  CHECK(hex(hmac_sha(512, key, "Hi There")) ==
        "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
}

TEST_CASE("jwk: each asymmetric algorithm signs and verifies; a changed input, signature or algorithm does not") {
  PrivateJwk rsa = PrivateJwk::generate(alg("RS256"));
  for (const char* name : {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}) {
    const JwsAlgorithm& a = alg(name);
    PrivateJwk key = a.family == JwsFamily::ecdsa ? PrivateJwk::generate(a) : rsa;
    std::string sig = key.sign(a, "payload");
    const PublicJwk& pub = key.public_key();
    INFO(name);
    CHECK(pub.fits(a));
    CHECK(pub.verify(a, "payload", sig));
    CHECK_FALSE(pub.verify(a, "payloaD", sig));
    std::string bad = sig;
    bad[bad.size() / 2] ^= 0x01;
    CHECK_FALSE(pub.verify(a, "payload", bad));
    CHECK_FALSE(pub.verify(a, "payload", sig.substr(1)));
    // RFC 7518 §3.4: r‖s, each a coordinate long.
    if (a.family == JwsFamily::ecdsa) CHECK(sig.size() == (a.hash_bits == 512 ? 132u : a.hash_bits / 4));
  }
  // An RSA key does not sign ES; a P-256 key does not sign ES384; no key signs HS.
  CHECK_FALSE(rsa.public_key().fits(alg("ES256")));
  CHECK_FALSE(PrivateJwk::generate(alg("ES256")).public_key().fits(alg("ES384")));
  CHECK_FALSE(rsa.public_key().fits(alg("HS256")));
  CHECK_THROWS_AS(rsa.sign(alg("ES256"), "x"), CryptoError);
  CHECK_THROWS_AS(PrivateJwk::generate(alg("HS256")), CryptoError);
  // PKCS#1 v1.5 and PSS are not each other.
  CHECK_FALSE(rsa.public_key().verify(alg("PS256"), "payload", rsa.sign(alg("RS256"), "payload")));
}

TEST_CASE("jwk: a private JWK's round trip, and its public half's thumbprint (RFC 7638)") {
  for (const char* name : {"ES256", "PS256"}) {
    const JwsAlgorithm& a = alg(name);
    PrivateJwk key = PrivateJwk::generate(a);
    JsonObject jwk = key.private_members(a);
    CHECK(*find_string(jwk, "alg") == name);
    CHECK(*find_string(jwk, "kid") == key.public_key().thumbprint());
    std::string reason;
    auto again = PrivateJwk::parse(jwk, &reason);
    REQUIRE(again);
    CHECK(key.public_key().verify(a, "x", again->sign(a, "x")));
    // §3: SHA-256 of the required members in lexicographic order, no whitespace.
    JsonObject pub = key.public_key().members();
    std::string canonical = a.family == JwsFamily::ecdsa
                                ? "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + *find_string(pub, "x") + "\",\"y\":\"" +
                                      *find_string(pub, "y") + "\"}"
                                : "{\"e\":\"" + *find_string(pub, "e") + "\",\"kty\":\"RSA\",\"n\":\"" +
                                      *find_string(pub, "n") + "\"}";
    CHECK(key.public_key().thumbprint() == base64url_encode(sha256(canonical)));
    // Members besides the required ones do not change it.
    JsonObject more = pub;
    more["kid"] = json_string("k1");
    more["use"] = json_string("sig");
    CHECK(PublicJwk::parse(more, &reason)->thumbprint() == key.public_key().thumbprint());
  }
  std::string reason;
  JsonObject es = PrivateJwk::generate(alg("ES256")).private_members(alg("ES256"));
  es["d"] = json_string(base64url_encode(std::string(32, '\x01')));
  CHECK_FALSE(PrivateJwk::parse(es, &reason));
  CHECK(reason == "\"d\" is not the private key of \"x\" and \"y\"");
}

TEST_CASE("jwk: each key that is not a usable public key is refused by its reason") {
  std::string p256 = PrivateJwk::generate(alg("ES256")).public_key().members().at("x").get<std::string>();
  CHECK(refusal(R"({"n":"AQAB"})") == "missing \"kty\"");
  CHECK(refusal(R"({"kty":"OKP","crv":"Ed25519","x":"AA"})") ==
        "kty OKP (Ed25519, Ed448): EdDSA keys are not supported (mbedTLS 3.6 has no EdDSA signatures)");
  CHECK(refusal(R"({"kty":"oct","k":"AAAA"})") == "kty oct: a symmetric key is not a public key");
  CHECK(refusal(R"({"kty":"DSA"})") == "unknown kty \"DSA\" (RSA and EC are supported)");
  CHECK(refusal(R"({"kty":"RSA","e":"AQAB"})") == "missing \"n\"");
  CHECK(refusal(R"({"kty":"RSA","n":"!!","e":"AQAB"})") == "\"n\" is not a base64url string");
  std::string n1024 = base64url_encode(std::string(1, '\xc1') + std::string(127, '\x01'));
  CHECK(refusal(R"({"kty":"RSA","e":"AQAB","n":")" + n1024 + "\"}") ==
        "RSA key of 1024 bits: 2048 to 8192 are accepted");
  CHECK(refusal(R"({"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"})") ==
        "unknown curve \"secp256k1\" (P-256, P-384 and P-521 are supported)");
  CHECK(refusal(R"({"kty":"EC","crv":"P-256","x":"AAEC","y":"AwQF"})") == "\"x\" and \"y\" of a P-256 key are 32 bytes each");
  // A point that is not on the curve (RFC 7518 §6.2.1: and invalid-curve attacks).
  CHECK(refusal(R"({"kty":"EC","crv":"P-256","x":")" + p256 + R"(","y":")" + p256 + "\"}") ==
        "\"x\" and \"y\" are not a point of P-256");
  CHECK(refusal(R"({"kty":"EC","crv":"P-384","x":")" + p256 + R"(","y":")" + p256 + "\"}") ==
        "\"x\" and \"y\" of a P-384 key are 48 bytes each");
}

TEST_CASE("jwk: sign_jws_with makes compact JWS that decode and verify") {
  PrivateJwk key = PrivateJwk::generate(alg("ES384"));
  JsonObject header{{"alg", json_string("ES384")}, {"typ", json_string("JWT")}};
  JsonObject claims{{"sub", json_string("c")}};
  std::string reason;
  auto jwt = decode_jwt(sign_jws_with(alg("ES384"), &key, "", header, claims), &reason);
  REQUIRE(jwt);
  CHECK(key.public_key().verify(alg("ES384"), jwt->signing_input, jwt->signature));
  auto hs = decode_jwt(sign_jws_with(alg("HS512"), nullptr, "secret", header, claims), &reason);
  REQUIRE(hs);
  CHECK(hs->signature == hmac_sha(512, "secret", hs->signing_input));
}
