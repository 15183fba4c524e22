// tls/forwarded_certificate: client certificates a TLS-terminating proxy forwards in a header.
#include <catch2/catch.hpp>

#include "test_support.h"
#include "tls/forwarded_certificate.h"
#include "tls_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

struct Issuer {
  SystemClock clock;
  TlsNames names = TlsNames::parse({"localhost"}, "test");
  CertificateAuthority ca = CertificateAuthority::generate(names, clock);
  TlsTrust roots() const {
    TlsTrust trust;
    trust.add_pem(ca.certificate_pem(), "ca.pem");
    trust.add_pem(ca.client_ca_pem(), "client-ca.pem");
    return trust;
  }
  std::string issue(const std::string& cn) const {
    ClientCertificateRequest request;
    request.cn = cn;
    return ca.issue_client(request, clock).chain;
  }
};

std::string url_encoded(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += char(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

} // namespace

TEST_CASE("forwarded_certificate: each proxy's format gives the same certificate") {
  Issuer issuer;
  std::string pem = issuer.issue("svc");
  std::string der = der_of(pem);
  std::string folded = pem;
  for (char& c : folded)
    if (c == '\n') c = ' '; // a proxy that folds the PEM's lines into one header line
  for (const std::string& value : {pem, folded, url_encoded(pem), base64_encode(der),
                                   "By=spiffe://x/proxy;Hash=abc;Cert=\"" + url_encoded(pem) + "\";Subject=\"CN=svc\"",
                                   "Hash=abc;Cert=" + url_encoded(pem)}) {
    INFO(value.substr(0, 80));
    CHECK(forwarded_certificate_der(value) == der);
  }
  for (const std::string& value : {std::string(), std::string("garbage"), std::string("-----BEGIN CERTIFICATE-----x"),
                                   base64_encode("not a certificate"), std::string("Hash=abc;Subject=\"CN=x\""),
                                   std::string(70000, 'A')}) {
    INFO(value.substr(0, 80));
    CHECK(forwarded_certificate_der(value).empty());
  }
}

TEST_CASE("forwarded_certificate: judged against the roots as a listener judges its own") {
  Issuer issuer, other;
  ForwardedCertificates forwarded("X-SSL-Client-Cert", issuer.roots());
  CHECK(forwarded.header() == "X-SSL-Client-Cert");
  std::string pem = issuer.issue("svc");
  auto cert = forwarded.read(url_encoded(pem));
  REQUIRE(cert);
  CHECK(cert->chain_trusted());
  CHECK(format_dn(cert->subject) == "CN=svc");
  CHECK(cert->thumbprint == thumbprint_of(der_of(pem)));

  auto foreign = forwarded.read(other.issue("svc"));
  REQUIRE(foreign);
  CHECK(foreign->chain_problem == "not signed by a trusted CA");
  PemCredentials self = self_signed("self");
  auto self_read = forwarded.read(self.chain);
  REQUIRE(self_read);
  CHECK_FALSE(self_read->chain_trusted());
  CHECK(self_read->public_jwk.at("kty") == "EC");
  // A server certificate (serverAuth only) is not a client's.
  auto server = forwarded.read(issuer.ca.issue(issuer.names, issuer.clock).chain);
  REQUIRE(server);
  CHECK(server->chain_problem == "not for client authentication (its extended key usage)");

  ForwardedCertificates without_roots("X-SSL-Client-Cert", TlsTrust());
  CHECK(without_roots.read(pem)->chain_problem == "no client CA is configured");
  CHECK(forwarded.read("garbage") == nullptr);
}

TEST_CASE("forwarded_certificate: the App takes the header's certificate for RFC 8705 client authentication") {
  Issuer issuer;
  AppSettings settings;
  settings.environment.issuer = kIssuer;
  settings.tls_client_certs = true;
  settings.forwarded_certificates = std::make_shared<const ForwardedCertificates>("X-SSL-Client-Cert", issuer.roots());
  const char* fixture = "clients:\n  - id: svc\n    tokenEndpointAuthMethod: tls_client_auth\n"
                        "    tlsClientAuthSubjectDn: CN=svc\n    tlsClientCertificateBoundAccessTokens: true\n";
  FakeClock clock(SystemClock().now());
  App app(settings, load_fixture(fixture, "f.yaml", [](const std::string&) { return std::nullopt; }), test_key(), clock,
          steady_clock());
  std::string pem = issuer.issue("svc");
  auto token = [&](Headers headers) {
    headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return app.handle(make_request("POST", "/api/auth/oauth/token", "grant_type=client_credentials&client_id=svc",
                                   headers));
  };
  HttpResponse ok = token({{"X-SSL-Client-Cert", url_encoded(pem)}});
  REQUIRE(ok.status == 200);
  std::string at = *find_string(TestApp::parse(ok.body), "access_token");
  CHECK(jwt_claims(at).at("cnf").get<JsonObject>().at("x5t#S256") == Json(thumbprint_of(der_of(pem))));
  CHECK(token({}).status == 401);
  CHECK(token({{"X-SSL-Client-Cert", "garbage"}}).status == 401);
  CHECK(token({{"X-SSL-Client-Cert", issuer.issue("other")}}).status == 401);
  // The bound token holds where the proxy forwards the same certificate.
  Headers api = bearer(at);
  CHECK(app.handle(make_request("GET", "/api/ledger/_info", "", api)).status == 401);
  api.emplace_back("X-SSL-Client-Cert", pem);
  CHECK(app.handle(make_request("GET", "/api/ledger/_info", "", api)).status == 200);
}
