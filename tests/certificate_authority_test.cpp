// The generated CA and its leaves: mbedTLS verifies the chain, the name-constraints extension is
// critical and reads back, a stored CA loads (or says what is wrong) and states what it does not cover.
#include <catch2/catch.hpp>

#include <mbedtls/oid.h>

#include <cstring>

#include "base/config_error.h"
#include "tls_support.h"

using namespace authemu;

namespace {

TlsNames default_names() {
  return TlsNames::parse({"localhost", "*.localhost", "127.0.0.1", "::1"}, "test");
}

struct SeenExtension {
  bool found = false;
  int critical = -1;
  std::string value;
};

// An extension callback of the test's own: what mbedTLS hands over for the name-constraints OID.
int see_name_constraints(void* p, const mbedtls_x509_crt*, const mbedtls_x509_buf* oid, int critical,
                         const unsigned char* start, const unsigned char* end) {
  auto* seen = static_cast<SeenExtension*>(p);
  if (MBEDTLS_OID_CMP(MBEDTLS_OID_NAME_CONSTRAINTS, oid) != 0) return -1;
  seen->found = true;
  seen->critical = critical;
  seen->value.assign(reinterpret_cast<const char*>(start), size_t(end - start));
  return 0;
}

std::string first_der(const std::string& pem) {
  tls_detail::Crt crt;
  tls_detail::parse_pem_certificates(crt, pem);
  return std::string(reinterpret_cast<const char*>(crt.chain.raw.p), crt.chain.raw.len);
}

} // namespace

TEST_CASE("certificate_authority: a generated leaf chains to the generated CA") {
  SystemClock clock; // mbedtls_x509_crt_verify checks validity against the real time
  CertificateAuthority ca = CertificateAuthority::generate(default_names(), clock);
  PemCredentials leaf = ca.issue(default_names(), clock);
  CHECK(leaf.chain.find("-----BEGIN CERTIFICATE-----") == 0);
  CHECK(leaf.chain.find("-----BEGIN CERTIFICATE-----", 1) == std::string::npos); // the leaf alone
  CHECK(leaf.key.find("-----BEGIN EC PRIVATE KEY-----") == 0);
  CHECK(ca.key_pem().find("-----BEGIN EC PRIVATE KEY-----") == 0);
  CHECK(test::verify_flags(leaf.chain, ca.certificate_pem(), "localhost") == 0);
  CHECK(test::verify_flags(leaf.chain, ca.certificate_pem(), "a.localhost") == 0);
  CHECK(test::verify_flags(leaf.chain, ca.certificate_pem(), "") == 0);
  CHECK(test::verify_flags(leaf.chain, ca.certificate_pem(), "example.com") == MBEDTLS_X509_BADCERT_CN_MISMATCH);
  SECTION("another CA does not verify it") {
    CertificateAuthority other = CertificateAuthority::generate(default_names(), clock);
    CHECK((test::verify_flags(leaf.chain, other.certificate_pem(), "localhost") & MBEDTLS_X509_BADCERT_NOT_TRUSTED));
  }
  SECTION("the leaf's issuer is the CA's subject byte for byte") {
    tls_detail::Crt l, c;
    tls_detail::parse_pem_certificates(l, leaf.chain);
    tls_detail::parse_pem_certificates(c, ca.certificate_pem());
    CHECK(std::string(reinterpret_cast<const char*>(l.chain.issuer_raw.p), l.chain.issuer_raw.len) ==
          std::string(reinterpret_cast<const char*>(c.chain.subject_raw.p), c.chain.subject_raw.len));
    CHECK(tls_detail::unix_time(l.chain.valid_to) - tls_detail::unix_time(l.chain.valid_from) ==
          CertificateAuthority::kLeafLifetime + CertificateAuthority::kBackdate);
    CHECK(tls_detail::unix_time(c.chain.valid_to) - tls_detail::unix_time(c.chain.valid_from) ==
          CertificateAuthority::kCaLifetime + CertificateAuthority::kBackdate);
  }
}

TEST_CASE("certificate_authority: the CA carries a critical name-constraints extension") {
  SystemClock clock;
  CertificateAuthority ca = CertificateAuthority::generate(default_names(), clock);
  std::string der = first_der(ca.certificate_pem());
  SeenExtension seen;
  tls_detail::Crt crt;
  REQUIRE(mbedtls_x509_crt_parse_der_with_ext_cb(&crt.chain, reinterpret_cast<const unsigned char*>(der.data()),
                                                 der.size(), 1, see_name_constraints, &seen) == 0);
  CHECK(seen.found);
  CHECK(seen.critical == 1);
  CHECK(NameConstraints::from_der(seen.value).permitted_text() ==
        std::vector<std::string>{"localhost", "127.0.0.1", "::1"});
  SECTION("mbedTLS without the callback refuses it, as an unknown critical extension") {
    tls_detail::Crt plain;
    CHECK(mbedtls_x509_crt_parse_der(&plain.chain, reinterpret_cast<const unsigned char*>(der.data()), der.size()) != 0);
  }
}

TEST_CASE("certificate_authority: a stored CA loads and says what it does not cover") {
  SystemClock clock;
  CertificateAuthority made = CertificateAuthority::generate(default_names(), clock);
  CertificateAuthority ca = CertificateAuthority::from_pem(made.certificate_pem(), made.key_pem(), "dir/ca.pem",
                                                           "dir/ca-key.pem", clock);
  REQUIRE(ca.name_constraints());
  CHECK(ca.name_constraints()->permitted_text() == made.name_constraints()->permitted_text());
  CHECK_NOTHROW(ca.check_covers(TlsNames::parse({"localhost", "app.localhost", "::1"}, "t")));
  CHECK_THROWS_WITH(ca.check_covers(TlsNames::parse({"localhost", "a.example", "10.0.0.1"}, "t")),
                    "dir/ca.pem: the CA's name constraints do not cover a.example, 10.0.0.1");
  PemCredentials leaf = ca.issue(TlsNames::parse({"localhost"}, "t"), clock);
  CHECK(test::verify_flags(leaf.chain, made.certificate_pem(), "localhost") == 0);
}

TEST_CASE("certificate_authority: what is wrong with a stored CA, one line each") {
  SystemClock clock;
  CertificateAuthority a = CertificateAuthority::generate(default_names(), clock);
  CertificateAuthority b = CertificateAuthority::generate(default_names(), clock);
  SECTION("a key of another CA") {
    CHECK_THROWS_WITH(CertificateAuthority::from_pem(a.certificate_pem(), b.key_pem(), "ca.pem", "ca-key.pem", clock),
                      "ca-key.pem: the private key does not match the certificate in ca.pem");
  }
  SECTION("a server certificate") {
    PemCredentials leaf = a.issue(default_names(), clock);
    CHECK_THROWS_WITH(CertificateAuthority::from_pem(leaf.chain, leaf.key, "ca.pem", "ca-key.pem", clock),
                      "ca.pem: not a CA certificate (basicConstraints cA is not set)");
  }
  SECTION("expired") {
    FakeClock later(clock.now() + CertificateAuthority::kCaLifetime + 86400);
    CHECK_THROWS_WITH(CertificateAuthority::from_pem(a.certificate_pem(), a.key_pem(), "ca.pem", "ca-key.pem", later),
                      Catch::StartsWith("ca.pem: the certificate expired on "));
  }
  SECTION("not PEM") {
    CHECK_THROWS_WITH(CertificateAuthority::from_pem("hello", a.key_pem(), "ca.pem", "ca-key.pem", clock),
                      "ca.pem: not a PEM certificate (no \"-----BEGIN CERTIFICATE-----\" line)");
  }
}
