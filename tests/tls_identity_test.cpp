// Loading a server's chain and key: each thing that can be wrong is one message naming the file,
// a certificate made by `openssl req -x509` loads, and the names it covers are checked.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "base/config_error.h"
#include "tls_support.h"
#include "tls/tls_identity.h"

using namespace authemu;

namespace {

// Files in a fresh temporary folder, removed with it.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/authemu-tls-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    for (const auto& f : files)
      std::remove(f.c_str());
    ::rmdir(path.c_str());
  }
  std::string write(const std::string& name, const std::string& text) {
    std::string file = path + "/" + name;
    std::ofstream(file) << text;
    files.push_back(file);
    return file;
  }
  std::vector<std::string> files;
};

} // namespace

TEST_CASE("tls_identity: a generated chain and key load from files") {
  SystemClock clock;
  TlsNames names = TlsNames::parse({"localhost", "*.localhost", "127.0.0.1", "::1"}, "t");
  CertificateAuthority ca = CertificateAuthority::generate(names, clock);
  PemCredentials leaf = ca.issue(names, clock);
  TempDir dir;
  std::string cert = dir.write("cert.pem", leaf.chain), key = dir.write("key.pem", leaf.key);
  TlsIdentity id = TlsIdentity::from_files(cert, key, clock);
  CHECK(id.names().dns == names.dns);
  CHECK(id.names().ips == names.ips);
  CHECK_NOTHROW(id.check_covers(TlsNames::parse({"localhost", "app.localhost", "::1"}, "t")));
  CHECK_THROWS_WITH(id.check_covers(TlsNames::parse({"a.b.localhost", "a.example", "10.0.0.1"}, "t")),
                    cert + ": the certificate does not cover a.b.localhost, a.example, 10.0.0.1");

  SECTION("unreadable") {
    CHECK_THROWS_WITH(TlsIdentity::from_files(dir.path + "/none.pem", key, clock),
                      dir.path + "/none.pem: cannot read (No such file or directory)");
  }
  SECTION("not PEM") {
    std::string junk = dir.write("junk.pem", "not a certificate\n");
    CHECK_THROWS_WITH(TlsIdentity::from_files(junk, key, clock),
                      junk + ": not a PEM certificate (no \"-----BEGIN CERTIFICATE-----\" line)");
    CHECK_THROWS_WITH(TlsIdentity::from_files(cert, junk, clock),
                      junk + ": not a PEM private key, RSA or EC (mbedtls_pk_parse_key: -0x3d00)");
  }
  SECTION("a key that is not the certificate's") {
    std::string other = dir.write("other-key.pem", ca.key_pem());
    CHECK_THROWS_WITH(TlsIdentity::from_files(cert, other, clock),
                      other + ": the private key does not match the certificate in " + cert);
  }
  SECTION("expired, and not yet valid") {
    int64_t now = clock.now();
    FakeClock later(now + CertificateAuthority::kLeafLifetime + 1), earlier(now - CertificateAuthority::kBackdate - 1);
    CHECK_THROWS_WITH(TlsIdentity::from_files(cert, key, later),
                      cert + ": the certificate expired on " + format_utc(now + CertificateAuthority::kLeafLifetime));
    CHECK_THROWS_WITH(TlsIdentity::from_files(cert, key, earlier),
                      cert + ": the certificate is not valid before " +
                          format_utc(now - CertificateAuthority::kBackdate));
  }
}

TEST_CASE("tls_identity: a self-signed openssl req -x509 certificate (RSA, CN only) loads") {
  SystemClock clock;
  TlsIdentity id = TlsIdentity::from_files("tests/data/selfsigned-rsa.pem", "tests/data/selfsigned-rsa-key.pem", clock);
  CHECK(id.names().dns == std::vector<std::string>{"localhost"});
  CHECK_NOTHROW(id.check_covers(TlsNames::parse({"localhost"}, "t")));
  CHECK_THROWS_WITH(id.check_covers(TlsNames::parse({"127.0.0.1"}, "t")),
                    "tests/data/selfsigned-rsa.pem: the certificate does not cover 127.0.0.1");
}

TEST_CASE("tls_identity: a certificate this process issued loads unchecked, with its names") {
  SystemClock clock;
  TlsNames names = TlsNames::parse({"localhost", "127.0.0.1"}, "test");
  CertificateAuthority ca = CertificateAuthority::generate(names, clock);
  PemCredentials leaf = ca.issue(names, clock);
  TlsIdentity identity = TlsIdentity::issued(leaf.chain, leaf.key);
  CHECK(identity.names().all() == names.all());
  CHECK_NOTHROW(identity.check_covers(names));
  // Text that is not PEM still fails to parse: only the checks that cannot fail are skipped.
  CHECK_THROWS_AS(TlsIdentity::issued("hello", leaf.key), ConfigError);
}
