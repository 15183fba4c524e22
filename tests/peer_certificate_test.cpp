// A client certificate read into plain values (tls/peer_certificate.h): a subject with a
// multi-valued RDN and a BMPString, a P-384 key, and the words of the chain's verdict.
#include <catch2/catch.hpp>

#include "tls/peer_certificate.h"
#include "tls_support.h"

using namespace authemu;
using namespace authemu::tls_detail;

namespace {

// Made by OpenSSL 3.0 (not by the code under test): `openssl req -x509 -newkey ec -pkeyopt
// ec_paramgen_curve:P-384 -utf8 -multivalue-rdn -subj "/C=FR/O=Acme+OU=Dév €/CN=svc"` with
// string_mask = pkix, so that OU is a BMPString. Self-signed, valid one day in December 2026.
const char kOpenSslP384[] = R"(-----BEGIN CERTIFICATE-----
MIIBsjCCATgCFE7e0PY3ynCBxhGeeUWGNQz2J93HMAoGCCqGSM49BAMCMD0xCzAJ
BgNVBAYTAkZSMSAwCwYDVQQKEwRBY21lMBEGA1UECx4KAEQA6QB2ACAgrDEMMAoG
A1UEAxMDc3ZjMB4XDTI2MTIwNjA5MTkzNFoXDTI2MTIwNzA5MTkzNFowPTELMAkG
A1UEBhMCRlIxIDALBgNVBAoTBEFjbWUwEQYDVQQLHgoARADpAHYAICCsMQwwCgYD
VQQDEwNzdmMwdjAQBgcqhkjOPQIBBgUrgQQAIgNiAAQszMSnvF5K+zo2PSjihPAW
PyD5MNRUntNzsh7o/wujNHOwhLLwzhWCLTrVfCCLNrOLJsGQGmWO+U4gnZTxjWhD
ItPpE2hAwCpTFQ1rGykj/9sSPI5OMs7pXc7hk9CUZ28wCgYIKoZIzj0EAwIDaAAw
ZQIwHYahtLbOYDvkVe+ujYnFbi4dLIo0lSbDVKq9k0g4nOqCnkrM9IrinDkaXNP1
W0OHAjEAyUOaxjLXd9oaX0UKi/A4k0Lz7XBWQfu2cDC+s7bmqx8FdQGYaUau0Q5M
6tz9wUKJ
-----END CERTIFICATE-----
)";

std::string unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out += char(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

} // namespace

TEST_CASE("peer_certificate: a subject's RDNs in ASN.1 order, multi-valued ones together, BMPString as UTF-8") {
  Crt crt;
  REQUIRE(parse_pem_certificates(crt, kOpenSslP384) == 1);
  auto cert = read_client_certificate(crt.chain, 0, true);
  REQUIRE(cert->subject.size() == 3);
  REQUIRE(cert->subject[0].size() == 1);
  CHECK(cert->subject[0][0].type == "2.5.4.6");
  CHECK(cert->subject[0][0].value == "FR");
  REQUIRE(cert->subject[1].size() == 2); // O=Acme+OU=Dév € (a SET OF, in DER order)
  CHECK(cert->subject[1][0].type == "2.5.4.10");
  CHECK(cert->subject[1][0].value == "Acme");
  CHECK(cert->subject[1][1].type == "2.5.4.11");
  CHECK(cert->subject[1][1].value == "D\xc3\xa9v \xe2\x82\xac");
  REQUIRE(cert->subject[2].size() == 1);
  CHECK(cert->subject[2][0].type == "2.5.4.3");
  CHECK(cert->subject[2][0].value == "svc");
  CHECK(cert->san_dns.empty());
  CHECK(cert->not_before == 1796548774); // 2026-12-06T09:19:34Z
  CHECK(cert->not_after == 1796548774 + 86400);
  CHECK(cert->chain_trusted());
  // `openssl ec -pubout -text`: 04 ‖ x ‖ y, 48 bytes each on P-384
  CHECK(cert->public_jwk ==
        std::map<std::string, std::string>{
            {"kty", "EC"},
            {"crv", "P-384"},
            {"x", base64url_encode(unhex("2cccc4a7bc5e4afb3a363d28e284f0163f20f930d4549ed373b21ee8ff0ba33473b084b2f0ce15822d3ad57c208b36b3"))},
            {"y", base64url_encode(unhex("8b26c1901a658ef94e209d94f18d684322d3e9136840c02a53150d6b1b2923ffdb123c8e4e32cee95dcee193d094676f"))}});
}

TEST_CASE("peer_certificate: the chain's verdict in words, its validity period left out") {
  CHECK(chain_problem(0, true) == "");
  CHECK(chain_problem(MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE, true) == "");
  CHECK(chain_problem(MBEDTLS_X509_BADCERT_NOT_TRUSTED, true) == "not signed by a trusted CA");
  CHECK(chain_problem(MBEDTLS_X509_BADCERT_NOT_TRUSTED | MBEDTLS_X509_BADCERT_EXPIRED, false) ==
        "no client CA is configured");
  CHECK(chain_problem(MBEDTLS_X509_BADCERT_NOT_TRUSTED | MBEDTLS_X509_BADCERT_KEY_USAGE, true) ==
        "not signed by a trusted CA; not for client authentication (its key usage)");
  CHECK(chain_problem(MBEDTLS_X509_BADCERT_EXT_KEY_USAGE, true) ==
        "not for client authentication (its extended key usage)");
  CHECK(chain_problem(MBEDTLS_X509_BADCERT_BAD_KEY, true) == "a key not accepted here (its type, curve or size)");
  CHECK(chain_problem(MBEDTLS_X509_BADCRL_NOT_TRUSTED, true) == "not verified (mbedTLS flags 0x10)");
}

TEST_CASE("peer_certificate: UTF-16BE to UTF-8, surrogate pairs joined and lone ones replaced") {
  CHECK(utf16be_to_utf8(std::string("\x00\x41\x00\xe9", 4)) == "A\xc3\xa9");
  CHECK(utf16be_to_utf8(std::string("\xd8\x3d\xde\x00", 4)) == "\xf0\x9f\x98\x80"); // U+1F600
  CHECK(utf16be_to_utf8(std::string("\xd8\x3d\x00\x41", 4)) == "\xef\xbf\xbd" "A");
  CHECK(utf16be_to_utf8(std::string("\x00", 1)) == ""); // an odd byte left over
}
