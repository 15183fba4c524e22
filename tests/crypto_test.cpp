#include <catch2/catch.hpp>

extern "C" {
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>
}

#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "base/base64.h"
#include "base/embedded.h"
#include "base/json.h"
#include "jose/crypto.h"
#include "test_support.h"

using namespace authemu;

namespace {

std::string hex(const std::string& s) {
  static const char k[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += k[c >> 4];
    out += k[c & 15];
  }
  return out;
}

// Verifies with a key built only from n and e, by mbedTLS directly, not through RsaKey: RS256, or
// PS256 with pss (RFC 7518 §3.5: MGF1 SHA-256, a salt of 32 bytes).
bool independent_verify(const std::string& n, const std::string& e, const std::string& data, const std::string& sig,
                        bool pss = false) {
  mbedtls_rsa_context rsa;
  mbedtls_rsa_init(&rsa);
  bool ok =
      mbedtls_rsa_import_raw(&rsa, reinterpret_cast<const unsigned char*>(n.data()), n.size(), nullptr, 0, nullptr, 0,
                             nullptr, 0, reinterpret_cast<const unsigned char*>(e.data()), e.size()) == 0 &&
      mbedtls_rsa_complete(&rsa) == 0;
  unsigned char hash[32];
  mbedtls_sha256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), hash, 0);
  const auto* s = reinterpret_cast<const unsigned char*>(sig.data());
  ok = ok && sig.size() == n.size() &&
       (pss ? mbedtls_rsa_rsassa_pss_verify_ext(&rsa, MBEDTLS_MD_SHA256, 32, hash, MBEDTLS_MD_SHA256, 32, s)
            : mbedtls_rsa_pkcs1_verify(&rsa, MBEDTLS_MD_SHA256, 32, hash, s)) == 0;
  mbedtls_rsa_free(&rsa);
  return ok;
}

// ES256 r‖s checked by mbedTLS's ECDSA on a fresh P-256 group and the point (x, y), not through EcKey.
bool independent_verify_ecdsa(const std::string& x, const std::string& y, const std::string& data,
                              const std::string& sig) {
  if (sig.size() != 64) return false;
  mbedtls_ecp_group grp;
  mbedtls_ecp_point q;
  mbedtls_mpi r, s;
  mbedtls_ecp_group_init(&grp);
  mbedtls_ecp_point_init(&q);
  mbedtls_mpi_init(&r);
  mbedtls_mpi_init(&s);
  std::string point = "\x04" + x + y;
  const auto* raw = reinterpret_cast<const unsigned char*>(sig.data());
  unsigned char hash[32];
  mbedtls_sha256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), hash, 0);
  bool ok = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) == 0 &&
            mbedtls_ecp_point_read_binary(&grp, &q, reinterpret_cast<const unsigned char*>(point.data()),
                                          point.size()) == 0 &&
            mbedtls_mpi_read_binary(&r, raw, 32) == 0 && mbedtls_mpi_read_binary(&s, raw + 32, 32) == 0 &&
            mbedtls_ecdsa_verify(&grp, hash, 32, &q, &r, &s) == 0;
  mbedtls_mpi_free(&s);
  mbedtls_mpi_free(&r);
  mbedtls_ecp_point_free(&q);
  mbedtls_ecp_group_free(&grp);
  return ok;
}

std::string b64u(const char* text) {
  return *base64url_decode(text);
}

// RFC 7515 Appendix A.3: the P-256 key, the signing input and an ES256 signature of it.
constexpr char kA3X[] = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr char kA3Y[] = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
constexpr char kA3D[] = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
constexpr char kA3Input[] =
    "eyJhbGciOiJFUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
constexpr char kA3Signature[] =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

} // namespace

TEST_CASE("crypto: HMAC-SHA256 gives RFC 7515 Appendix A.1's signature") {
  std::string key = b64u("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
  std::string input = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
                      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
  CHECK(base64url_encode(hmac_sha256(key, input)) == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
}

TEST_CASE("crypto: ES256 verifies RFC 7515 A.3 and signs r||s that mbedTLS verifies independently") {
  EcKey key = EcKey::from_components(b64u(kA3D), b64u(kA3X), b64u(kA3Y));
  CHECK(key.x() == b64u(kA3X));
  CHECK(key.y() == b64u(kA3Y));
  CHECK(key.verify_es256(kA3Input, b64u(kA3Signature)));
  CHECK(independent_verify_ecdsa(key.x(), key.y(), kA3Input, b64u(kA3Signature)));

  std::string sig = key.sign_es256("header.payload");
  CHECK(sig.size() == 64); // RFC 7518 §3.4: r and s, 32 bytes each
  CHECK(independent_verify_ecdsa(key.x(), key.y(), "header.payload", sig));
  CHECK(key.verify_es256("header.payload", sig));
  SECTION("anything but the 64-byte r||s of this input is refused") {
    CHECK_FALSE(key.verify_es256("header.payloaD", sig));
    std::string bad = sig;
    bad[40] ^= 1;
    CHECK_FALSE(key.verify_es256("header.payload", bad));
    CHECK_FALSE(key.verify_es256("header.payload", sig.substr(1)));
    CHECK_FALSE(key.verify_es256("header.payload", sig + '\0'));
    CHECK_FALSE(key.verify_es256("header.payload", std::string(64, '\0')));
  }
  SECTION("a DER signature of the same r and s is refused") {
    // SEQUENCE { INTEGER r, INTEGER s }, built by hand: 0x30 len 0x02 len r 0x02 len s.
    std::string out = "\x30";
    auto integer = [](std::string v) {
      if (uint8_t(v[0]) & 0x80) v = std::string(1, '\0') + v;
      return std::string("\x02") + char(v.size()) + v;
    };
    std::string body = integer(sig.substr(0, 32)) + integer(sig.substr(32));
    out += char(body.size());
    out += body;
    CHECK_FALSE(key.verify_es256("header.payload", out));
  }
  SECTION("x and y must be d's public point") {
    std::string y = b64u(kA3Y);
    y[31] ^= 1;
    CHECK_THROWS_WITH(EcKey::from_components(b64u(kA3D), b64u(kA3X), y), "EC x and y are not the public point of d");
    CHECK_THROWS_WITH(EcKey::from_components("short", b64u(kA3X), b64u(kA3Y)),
                      "P-256 d, x and y must be 32 bytes each");
  }
}

TEST_CASE("crypto: EC keys from PKCS#8 and SEC1 PEM, generated, and refusals") {
  for (const char* file : {"ec-p256.pem", "ec-p256-sec1.pem"}) {
    EcKey key = EcKey::from_pem(test::read_test_data(file));
    CHECK(independent_verify_ecdsa(key.x(), key.y(), "x", key.sign_es256("x")));
  }
  EcKey generated = EcKey::generate();
  CHECK(independent_verify_ecdsa(generated.x(), generated.y(), "x", generated.sign_es256("x")));
  CHECK(EcKey::generate().x() != generated.x());
  CHECK_THROWS_WITH(EcKey::from_pem(test::read_test_data("pkcs8-rsa-2048.pem")), "not an EC key");
  CHECK_THROWS_WITH(EcKey::from_pem(test::read_test_data("ec-p384.pem")), "EC key not on P-256; ES256 needs P-256");
  CHECK_THROWS_WITH(EcKey::from_pem("not a key"), Catch::Contains("not a PKCS#8 or SEC1 PEM private key"));
}

TEST_CASE("crypto: ES256 and PS256 sign from many threads at once") {
  EcKey ec = EcKey::generate();
  RsaKey rsa = RsaKey::from_pem(test::read_test_data("pkcs8-rsa-2048.pem"));
  std::vector<std::thread> threads;
  std::vector<int> good(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::string input = "t" + std::to_string(t) + "." + std::to_string(i);
        if (t % 2 ? ec.verify_es256(input, ec.sign_es256(input)) : rsa.verify_ps256(input, rsa.sign_ps256(input))) {
          ++good[size_t(t)];
        }
      }
    });
  }
  for (auto& th : threads)
    th.join();
  for (int g : good)
    CHECK(g == 10);
}

TEST_CASE("crypto: ES256 with nonces made ahead verifies independently, and no nonce serves twice") {
  EcKey key = GENERATE(as<bool>{}, false, true) ? EcKey::from_components(b64u(kA3D), b64u(kA3X), b64u(kA3Y))
                                                : EcKey::generate();
  size_t slots = 0;
  while (key.prepare_slot(slots))
    ++slots;
  CHECK(slots >= 1);
  CHECK(key.prepare_slot(0)); // already made: kept, not made again
  std::set<std::string> rs;
  // The prepared nonces (random k) first, then signatures the usual way (mbedTLS: RFC 6979's k).
  for (size_t i = 0; i < 2 * slots + 2; ++i) {
    std::string input = "header.payload." + std::to_string(i);
    std::string sig = key.sign_es256(input);
    REQUIRE(sig.size() == 64);
    CHECK(independent_verify_ecdsa(key.x(), key.y(), input, sig));
    CHECK(key.verify_es256(input, sig));
    rs.insert(sig.substr(0, 32));
  }
  CHECK(rs.size() == 2 * slots + 2);                       // r = x(kG): the same r twice would be the same nonce
  CHECK(key.sign_es256("same") == key.sign_es256("same")); // nonces used up: RFC 6979 again
  SECTION("from many threads, preparing among them") {
    std::vector<std::thread> threads;
    std::vector<int> good(6, 0);
    for (int t = 0; t < 6; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 10; ++i) {
          key.prepare_slot(size_t(i) % slots);
          std::string input = "t" + std::to_string(t) + "." + std::to_string(i);
          good[size_t(t)] += independent_verify_ecdsa(key.x(), key.y(), input, key.sign_es256(input));
        }
      });
    }
    for (auto& th : threads)
      th.join();
    for (int g : good)
      CHECK(g == 10);
  }
}

TEST_CASE("crypto: sha256 of the FIPS 180-2 vector") {
  CHECK(hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("crypto: uuid_v4 has the version and variant bits and does not repeat") {
  // xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx, lower-case hex
  auto well_formed = [](const std::string& u) {
    if (u.size() != 36 || u[14] != '4' || std::string("89ab").find(u[19]) == std::string::npos) return false;
    for (size_t i = 0; i < u.size(); ++i) {
      bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash != (u[i] == '-')) return false;
      if (!dash && std::string("0123456789abcdef").find(u[i]) == std::string::npos) return false;
    }
    return true;
  };
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string u = uuid_v4();
    REQUIRE(well_formed(u));
    seen.insert(u);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("crypto: constant_time_equal") {
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "ab"));
  CHECK(constant_time_equal("", ""));
}

TEST_CASE("crypto: RS256 signatures of the embedded key verify independently") {
  RsaKey key = RsaKey::from_pem(*embedded_file("test-signing-key.pem"));
  CHECK(key.bits() == 2048);
  CHECK(key.exponent() == std::string("\x01\x00\x01", 3));
  CHECK(key.modulus().size() == 256);
  CHECK(uint8_t(key.modulus()[0]) != 0); // RFC 7518 §6.3.1: no leading zero octet
  std::string sig = key.sign_rs256("header.payload");
  CHECK(sig.size() == 256);
  CHECK(independent_verify(key.modulus(), key.exponent(), "header.payload", sig));
  CHECK(key.verify_rs256("header.payload", sig));
  SECTION("a changed input or signature does not verify") {
    CHECK_FALSE(key.verify_rs256("header.payloaD", sig));
    std::string bad = sig;
    bad[100] ^= 1;
    CHECK_FALSE(key.verify_rs256("header.payload", bad));
    CHECK_FALSE(key.verify_rs256("header.payload", sig.substr(1)));
  }
}

TEST_CASE("crypto: PS256 signatures verify independently (RFC 7518 §3.5)") {
  RsaKey key = RsaKey::from_pem(*embedded_file("test-signing-key.pem"));
  std::string sig = key.sign_ps256("header.payload");
  CHECK(sig.size() == 256);
  CHECK(independent_verify(key.modulus(), key.exponent(), "header.payload", sig, true));
  CHECK(key.verify_ps256("header.payload", sig));
  CHECK(key.sign_ps256("header.payload") != sig); // a random salt each time
  // The padding of one does not verify as the other, and RS256 still works after a PS256 signature.
  CHECK_FALSE(key.verify_rs256("header.payload", sig));
  CHECK_FALSE(key.verify_ps256("header.payload", key.sign_rs256("header.payload")));
  CHECK(independent_verify(key.modulus(), key.exponent(), "x", key.sign_rs256("x")));
  CHECK_FALSE(key.verify_ps256("header.payloaD", sig));
  CHECK_FALSE(key.verify_ps256("header.payload", sig.substr(1)));
}

TEST_CASE("crypto: RSA from JWK components") {
  RsaKey pem = RsaKey::from_pem(test::read_test_data("pkcs8-rsa-2048.pem"));
  std::string error;
  JsonObject jwk = parse_json(test::read_test_data("rsa-2048.jwk"), &error)->get<JsonObject>();
  auto member = [&](const char* name) { return *base64url_decode(*find_string(jwk, name)); };
  RsaKey key = RsaKey::from_components(member("n"), member("e"), member("d"), member("p"), member("q"));
  CHECK(key.modulus() == pem.modulus());
  CHECK(independent_verify(pem.modulus(), pem.exponent(), "x", key.sign_rs256("x")));
  SECTION("p and q are derived from n, e and d") {
    RsaKey derived = RsaKey::from_components(member("n"), member("e"), member("d"), "", "");
    CHECK(independent_verify(pem.modulus(), pem.exponent(), "x", derived.sign_rs256("x")));
  }
  SECTION("a wrong d is refused") {
    std::string d = member("d");
    d[10] ^= 1;
    CHECK_THROWS_AS(RsaKey::from_components(member("n"), member("e"), d, member("p"), member("q")), CryptoError);
  }
}

TEST_CASE("crypto: PKCS#8 PEM and generated keys") {
  SECTION("PKCS#8") {
    RsaKey key = RsaKey::from_pem(test::read_test_data("pkcs8-rsa-2048.pem"));
    CHECK(key.bits() == 2048);
    CHECK(independent_verify(key.modulus(), key.exponent(), "x", key.sign_rs256("x")));
  }
  SECTION("generated") {
    RsaKey key = RsaKey::generate(2048);
    CHECK(key.bits() == 2048);
    CHECK(independent_verify(key.modulus(), key.exponent(), "x", key.sign_rs256("x")));
  }
}

TEST_CASE("crypto: bad keys are refused with the reason") {
  // A published key's PEM is decoded by the plain base64 decoder first: the same keys, the same refusals.
  Secrecy secrecy = GENERATE(Secrecy::secret, Secrecy::published);
  CAPTURE(secrecy == Secrecy::published);
  CHECK_THROWS_WITH(RsaKey::from_pem("not a key", secrecy), Catch::Contains("not a PKCS#1 or PKCS#8 PEM private key"));
  CHECK_THROWS_WITH(RsaKey::from_pem(test::read_test_data("rsa-1024.pem"), secrecy),
                    "RSA key of 1024 bits; RS256 needs at least 2048");
  CHECK_THROWS_WITH(RsaKey::from_pem(test::read_test_data("ec-p256.pem"), secrecy), "not an RSA key");
  std::string pem(*embedded_file("test-signing-key.pem"));
  std::string changed = pem;
  changed[pem.size() / 2] = pem[pem.size() / 2] == 'A' ? 'B' : 'A';
  CHECK_THROWS_AS(RsaKey::from_pem(changed, secrecy), CryptoError);
  CHECK_THROWS_WITH(RsaKey::from_pem(pem.substr(0, pem.size() / 2), secrecy),
                    Catch::Contains("not a PKCS#1 or PKCS#8 PEM private key"));
  SECTION("PKCS#8, and PKCS#1 with CRLF line ends, read alike") {
    std::string pkcs8 = test::read_test_data("pkcs8-rsa-2048.pem");
    CHECK(RsaKey::from_pem(pkcs8, secrecy).modulus() == RsaKey::from_pem(pkcs8).modulus());
    std::string crlf;
    for (char c : pem)
      crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    CHECK(RsaKey::from_pem(crlf, secrecy).modulus() == RsaKey::from_pem(pem).modulus());
  }
}

namespace {

// mbedTLS's own RS256 signature (mbedtls_pk_sign), not through RsaKey: PKCS#1 v1.5 is
// deterministic, so RsaKey's must be the same bytes.
std::string mbedtls_rs256(const std::string& pem, const std::string& data) {
  mbedtls_pk_context pk;
  mbedtls_pk_init(&pk);
  mbedtls_entropy_context entropy;
  mbedtls_entropy_init(&entropy);
  mbedtls_ctr_drbg_context drbg;
  mbedtls_ctr_drbg_init(&drbg);
  unsigned char hash[32], sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
  size_t len = 0;
  mbedtls_sha256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), hash, 0);
  bool ok =
      mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, nullptr, 0) == 0 &&
      mbedtls_pk_parse_key(&pk, reinterpret_cast<const unsigned char*>(pem.c_str()), pem.size() + 1, nullptr, 0,
                           mbedtls_ctr_drbg_random, &drbg) == 0 &&
      mbedtls_pk_sign(&pk, MBEDTLS_MD_SHA256, hash, 32, sig, sizeof sig, &len, mbedtls_ctr_drbg_random, &drbg) == 0;
  mbedtls_ctr_drbg_free(&drbg);
  mbedtls_entropy_free(&entropy);
  mbedtls_pk_free(&pk);
  return ok ? std::string(reinterpret_cast<const char*>(sig), len) : std::string();
}

} // namespace

TEST_CASE("crypto: RS256 signatures are mbedTLS's bytes, alone, prepared and from many threads") {
  std::string pem(*embedded_file("test-signing-key.pem"));
  // Published (not blinded, public-exponent arithmetic) or secret: the same bytes either way.
  Secrecy secrecy = GENERATE(Secrecy::secret, Secrecy::published);
  CAPTURE(secrecy == Secrecy::published);
  RsaKey key = RsaKey::from_pem(pem, secrecy);
  std::string expected = mbedtls_rs256(pem, "header.payload");
  REQUIRE(expected.size() == 256);
  SECTION("alone (the CRT halves on two threads), first and later signatures") {
    CHECK(key.sign_rs256("header.payload") == expected);
    CHECK(key.sign_rs256("header.payload") == expected);
    CHECK(key.sign_rs256("other") == mbedtls_rs256(pem, "other"));
  }
  SECTION("after preparing each slot, and again") {
    size_t slots = 0;
    while (key.prepare_slot(slots))
      ++slots;
    CHECK(slots >= 1);
    CHECK(key.sign_rs256("header.payload") == expected);
    CHECK(key.prepare_slot(0));
    CHECK(key.sign_rs256("header.payload") == expected);
  }
  SECTION("many threads at once (the halves on one thread while others sign), prepare among them") {
    std::vector<std::thread> threads;
    std::vector<int> good(6, 0);
    for (int t = 0; t < 6; ++t) {
      threads.emplace_back([&, t] {
        if (t == 0) key.prepare_slot(1);
        for (int i = 0; i < 8; ++i)
          good[size_t(t)] += key.sign_rs256("header.payload") == expected;
      });
    }
    for (auto& th : threads)
      th.join();
    for (int g : good)
      CHECK(g == 8);
  }
  SECTION("a PKCS#8 key and a generated one verify independently") {
    std::string other = test::read_test_data("pkcs8-rsa-2048.pem");
    CHECK(RsaKey::from_pem(other).sign_rs256("x") == mbedtls_rs256(other, "x"));
    RsaKey generated = RsaKey::generate(2048);
    CHECK(independent_verify(generated.modulus(), generated.exponent(), "x", generated.sign_rs256("x")));
  }
}
