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

TEST_CASE("certificate_authority: a client certificate chains to the CA, for clientAuth, with its names") {
  SystemClock clock;
  // Real time moves on while the keys are made (a second can pass under ThreadSanitizer): the
  // dates are checked against the seconds before and after.
  const int64_t t0 = clock.now();
  CertificateAuthority ca = CertificateAuthority::generate(default_names(), clock);
  ClientCertificateRequest request;
  request.cn = "svc, \"billing\"=+<>#;\\ é"; // taken as it is: no RFC 4514 or mbedTLS escaping
  request.dns = {"svc.example", "*.svc.example"};
  request.uris = {"spiffe://example.org/ns/billing"};
  request.ips = {"192.0.2.1", "2001:db8::1"};
  request.emails = {"ops@example.org"};
  const int64_t before = clock.now();
  IssuedClientCertificate issued = ca.issue_client(request, clock);
  const int64_t after = clock.now();
  CHECK(issued.chain.find("-----BEGIN CERTIFICATE-----") == 0);
  CHECK(issued.chain.find("-----BEGIN CERTIFICATE-----", 1) == std::string::npos); // the leaf alone
  CHECK(issued.key.find("-----BEGIN EC PRIVATE KEY-----") == 0);
  CHECK(test::verify_flags(issued.chain, ca.client_ca_pem(), "") == 0);
  // Not under the CA's own name: a client's OpenSSL would send that certificate along (see client_ca_pem)
  CHECK((test::verify_flags(issued.chain, ca.certificate_pem(), "") & MBEDTLS_X509_BADCERT_NOT_TRUSTED));
  CHECK(issued.thumbprint == test::thumbprint_of(test::der_of(issued.chain)));
  CHECK(issued.not_before >= before - CertificateAuthority::kBackdate);
  CHECK(issued.not_before <= after - CertificateAuthority::kBackdate);
  CHECK(issued.not_after - issued.not_before == 30 * 86400 + CertificateAuthority::kBackdate); // the default lifetime
  tls_detail::Crt crt;
  REQUIRE(tls_detail::parse_pem_certificates(crt, issued.chain) == 1);
  CHECK(mbedtls_x509_crt_check_extended_key_usage(&crt.chain, MBEDTLS_OID_CLIENT_AUTH,
                                                  MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH)) == 0);
  CHECK(mbedtls_x509_crt_check_extended_key_usage(&crt.chain, MBEDTLS_OID_SERVER_AUTH,
                                                  MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)) != 0);
  CHECK(mbedtls_x509_crt_check_key_usage(&crt.chain, MBEDTLS_X509_KU_DIGITAL_SIGNATURE) == 0);
  CHECK(mbedtls_x509_crt_check_key_usage(&crt.chain, MBEDTLS_X509_KU_KEY_CERT_SIGN) != 0);
  CHECK_FALSE(crt.chain.MBEDTLS_PRIVATE(ca_istrue));
  const mbedtls_x509_name& cn = crt.chain.subject;
  CHECK(MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &cn.oid) == 0);
  CHECK(cn.next == nullptr); // CN alone
  CHECK(cn.val.tag == MBEDTLS_ASN1_UTF8_STRING);
  CHECK(std::string(reinterpret_cast<const char*>(cn.val.p), cn.val.len) == request.cn);
  std::vector<std::pair<int, std::string>> sans;
  for (const mbedtls_x509_sequence* s = &crt.chain.subject_alt_names; s != nullptr && s->buf.p; s = s->next) {
    mbedtls_x509_subject_alternative_name san;
    REQUIRE(mbedtls_x509_parse_subject_alt_name(&s->buf, &san) == 0);
    sans.emplace_back(san.type, std::string(reinterpret_cast<const char*>(san.san.unstructured_name.p),
                                            san.san.unstructured_name.len));
  }
  CHECK(sans == std::vector<std::pair<int, std::string>>{
                    {MBEDTLS_X509_SAN_DNS_NAME, "svc.example"},
                    {MBEDTLS_X509_SAN_DNS_NAME, "*.svc.example"},
                    {MBEDTLS_X509_SAN_UNIFORM_RESOURCE_IDENTIFIER, "spiffe://example.org/ns/billing"},
                    {MBEDTLS_X509_SAN_IP_ADDRESS, std::string("\xc0\x00\x02\x01", 4)},
                    {MBEDTLS_X509_SAN_IP_ADDRESS, std::string("\x20\x01\x0d\xb8", 4) + std::string(11, '\0') + "\x01"},
                    {MBEDTLS_X509_SAN_RFC822_NAME, "ops@example.org"},
                });
  SECTION("without names: no subjectAltName extension") {
    ClientCertificateRequest bare;
    bare.cn = "bare";
    tls_detail::Crt b;
    REQUIRE(tls_detail::parse_pem_certificates(b, ca.issue_client(bare, clock).chain) == 1);
    CHECK(b.chain.subject_alt_names.buf.p == nullptr);
  }
  SECTION("a lifetime past the CA's notAfter ends with the CA") {
    FakeClock late(clock.now() + CertificateAuthority::kCaLifetime - 10 * 86400);
    ClientCertificateRequest r;
    r.cn = "late";
    r.lifetime = 30 * 86400;
    int64_t not_after = ca.issue_client(r, late).not_after; // the CA's own: made between t0 and now
    CHECK(not_after >= t0 + CertificateAuthority::kCaLifetime);
    CHECK(not_after <= clock.now() + CertificateAuthority::kCaLifetime);
    CHECK(not_after < late.now() + r.lifetime);
  }
}

TEST_CASE("certificate_authority: a client certificate request that cannot be issued, and why") {
  SystemClock clock;
  CertificateAuthority ca = CertificateAuthority::generate(default_names(), clock);
  ClientCertificateRequest r;
  r.cn = "svc";
  auto refused = [&](const ClientCertificateRequest& request) -> std::string {
    try {
      ca.issue_client(request, clock);
      return "issued";
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
  };
  CHECK(refused(r) == "issued");
  SECTION("cn") {
    r.cn = "";
    CHECK(refused(r) == "cn: required");
    r.cn = std::string(64, 'a');
    CHECK(refused(r) == "issued");
    r.cn = std::string(65, 'a');
    CHECK(refused(r) == "cn: at most 64 characters (RFC 5280 ub-common-name)");
    r.cn = "";
    for (int i = 0; i < 64; ++i)
      r.cn += "\xc3\xa9"; // 64 characters, 128 bytes
    CHECK(refused(r) == "issued");
    r.cn = "a\nb";
    CHECK(refused(r) == "cn: expected UTF-8 text without control characters");
    r.cn = "\xff";
    CHECK(refused(r) == "cn: expected UTF-8 text without control characters");
  }
  SECTION("names") {
    r.dns = {"-bad.example"};
    CHECK(refused(r) == "dns: '-bad.example' is not a DNS name");
    r.dns = {"a..example"};
    CHECK(refused(r) == "dns: 'a..example' is not a DNS name");
    r.dns = {std::string(254, 'a')};
    CHECK(refused(r) == "dns: a value longer than 253 characters");
    r.dns = {};
    r.uris = {"no-scheme"};
    CHECK(refused(r) == "uris: 'no-scheme' is not an absolute URI (scheme:…, printable ASCII)");
    r.uris = {"https://a.example/with space"};
    CHECK(refused(r) == "uris: 'https://a.example/with space' is not an absolute URI (scheme:…, printable ASCII)");
    r.uris = {"https://a.example/" + std::string(2048, 'x')};
    CHECK(refused(r) == "uris: a value longer than 2048 characters");
    r.uris = {};
    r.ips = {"300.1.1.1"};
    CHECK(refused(r) == "ips: '300.1.1.1' is not an IPv4 or IPv6 address");
    r.ips = {};
    r.emails = {"ops"};
    CHECK(refused(r) == "emails: 'ops' is not an email address (local-part@domain, ASCII)");
    r.emails = std::vector<std::string>(21, "ops@example.org");
    CHECK(refused(r) == "at most 20 subject alternative names (dns, uris, ips and emails together)");
    r.emails = std::vector<std::string>(20, "ops@example.org");
    CHECK(refused(r) == "issued");
  }
  SECTION("lifetime") {
    r.lifetime = 0;
    CHECK(refused(r) == "lifetime: expected a positive duration of at most ten years");
    r.lifetime = CertificateAuthority::kMaxClientLifetime + 1;
    CHECK(refused(r) == "lifetime: expected a positive duration of at most ten years");
  }
  SECTION("a CA past its notAfter") {
    FakeClock after(clock.now() + CertificateAuthority::kCaLifetime + 1);
    CHECK_THROWS_WITH(ca.issue_client(r, after), Catch::StartsWith("the CA expired on "));
  }
}

TEST_CASE("certificate_authority: the issuer of client certificates is the CA's key under a name of its own") {
  SystemClock clock;
  CertificateAuthority ca = CertificateAuthority::generate(default_names(), clock);
  std::string der = test::der_of(ca.client_ca_pem());
  tls_detail::Crt plain; // no name constraints: mbedTLS parses it without the callback, as in a client's chain
  REQUIRE(mbedtls_x509_crt_parse_der(&plain.chain, reinterpret_cast<const unsigned char*>(der.data()), der.size()) == 0);
  CHECK(plain.chain.MBEDTLS_PRIVATE(ca_istrue));
  tls_detail::Crt own;
  tls_detail::parse_pem_certificates(own, ca.certificate_pem());
  CHECK(test::der_of(ca.client_ca_pem()) != test::der_of(ca.certificate_pem()));
  CHECK(std::string(reinterpret_cast<const char*>(own.chain.pk_raw.p), own.chain.pk_raw.len) ==
        std::string(reinterpret_cast<const char*>(plain.chain.pk_raw.p), plain.chain.pk_raw.len)); // one key
  CHECK(tls_detail::unix_time(plain.chain.valid_to) == tls_detail::unix_time(own.chain.valid_to));
  SECTION("the same name when the CA is loaded again, so that earlier client certificates still chain") {
    CertificateAuthority again = CertificateAuthority::from_pem(ca.certificate_pem(), ca.key_pem(), "ca.pem",
                                                                "ca-key.pem", clock);
    ClientCertificateRequest r;
    r.cn = "svc";
    CHECK(test::verify_flags(ca.issue_client(r, clock).chain, again.client_ca_pem(), "") == 0);
  }
}
