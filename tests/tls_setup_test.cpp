// HTTPS at start-up (cli/tls_setup): the names a certificate is for, the kept CA of a directory,
// the CA file, and each start-up error's exact line.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "base/config_error.h"
#include "cli/tls_setup.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

// A fresh directory under the temp dir, removed with its files at the end of the test.
struct TempDir {
  TempDir() {
    std::string pattern = std::filesystem::temp_directory_path().string() + "/authemu-tls-test-XXXXXX";
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string file(const std::string& name, const std::string& text) const {
    std::ofstream(path + "/" + name) << text;
    return path + "/" + name;
  }
  std::string path;
};

EnvironmentSpec spec(const std::string& name, const std::string& issuer, bool fixed = false) {
  EnvironmentSettings s;
  s.name = name;
  s.issuer = issuer;
  s.fixed_issuer = fixed;
  s.issuer_by_listener = !fixed;
  return EnvironmentSpec{s, {}, {}, test_key()};
}

std::vector<EnvironmentSpec> stack_specs() {
  std::vector<EnvironmentSpec> specs;
  specs.push_back(spec("", "http://localhost:8080/api/auth"));
  specs.back().settings.extra_issuers = {"https://other.example/x"};
  specs.push_back(spec("sandbox", "http://localhost:8080/sandbox/api/auth"));
  specs.push_back(spec("eu", "https://eu.example.com/api/auth", true));
  return specs;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

int mode_of(const std::string& path) {
  struct stat st{};
  ::stat(path.c_str(), &st);
  return int(st.st_mode & 0777);
}

} // namespace

TEST_CASE("tls_setup: the names a generated certificate is for") {
  Options o;
  o.base_url = "https://auth.example:8443/api/auth";
  o.browser_url = "http://app.localhost:3000";
  o.tls_names = {"extra.test", "10.0.0.5"};
  auto specs = stack_specs();
  CHECK(configured_tls_names(o, specs).all() ==
        std::vector<std::string>{"auth.example", "app.localhost", "eu.example.com", "extra.test", "10.0.0.5"});
  CHECK(all_tls_names(o, specs, "buildhost").all() ==
        std::vector<std::string>{"localhost", "*.localhost", "buildhost", "other.example", "eu.example.com",
                                 "sandbox.localhost", "sandbox.other.example", "sandbox.eu.example.com",
                                 "eu.localhost", "eu.other.example", "eu.eu.example.com", "auth.example",
                                 "app.localhost", "extra.test", "127.0.0.1", "::1", "10.0.0.5"});
  SECTION("a machine name that is no host name is left out") {
    CHECK(all_tls_names(Options{}, {spec("", "http://127.0.0.1:8080/api/auth")}, "my_host").all() ==
          std::vector<std::string>{"localhost", "*.localhost", "127.0.0.1", "::1"});
  }
  SECTION("a bad --tls-names name stops the start") {
    Options bad;
    bad.tls_names = {"not a name"};
    bad.sources["tls-names"] = "TLS_NAMES";
    CHECK(error_of([&] { configured_tls_names(bad, {}); }) ==
          "TLS_NAMES: \"not a name\" is not a host name or IP address");
  }
}

TEST_CASE("tls_setup: the issuer of a TLS listener") {
  EnvironmentSettings s;
  s.issuer = "http://localhost:8080/sandbox/api/auth";
  s.issuer_by_listener = true;
  CHECK(listener_issuer(s, 8443) == "https://localhost:8443/sandbox/api/auth");
  s.issuer_by_listener = false;
  CHECK(listener_issuer(s, 8443) == "http://localhost:8080/sandbox/api/auth");
}

TEST_CASE("tls_setup: nothing without a TLS option") {
  TlsSetup t = setup_tls(Options{}, stack_specs(), 8080, FakeClock(kStart));
  CHECK(t.config == nullptr);
  CHECK(t.ca == nullptr);
  CHECK(t.ca_pem.empty());
  CHECK(t.ca_file.empty());
}

TEST_CASE("tls_setup: a generated CA, its file, and a file that cannot be written") {
  TempDir dir;
  FakeClock clock(kStart);
  Options o;
  o.tls = true;
  o.tls_ca_out = dir.path + "/ca.pem";
  TlsSetup t = setup_tls(o, stack_specs(), 8080, clock);
  REQUIRE(t.config != nullptr);
  CHECK(t.ca_file == o.tls_ca_out);
  CHECK(read_text_file(t.ca_file) == t.ca_pem);
  CHECK_THAT(t.ca_pem, Catch::StartsWith("-----BEGIN CERTIFICATE-----"));
  CHECK(t.warnings.empty());
  REQUIRE(t.ca != nullptr); // kept for POST /_authemu/tls/client-certs
  CHECK(t.ca->certificate_pem() == t.ca_pem);
  CHECK(t.client_roots == 2); // its own CA, and that CA's issuer of client certificates
  o.tls_ca_out = dir.path + "/missing/ca.pem";
  TlsSetup unwritable = setup_tls(o, stack_specs(), 8080, clock);
  CHECK(unwritable.config != nullptr);
  CHECK(unwritable.ca_file.empty());
  CHECK(unwritable.warnings == std::vector<std::string>{dir.path + "/missing/ca.pem: cannot write the CA certificate (No "
                                                                   "such file or directory); GET /_authemu/ca.pem serves it"});
  CHECK(default_ca_file(8443) == std::filesystem::temp_directory_path().string() + "/authemu-ca-8443.pem");
}

TEST_CASE("tls_setup: a CA kept in a directory") {
  TempDir dir;
  FakeClock clock(kStart);
  TlsNames names = TlsNames::parse(kDefaultTlsNames, "test");
  StoredCa made = ca_in_dir(dir.path + "/ca", names, clock);
  CHECK(made.created);
  CHECK(made.cert_file == dir.path + "/ca/ca.pem");
  CHECK(mode_of(dir.path + "/ca/ca-key.pem") == 0600);
  StoredCa again = ca_in_dir(dir.path + "/ca", names, clock);
  CHECK_FALSE(again.created);
  CHECK(again.ca.certificate_pem() == made.ca.certificate_pem());
  SECTION("mkcert's files") {
    dir.file("rootCA.pem", made.ca.certificate_pem());
    dir.file("rootCA-key.pem", made.ca.key_pem());
    StoredCa mkcert = ca_in_dir(dir.path, names, clock);
    CHECK_FALSE(mkcert.created);
    CHECK(mkcert.cert_file == dir.path + "/rootCA.pem");
  }
  SECTION("start-up errors, one line each") {
    Options o;
    o.tls = true;
    o.tls_ca_dir = dir.path + "/ca";
    o.tls_names = {"api.example.test", "10.1.2.3"};
    CHECK(error_of([&] { setup_tls(o, stack_specs(), 8080, clock); }) ==
          dir.path + "/ca/ca.pem: the CA's name constraints do not cover eu.example.com, api.example.test, 10.1.2.3");
    std::filesystem::create_directories(dir.path + "/lonely");
    dir.file("lonely/ca.pem", made.ca.certificate_pem());
    CHECK(error_of([&] { ca_in_dir(dir.path + "/lonely", names, clock); }) ==
          dir.path + "/lonely/ca-key.pem: missing beside " + dir.path + "/lonely/ca.pem");
    std::filesystem::create_directories(dir.path + "/garbled");
    dir.file("garbled/ca.pem", "not PEM");
    dir.file("garbled/ca-key.pem", made.ca.key_pem());
    CHECK_THAT(error_of([&] { ca_in_dir(dir.path + "/garbled", names, clock); }),
               Catch::StartsWith(dir.path + "/garbled/ca.pem: "));
  }
}

TEST_CASE("tls_setup: a given certificate and key") {
  TempDir dir;
  FakeClock clock(kStart);
  CertificateAuthority ca = CertificateAuthority::generate(TlsNames::parse({"auth.example"}, "test"), clock);
  PemCredentials leaf = ca.issue(TlsNames::parse({"auth.example"}, "test"), clock);
  Options o;
  o.tls = true;
  o.tls_cert = dir.file("cert.pem", leaf.chain);
  o.tls_key = dir.file("key.pem", leaf.key);
  SECTION("covering the configured names: served, no CA") {
    o.base_url = "https://auth.example/api/auth";
    TlsSetup t = setup_tls(o, {spec("", o.base_url, true)}, 8080, clock);
    CHECK(t.config != nullptr);
    CHECK(t.ca_pem.empty());
    CHECK(t.ca_file.empty());
  }
  SECTION("start-up errors, one line each") {
    o.tls_names = {"other.example"};
    CHECK(error_of([&] { setup_tls(o, stack_specs(), 8080, clock); }) ==
          o.tls_cert + ": the certificate does not cover eu.example.com, other.example");
    o.tls_names.clear();
    o.tls_cert = dir.path + "/absent.pem";
    CHECK(error_of([&] { setup_tls(o, {}, 8080, clock); }) ==
          dir.path + "/absent.pem: cannot read (No such file or directory)");
    o.tls_cert = dir.path + "/cert.pem";
    o.tls_key = dir.file("other-key.pem", ca.key_pem());
    CHECK_THAT(error_of([&] { setup_tls(o, {}, 8080, clock); }), Catch::StartsWith(dir.path + "/other-key.pem: "));
  }
}

TEST_CASE("tls_setup: client roots: the server's CA and --tls-client-ca's certificates") {
  TempDir dir;
  FakeClock clock(kStart);
  CertificateAuthority a = CertificateAuthority::generate(TlsNames::parse({"a.example"}, "test"), clock);
  CertificateAuthority b = CertificateAuthority::generate(TlsNames::parse({"b.example"}, "test"), clock);
  Options o;
  o.tls = true;
  o.tls_ca_out = dir.path + "/ca.pem";
  o.tls_client_ca = dir.file("clients.pem", a.certificate_pem() + b.certificate_pem());
  SECTION("with a generated CA") {
    TlsSetup t = setup_tls(o, stack_specs(), 8080, clock);
    CHECK(t.client_roots == 4);
    CHECK(t.ca != nullptr);
  }
  SECTION("with a given certificate: the file's alone, and none without it") {
    PemCredentials leaf = a.issue(TlsNames::parse({"localhost"}, "test"), clock);
    o.tls_cert = dir.file("cert.pem", leaf.chain);
    o.tls_key = dir.file("key.pem", leaf.key);
    TlsSetup t = setup_tls(o, {}, 8080, clock);
    CHECK(t.client_roots == 2);
    CHECK(t.ca == nullptr);
    o.tls_client_ca.clear();
    CHECK(setup_tls(o, {}, 8080, clock).client_roots == 0);
  }
  SECTION("a bad file stops the start, named") {
    o.tls_client_ca = dir.file("garbled.pem", "not PEM");
    CHECK(error_of([&] { setup_tls(o, stack_specs(), 8080, clock); }) ==
          dir.path + "/garbled.pem: not a PEM certificate (no \"-----BEGIN CERTIFICATE-----\" line)");
    o.tls_client_ca = dir.path + "/absent.pem";
    CHECK(error_of([&] { setup_tls(o, stack_specs(), 8080, clock); }) ==
          dir.path + "/absent.pem: cannot read (No such file or directory)");
  }
}
