#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

#include "base/base64.h"
#include "jose/jwt.h"
#include "jose/key_store.h"
#include "oauth/token_verifier.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

JsonObject live_claims() {
  JsonObject c;
  c["iss"] = json_string(kIssuer);
  c["sub"] = json_string("s");
  c["exp"] = json_int(kStart + 1000000);
  return c;
}

std::vector<std::string> jwks_kids(const KeyStore& keys) {
  std::vector<std::string> kids;
  JsonObject set = TestApp::parse(keys.jwks_json());
  for (const auto& k : set.at("keys").get<JsonArray>()) {
    kids.push_back(k.get<JsonObject>().at("kid").get<std::string>());
  }
  return kids;
}

constexpr char kSecret[] = "a shared secret of thirty-two bytes or more";

} // namespace

TEST_CASE("key_store: the embedded TEST keys, published, and the table of their kids") {
  // Every fixtures/*.pem is in the table, with the kid of the key read from the file itself.
  std::vector<std::string> files, table;
  for (const auto& entry : std::filesystem::directory_iterator("fixtures")) {
    if (entry.path().extension() == ".pem") files.push_back(entry.path().filename().string());
  }
  for (const auto& known : kEmbeddedTestKeys)
    table.emplace_back(known.file);
  std::sort(files.begin(), files.end());
  std::sort(table.begin(), table.end());
  CHECK(table == files);
  for (const auto& known : kEmbeddedTestKeys) {
    CAPTURE(known.file);
    std::ifstream in("fixtures/" + std::string(known.file));
    std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SigningKey from_file = SigningKey::from_pem(Algorithm::RS256, pem);
    CHECK(from_file.kid() == known.kid);
    CHECK(is_embedded_test_key(from_file));
    for (Algorithm alg : {Algorithm::RS256, Algorithm::PS256}) {
      SigningKey key = SigningKey::embedded_test_key(known.file, alg);
      CHECK(key.alg() == alg);
      CHECK(key.kid() == known.kid);
      CHECK(is_embedded_test_key(key));
      CHECK(from_file.verify("x", SigningKey::embedded_test_key(known.file, Algorithm::RS256).sign("x")));
    }
  }
  CHECK_FALSE(is_embedded_test_key(SigningKey::generate(Algorithm::RS256)));
  CHECK_FALSE(is_embedded_test_key(SigningKey::generate(Algorithm::ES256)));
  CHECK_FALSE(is_embedded_test_key(SigningKey::from_secret(kSecret)));
  CHECK_THROWS_WITH(SigningKey::embedded_test_key("nope.pem", Algorithm::RS256), "no embedded file nope.pem");
  CHECK_THROWS_WITH(SigningKey::embedded_test_key("test-signing-key.pem", Algorithm::ES256),
                    "the embedded TEST keys are RSA keys, not for ES256");
  CHECK_THROWS_AS(SigningKey::embedded_test_key("default.yaml", Algorithm::RS256), CryptoError);
}

TEST_CASE("key_store: algorithm names") {
  for (Algorithm a : {Algorithm::RS256, Algorithm::PS256, Algorithm::ES256, Algorithm::HS256}) {
    CHECK(find_algorithm(algorithm_name(a)) == a);
  }
  CHECK_FALSE(find_algorithm("none"));
  CHECK_FALSE(find_algorithm("rs256"));
}

TEST_CASE("key_store: keys of each algorithm sign, verify and publish their public JWK") {
  FakeClock clock(kStart);
  SECTION("PS256") {
    SigningKey k = SigningKey::from_pem(Algorithm::PS256, read_test_data("pkcs8-rsa-2048.pem"));
    CHECK(k.kid() == SigningKey::from_pem(Algorithm::RS256, read_test_data("pkcs8-rsa-2048.pem")).kid());
    CHECK(k.verify("a.b", k.sign("a.b")));
    CHECK(*find_string(*k.public_jwk(), "alg") == "PS256");
    CHECK(*find_string(*k.public_jwk(), "kty") == "RSA");
  }
  SECTION("ES256: kty EC, crv P-256, x and y of 32 bytes, no d") {
    SigningKey k = SigningKey::from_pem(Algorithm::ES256, read_test_data("ec-p256.pem"));
    JsonObject jwk = *k.public_jwk();
    CHECK(*find_string(jwk, "kty") == "EC");
    CHECK(*find_string(jwk, "crv") == "P-256");
    CHECK(*find_string(jwk, "alg") == "ES256");
    CHECK(*find_string(jwk, "use") == "sig");
    CHECK(base64url_decode(*find_string(jwk, "x"))->size() == 32);
    CHECK(base64url_decode(*find_string(jwk, "y"))->size() == 32);
    CHECK(jwk.count("d") == 0);
    CHECK(k.sign("a.b").size() == 64);
    CHECK(k.verify("a.b", k.sign("a.b")));
  }
  SECTION("HS256: RFC 7515 A.1's key gives A.1's signature, and is never published") {
    SigningKey k = SigningKey::from_jwk(
        R"({"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"})",
        std::nullopt);
    CHECK(k.alg() == Algorithm::HS256);
    std::string input =
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
        "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
    CHECK(base64url_encode(k.sign(input)) == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    CHECK(k.verify(input, *base64url_decode("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")));
    CHECK_FALSE(k.verify(input, "short"));
    CHECK_FALSE(k.public_jwk());
    KeyStore keys(k, clock, 60);
    CHECK(keys.jwks_json() == R"({"keys":[]})");
    CHECK(SigningKey::from_secret(kSecret).kid() != SigningKey::from_secret(std::string(kSecret) + "!").kid());
  }
  SECTION("HS256 secrets shorter than 32 bytes are refused (RFC 7518 §3.2)") {
    CHECK_THROWS_WITH(SigningKey::from_secret("too short"), "HS256 secret of 9 bytes; HS256 needs at least 32");
  }
  SECTION("generated keys of each algorithm differ") {
    for (Algorithm a : {Algorithm::RS256, Algorithm::PS256, Algorithm::ES256, Algorithm::HS256}) {
      SigningKey k = SigningKey::generate(a);
      CHECK(k.alg() == a);
      CHECK(k.verify("x.y", k.sign("x.y")));
      CHECK(SigningKey::generate(a).kid() != k.kid());
    }
  }
}

TEST_CASE("key_store: keys from JWK text") {
  SigningKey rsa_pem = SigningKey::from_pem(Algorithm::RS256, read_test_data("pkcs8-rsa-2048.pem"));
  SigningKey ec_pem = SigningKey::from_pem(Algorithm::ES256, read_test_data("ec-p256.pem"));
  SECTION("RSA and EC: the same kid as the same key from PEM") {
    SigningKey rsa = SigningKey::from_jwk(read_test_data("rsa-2048.jwk"), std::nullopt);
    CHECK(rsa.alg() == Algorithm::RS256);
    CHECK(rsa.kid() == rsa_pem.kid());
    CHECK(rsa_pem.verify("a.b", rsa.sign("a.b")));
    CHECK(SigningKey::from_jwk(read_test_data("rsa-2048.jwk"), Algorithm::PS256).alg() == Algorithm::PS256);
    SigningKey ec = SigningKey::from_jwk(read_test_data("ec-p256.jwk"), std::nullopt);
    CHECK(ec.alg() == Algorithm::ES256);
    CHECK(ec.kid() == ec_pem.kid());
    CHECK(ec_pem.verify("a.b", ec.sign("a.b")));
  }
  SECTION("the JWK's alg is taken, and must agree with the configured one") {
    std::string jwk = read_test_data("rsa-2048.jwk");
    jwk.insert(1, R"("alg":"PS256",)");
    CHECK(SigningKey::from_jwk(jwk, std::nullopt).alg() == Algorithm::PS256);
    CHECK_THROWS_WITH(SigningKey::from_jwk(jwk, Algorithm::RS256), "JWK alg PS256 but RS256 is configured");
  }
  SECTION("refusals") {
    CHECK_THROWS_WITH(SigningKey::from_jwk(read_test_data("ec-p256.jwk"), Algorithm::RS256),
                      "JWK kty EC does not fit RS256");
    CHECK_THROWS_WITH(SigningKey::from_jwk(read_test_data("rsa-2048.jwk"), Algorithm::ES256),
                      "JWK kty RSA does not fit ES256");
    CHECK_THROWS_WITH(SigningKey::from_jwk(R"({"kty":"EC","crv":"P-384"})", std::nullopt),
                      "JWK crv is not P-256; ES256 needs P-256");
    CHECK_THROWS_WITH(SigningKey::from_jwk(R"({"kty":"RSA","n":"AQAB","e":"AQAB"})", std::nullopt), "JWK has no d");
    CHECK_THROWS_WITH(SigningKey::from_jwk(R"({"kty":"OKP"})", std::nullopt), "JWK kty 'OKP' is not RSA, EC or oct");
    CHECK_THROWS_WITH(SigningKey::from_jwk("[]", std::nullopt), "not a JWK: a JSON object is expected");
    CHECK_THROWS_WITH(SigningKey::from_pem(Algorithm::ES256, read_test_data("pkcs8-rsa-2048.pem")), "not an EC key");
    CHECK_THROWS_WITH(SigningKey::from_pem(Algorithm::PS256, read_test_data("ec-p256.pem")), "not an RSA key");
  }
}

TEST_CASE("key_store: keys from text, PEM or JWK, leading whitespace skipped") {
  std::string rsa_pem = read_test_data("pkcs8-rsa-2048.pem"), ec_pem = read_test_data("ec-p256.pem");
  std::string rsa_jwk = read_test_data("rsa-2048.jwk"), ec_jwk = read_test_data("ec-p256.jwk");
  std::string rsa_kid = SigningKey::from_pem(Algorithm::RS256, rsa_pem).kid();
  std::string ec_kid = SigningKey::from_pem(Algorithm::ES256, ec_pem).kid();
  for (const char* lead : {"", "\n", " \t\r\n  "}) {
    INFO("leading whitespace of " << std::string(lead).size() << " characters");
    CHECK(SigningKey::from_text(lead + rsa_pem, std::nullopt, Algorithm::RS256).kid() == rsa_kid);
    CHECK(SigningKey::from_text(lead + rsa_pem, Algorithm::PS256, Algorithm::RS256).alg() == Algorithm::PS256);
    CHECK(SigningKey::from_text(lead + ec_pem, std::nullopt, Algorithm::ES256).kid() == ec_kid);
    CHECK(SigningKey::from_text(lead + rsa_jwk, std::nullopt, Algorithm::ES256).kid() == rsa_kid);
    CHECK(SigningKey::from_text(lead + ec_jwk, std::nullopt, Algorithm::RS256).alg() == Algorithm::ES256);
    CHECK(SigningKey::is_jwk_text(lead + ec_jwk));
    CHECK_FALSE(SigningKey::is_jwk_text(lead + ec_pem));
  }
  CHECK_FALSE(SigningKey::is_jwk_text(""));
  CHECK_FALSE(SigningKey::is_jwk_text(" \n"));
  CHECK_THROWS_WITH(SigningKey::from_text(ec_jwk, Algorithm::RS256, Algorithm::RS256), "JWK kty EC does not fit RS256");
  CHECK_THROWS_WITH(SigningKey::from_text("\n" + rsa_pem, std::nullopt, Algorithm::ES256), "not an EC key");
  CHECK_THROWS_WITH(SigningKey::from_text("\n" + rsa_pem, Algorithm::HS256, Algorithm::RS256),
                    "HS256 takes a shared secret, not a PEM key");
}

TEST_CASE("key_store: tokens of each algorithm verify; a header alg other than the key's is refused") {
  FakeClock clock(kStart);
  for (SigningKey key :
       {SigningKey::from_pem(Algorithm::PS256, read_test_data("pkcs8-rsa-2048.pem")),
        SigningKey::from_pem(Algorithm::ES256, read_test_data("ec-p256.pem")), SigningKey::from_secret(kSecret)}) {
    KeyStore keys(key, clock, 60);
    TokenVerifier verifier(keys, {kIssuer}, clock);
    std::string token = keys.sign(live_claims(), "at+jwt");
    CHECK(*find_string(jwt_header(token), "alg") == algorithm_name(key.alg()));
    CHECK(verifier.verify(token).token);
    // RFC 8725 §3.1: the same signature under another alg, even RS256, is refused before any check.
    JsonObject header = jwt_header(token);
    header["alg"] = json_string("RS256");
    std::string relabelled = base64url_encode(dump_json(Json(header))) + token.substr(token.find('.'));
    CHECK(verifier.verify(relabelled).error ==
          "JWT alg RS256 does not match key " + key.kid() + " (" + algorithm_name(key.alg()) + ")");
  }
}

TEST_CASE("key_store: rotation keeps the old key for the grace period, then drops it") {
  FakeClock clock(kStart);
  SigningKey first = test_key();
  KeyStore keys(first, clock, 100);
  TokenVerifier verifier(keys, {kIssuer}, clock);
  std::string old_token = keys.sign(live_claims(), "at+jwt");
  CHECK(keys.rotation_grace() == 100);
  CHECK(jwks_kids(keys) == std::vector<std::string>{first.kid()});

  SigningKey second = SigningKey::from_pem(Algorithm::RS256, read_test_data("pkcs8-rsa-2048.pem"));
  KeyStore::Rotation rotation = keys.rotate(second, std::nullopt);
  CHECK(rotation.outcome == KeyStore::RotateOutcome::rotated);
  KeyInfo info = rotation.key;
  CHECK(info.kid == second.kid());
  CHECK(info.active);
  CHECK(keys.active().kid() == second.kid());
  std::string new_token = keys.sign(live_claims(), "at+jwt");
  CHECK(*find_string(jwt_header(new_token), "kid") == second.kid());

  auto list = keys.list();
  REQUIRE(list.size() == 2);
  CHECK((list[0].kid == second.kid() && list[0].active && !list[0].retires_at));
  CHECK((list[1].kid == first.kid() && !list[1].active && list[1].retires_at == kStart + 100));

  SECTION("within grace: both keys published, both tokens verify") {
    clock.set(kStart + 99);
    CHECK(jwks_kids(keys) == std::vector<std::string>{second.kid(), first.kid()});
    CHECK(keys.find(first.kid()));
    CHECK(verifier.verify(old_token).token);
    CHECK(verifier.verify(new_token).token);
  }
  SECTION("at the end of grace the old key is gone, and its tokens with it") {
    clock.set(kStart + 100);
    CHECK(jwks_kids(keys) == std::vector<std::string>{second.kid()});
    CHECK_FALSE(keys.find(first.kid()));
    CHECK(keys.list().size() == 1);
    CHECK(verifier.verify(old_token).error == "JWT kid is not a key of this server");
    CHECK(verifier.verify(new_token).token);
  }
  SECTION("grace 0 removes the old key at once; a generated key keeps the algorithm") {
    KeyInfo third = keys.rotate(std::nullopt, 0).key;
    CHECK(third.alg == Algorithm::RS256);
    CHECK(jwks_kids(keys) == std::vector<std::string>{third.kid, first.kid()}); // first keeps its own end
    CHECK_FALSE(keys.find(second.kid()));
    CHECK(verifier.verify(new_token).error == "JWT kid is not a key of this server");
  }
  SECTION("a key already in the store cannot come back as the next one; a negative grace is refused") {
    KeyStore::Rotation again = keys.rotate(first, std::nullopt);
    CHECK(again.outcome == KeyStore::RotateOutcome::kid_taken);
    CHECK(again.key.kid == first.kid());
    CHECK(keys.rotate(second, 0).outcome == KeyStore::RotateOutcome::kid_taken); // the active one too
    CHECK(keys.rotate(std::nullopt, -1).outcome == KeyStore::RotateOutcome::negative_grace);
    CHECK(keys.active().kid() == second.kid()); // nothing changed
    CHECK(keys.list().size() == 2);
  }
  SECTION("reset: the initial key alone") {
    keys.reset();
    CHECK(jwks_kids(keys) == std::vector<std::string>{first.kid()});
    CHECK_FALSE(keys.find(second.kid()));
    CHECK(verifier.verify(old_token).token);
    CHECK(verifier.verify(new_token).error == "JWT kid is not a key of this server");
  }
  SECTION("another algorithm: ES256 next, the RSA keys stay within grace") {
    SigningKey ec = SigningKey::generate(Algorithm::ES256);
    keys.rotate(ec, std::nullopt);
    std::string es_token = keys.sign(live_claims(), "at+jwt");
    CHECK(*find_string(jwt_header(es_token), "alg") == "ES256");
    CHECK(verifier.verify(es_token).token);
    CHECK(verifier.verify(old_token).token);
    CHECK(keys.rotate(std::nullopt, std::nullopt).key.alg == Algorithm::ES256);
  }
}

TEST_CASE("key_store: at most kMaxKeys keys; grace 0 or the end of a grace makes room") {
  FakeClock clock(kStart);
  KeyStore keys(SigningKey::generate(Algorithm::ES256), clock, 3600);
  for (size_t i = 1; i < kMaxKeys; ++i) {
    clock.advance(60);
    keys.rotate(std::nullopt, std::nullopt);
  }
  REQUIRE(keys.list().size() == 16); // at the limit
  std::string active = keys.active().kid();
  // The admin API's 409 says when room comes (admin_api_test: "a rotation that would keep more than 16 keys").
  KeyStore::Rotation full = keys.rotate(std::nullopt, std::nullopt);
  CHECK(full.outcome == KeyStore::RotateOutcome::full);
  REQUIRE(full.next_retirement);
  CHECK(format_utc(*full.next_retirement) == "2023-11-14T23:14:20Z");
  CHECK(keys.active().kid() == active);
  CHECK(keys.list().size() == 16);
  SECTION("grace 0: the previous key leaves at once") {
    keys.rotate(std::nullopt, 0);
    CHECK(keys.list().size() == 16);
    CHECK_FALSE(keys.find(active));
  }
  SECTION("the first grace ends: room for one more") {
    clock.set(kStart + 60 + 3600);
    CHECK(keys.list().size() == 15);
    keys.rotate(std::nullopt, std::nullopt);
    CHECK(keys.list().size() == 16);
  }
}

TEST_CASE("key_store: signing from many threads while the key rotates") {
  FakeClock clock(kStart);
  KeyStore keys(SigningKey::generate(Algorithm::ES256), clock, 3600);
  TokenVerifier verifier(keys, {kIssuer}, clock);
  std::atomic<bool> stop{false};
  std::atomic<int> signed_count{0}, bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      while (!stop) {
        if (!verifier.verify(keys.sign(live_claims(), "at+jwt")).token) ++bad;
        ++signed_count;
      }
    });
  }
  for (size_t i = 1; i < kMaxKeys; ++i)
    keys.rotate(std::nullopt, std::nullopt);
  while (signed_count < 200)
    std::this_thread::yield();
  stop = true;
  for (auto& th : threads)
    th.join();
  CHECK(bad == 0);
  CHECK(keys.list().size() == kMaxKeys);
  CHECK(jwks_kids(keys).size() == kMaxKeys);
}

TEST_CASE("key_store: JWKS has public members only and the kid is the RFC 7638 thumbprint") {
  FakeClock clock(kStart);
  KeyStore keys(test_key(), clock, 86400);
  auto jwks = TestApp::parse(keys.jwks_json());
  const auto& list = jwks.at("keys").get<JsonArray>();
  REQUIRE(list.size() == 1);
  const auto& k = list[0].get<JsonObject>();
  CHECK(k.at("kty").get<std::string>() == "RSA");
  CHECK(k.at("use").get<std::string>() == "sig");
  CHECK(k.at("alg").get<std::string>() == "RS256");
  CHECK(k.at("e").get<std::string>() == "AQAB");
  CHECK(k.at("kid").get<std::string>() == keys.active().kid());
  for (const char* private_member : {"d", "p", "q", "dp", "dq", "qi"})
    CHECK(k.count(private_member) == 0);
  CHECK(keys.active().kid().size() == 43); // base64url of 32 bytes
}
