#include <catch2/catch.hpp>

extern "C" {
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>
}

#include <fstream>
#include <sstream>
#include <set>

#include "base64.h"
#include "crypto.h"
#include "embedded.h"

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

// Verifies with a key built only from n and e, by mbedTLS directly, not through RsaKey.
bool independent_verify(const std::string& n, const std::string& e, const std::string& data, const std::string& sig) {
  mbedtls_rsa_context rsa;
  mbedtls_rsa_init(&rsa);
  bool ok = mbedtls_rsa_import_raw(&rsa, reinterpret_cast<const unsigned char*>(n.data()), n.size(), nullptr, 0,
                                   nullptr, 0, nullptr, 0, reinterpret_cast<const unsigned char*>(e.data()),
                                   e.size()) == 0 &&
            mbedtls_rsa_complete(&rsa) == 0;
  unsigned char hash[32];
  mbedtls_sha256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), hash, 0);
  ok = ok && sig.size() == n.size() &&
       mbedtls_rsa_pkcs1_verify(&rsa, MBEDTLS_MD_SHA256, 32, hash,
                                reinterpret_cast<const unsigned char*>(sig.data())) == 0;
  mbedtls_rsa_free(&rsa);
  return ok;
}

}  // namespace

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
  CHECK(uint8_t(key.modulus()[0]) != 0);  // RFC 7518 §6.3.1: no leading zero octet
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

namespace {
std::string read_data(const std::string& name) {
  std::ifstream in("tests/data/" + name);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("crypto: PKCS#8 PEM and generated keys") {
  SECTION("PKCS#8") {
    RsaKey key = RsaKey::from_pem(read_data("pkcs8-rsa-2048.pem"));
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
  CHECK_THROWS_WITH(RsaKey::from_pem("not a key"), Catch::Contains("not a PKCS#1 or PKCS#8 PEM private key"));
  CHECK_THROWS_WITH(RsaKey::from_pem(read_data("rsa-1024.pem")), "RSA key of 1024 bits; RS256 needs at least 2048");
  CHECK_THROWS_WITH(RsaKey::from_pem(read_data("ec-p256.pem")), "not an RSA key");
  std::string pem(*embedded_file("test-signing-key.pem"));
  pem[pem.size() / 2] = pem[pem.size() / 2] == 'A' ? 'B' : 'A';
  CHECK_THROWS_AS(RsaKey::from_pem(pem), CryptoError);
}
