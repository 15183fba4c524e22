// TLS connections between this layer's server and client streams over loopback sockets, each side
// on its own thread: TLS 1.3 and a forced 1.2, ALPN, SNI, resumption from a ticket, the handshake
// deadline on a fake clock, plain HTTP on a TLS port, a server the client does not trust, and the
// client certificates the server reads (RFC 8705), resumed sessions' among them.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>

#include "jose/crypto.h"
#include "tls/certificate_authority.h"
#include "tls/tls_stream.h"
#include "tls/tls_config_impl.h"
#include "tls_support.h"

using namespace authemu;
using std::chrono::milliseconds;

namespace {

struct Pair {
  int server = -1, client = -1;
  Pair() {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    server = fds[0];
    client = fds[1];
  }
  ~Pair() {
    ::close(server);
    ::close(client);
  }
};

struct Pki {
  SystemClock clock;
  TlsNames names = TlsNames::parse({"localhost", "*.localhost", "127.0.0.1", "::1"}, "test");
  CertificateAuthority ca = CertificateAuthority::generate(names, clock);
  PemCredentials leaf = ca.issue(names, clock);
  TlsServerConfig server{TlsIdentity::issued(leaf.chain, leaf.key), client_roots()}; // as start-up makes it

  TlsTrust roots() const {
    TlsTrust trust;
    trust.add_pem(ca.certificate_pem(), "ca.pem");
    return trust;
  }
  TlsTrust client_roots() const {
    TlsTrust trust = roots();
    trust.add_pem(ca.client_ca_pem(), "client-ca.pem");
    return trust;
  }
  IssuedClientCertificate issue_client(const std::string& cn) const {
    ClientCertificateRequest request;
    request.cn = cn;
    return ca.issue_client(request, clock);
  }
  TlsClientConfig client(std::optional<TlsVersion> only = std::nullopt,
                         std::optional<TlsIdentity> identity = std::nullopt) const {
    return TlsClientConfig(roots(), only, std::move(identity));
  }
};

struct Seen {
  std::string version, alpn, server_name, received;
  bool resumed = false;
};

int64_t in_5s() {
  return steady_clock().now_ms() + 5000;
}

// The server side of one connection: handshake, read "ping", answer "pong", close_notify.
Seen serve_one(const TlsServerConfig& config, int fd) {
  TlsStream s = TlsStream::server(config, fd);
  s.handshake(in_5s(), steady_clock());
  Seen seen{s.version(), s.alpn(), s.server_name(), "", s.resumed()};
  char buf[16];
  size_t n = s.read_some(buf, sizeof buf, in_5s(), steady_clock());
  seen.received.assign(buf, n);
  s.write_all("pong", in_5s(), steady_clock());
  s.close_notify();
  return seen;
}

// The client side: "ping" out, the answer back, and the session to resume.
std::string talk(TlsStream& c, TlsSession* keep = nullptr) {
  c.handshake(in_5s(), steady_clock());
  REQUIRE(c.write_all("ping", in_5s(), steady_clock()));
  char buf[16];
  size_t n = c.read_some(buf, sizeof buf, in_5s(), steady_clock());
  if (keep) *keep = c.session();
  return std::string(buf, n);
}

} // namespace

TEST_CASE("tls_stream: a handshake and bytes both ways, TLS 1.3 and 1.2, with resumption") {
  Pki pki;
  auto [only, expected] = GENERATE(std::make_pair(std::optional<TlsVersion>(), std::string("TLSv1.3")),
                                   std::make_pair(std::optional<TlsVersion>(TlsVersion::tls1_2), std::string("TLSv1.2")));
  TlsClientConfig client = pki.client(only);
  TlsSession session;
  {
    Pair p;
    auto server = std::async(std::launch::async, serve_one, std::cref(pki.server), p.server);
    TlsStream c = TlsStream::client(client, p.client, "localhost");
    CHECK(talk(c, &session) == "pong");
    CHECK(c.version() == expected);
    CHECK(c.alpn() == "http/1.1");
    Seen seen = server.get();
    CHECK(seen.version == expected);
    CHECK(seen.alpn == "http/1.1"); // RFC 7301
    CHECK(seen.server_name == "localhost");
    CHECK(seen.received == "ping");
    CHECK_FALSE(seen.resumed);
    char buf[4];
    CHECK(c.read_some(buf, sizeof buf, in_5s(), steady_clock()) == 0); // close_notify
  }
  REQUIRE_FALSE(session.empty());
  Pair p;
  auto server = std::async(std::launch::async, serve_one, std::cref(pki.server), p.server);
  TlsStream c = TlsStream::client(client, p.client, "localhost", &session);
  CHECK(talk(c) == "pong");
  Seen seen = server.get();
  CHECK(seen.resumed); // the ticket was accepted
  CHECK(seen.version == expected);
}

TEST_CASE("tls_stream: connect() over TCP, by name and by IP address") {
  Pki pki;
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  REQUIRE(::listen(listener, 4) == 0);
  int port = ntohs(addr.sin_port);
  TlsClientConfig client = pki.client();
  auto accept_and_serve = [&] {
    int fd = ::accept(listener, nullptr, nullptr);
    Seen seen = serve_one(pki.server, fd);
    ::close(fd);
    return seen;
  };
  SECTION("by name") {
    auto server = std::async(std::launch::async, accept_and_serve);
    TlsStream c = TlsStream::connect(client, "localhost", port, in_5s(), steady_clock());
    CHECK(c.write_all("ping", in_5s(), steady_clock()));
    char buf[8];
    CHECK(std::string(buf, c.read_some(buf, sizeof buf, in_5s(), steady_clock())) == "pong");
    CHECK(server.get().received == "ping");
  }
  SECTION("by IP address (an iPAddress SAN)") {
    auto server = std::async(std::launch::async, accept_and_serve);
    TlsStream c = TlsStream::connect(client, "127.0.0.1", port, in_5s(), steady_clock());
    CHECK(c.write_all("ping", in_5s(), steady_clock()));
    CHECK(server.get().received == "ping");
  }
  SECTION("nothing listening") {
    ::close(listener);
    listener = -1;
    CHECK_THROWS_WITH(TlsStream::connect(client, "127.0.0.1", port, in_5s(), steady_clock()),
                      "cannot connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
  }
  if (listener >= 0) ::close(listener);
}

TEST_CASE("tls_stream: a client that trusts another CA refuses the server") {
  Pki pki, other;
  Pair p;
  auto server = std::async(std::launch::async, [&] {
    TlsStream s = TlsStream::server(pki.server, p.server);
    try {
      s.handshake(in_5s(), steady_clock());
    } catch (const TlsError&) {
    }
  });
  TlsClientConfig client = other.client();
  TlsStream c = TlsStream::client(client, p.client, "localhost");
  CHECK_THROWS_WITH(c.handshake(in_5s(), steady_clock()),
                    Catch::StartsWith("the server's certificate is not trusted: ") &&
                        Catch::Contains("the server's certificate is not trusted: it is not issued by a CA trusted here"));
  server.get();
}

TEST_CASE("tls_stream: a peer that sends nothing, or half a ClientHello, fails at the deadline") {
  Pki pki;
  std::string sent = GENERATE(std::string(), std::string("\x16\x03\x01\x00\xc8\x01\x00\x00\xc4\x03", 10));
  Pair p;
  FakeMonotonicClock clock(0);
  if (!sent.empty()) REQUIRE(::send(p.client, sent.data(), sent.size(), 0) == ssize_t(sent.size()));
  auto server = std::async(std::launch::async, [&] {
    TlsStream s = TlsStream::server(pki.server, p.server);
    s.handshake(10000, clock);
  });
  CHECK(server.wait_for(milliseconds(30)) == std::future_status::timeout); // still waiting before the deadline
  clock.advance_ms(9999);
  CHECK(server.wait_for(milliseconds(30)) == std::future_status::timeout);
  clock.advance_ms(1);
  try {
    server.get();
    FAIL("the handshake did not fail");
  } catch (const TlsError& e) {
    CHECK(e.kind() == TlsError::Kind::timeout);
    CHECK(std::string(e.what()) == "no TLS handshake before the deadline");
  }
}

TEST_CASE("tls_stream: plain HTTP on a TLS port is told apart from a TLS record") {
  Pki pki;
  Pair p;
  std::string request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
  REQUIRE(::send(p.client, request.data(), request.size(), 0) == ssize_t(request.size()));
  TlsStream s = TlsStream::server(pki.server, p.server);
  CHECK(s.handshake_step() == TlsIo::plain_http);
  CHECK(s.error() == "plain HTTP sent to a TLS port");
  SECTION("the first bytes") {
    CHECK(looks_like_plain_http("GET / HTTP/1.1"));
    CHECK(looks_like_plain_http("POST"));
    CHECK(looks_like_plain_http("OPTIONS * HTTP/1.1"));
    CHECK_FALSE(looks_like_plain_http(std::string("\x16\x03\x01", 3)));
    CHECK_FALSE(looks_like_plain_http("get /"));
    CHECK_FALSE(looks_like_plain_http(""));
    CHECK_FALSE(looks_like_plain_http(" ")); // a space with no method before it (found by tests/fuzz/tls_fuzz)
    CHECK_FALSE(looks_like_plain_http(" GET / HTTP/1.1"));
  }
}

TEST_CASE("tls_stream: the handshake steps without blocking") {
  Pki pki;
  Pair p;
  TlsClientConfig client = pki.client();
  TlsStream s = TlsStream::server(pki.server, p.server);
  TlsStream c = TlsStream::client(client, p.client, "localhost");
  CHECK(s.handshake_step() == TlsIo::want_read); // nothing sent yet
  TlsIo cs = TlsIo::want_read, ss = TlsIo::want_read;
  for (int i = 0; i < 20 && (cs != TlsIo::done || ss != TlsIo::done); ++i) {
    if (cs != TlsIo::done) cs = c.handshake_step();
    if (ss != TlsIo::done) ss = s.handshake_step();
  }
  CHECK(cs == TlsIo::done);
  CHECK(ss == TlsIo::done);
  char buf[8];
  size_t got = 0;
  CHECK(s.read(buf, sizeof buf, got) == TlsIo::want_read);
  CHECK(c.write_all("hi", in_5s(), steady_clock()));
  CHECK(s.read(buf, 1, got) == TlsIo::done);
  CHECK(got == 1);
  CHECK(s.has_buffered()); // the second byte waits decrypted inside the stream
  CHECK(s.read(buf + 1, 1, got) == TlsIo::done);
  CHECK(std::string(buf, 2) == "hi");
  CHECK_FALSE(s.has_buffered());
}

namespace {

struct Served {
  std::shared_ptr<const ClientCertificate> certificate;
  bool resumed = false;
  std::string version;
  bool same_object = false; // peer_certificate() gave the same object twice
  std::string heard;        // what the client sent
};

// One connection of client to server over a socket pair: "ping", "pong", and what the server saw;
// resume: a session to resume; keep: where the session to resume later goes.
Served connect_once(const TlsServerConfig& server, const TlsClientConfig& client, const TlsSession* resume = nullptr,
                    TlsSession* keep = nullptr) {
  Pair p;
  auto served = std::async(std::launch::async, [&] {
    TlsStream s = TlsStream::server(server, p.server);
    s.handshake(in_5s(), steady_clock());
    Served out{s.peer_certificate(), s.resumed(), s.version()};
    out.same_object = s.peer_certificate() == out.certificate; // made once: the same object
    char buf[16];
    out.heard.assign(buf, s.read_some(buf, sizeof buf, in_5s(), steady_clock()));
    s.write_all("pong", in_5s(), steady_clock());
    s.close_notify();
    return out; // checked on the test's thread: Catch2 assertions are not thread-safe
  });
  TlsStream c = TlsStream::client(client, p.client, "localhost", resume);
  CHECK(talk(c, keep) == "pong");
  CHECK(c.peer_certificate() == nullptr); // the client side reads none
  Served out = served.get();
  CHECK(out.same_object);
  CHECK(out.heard == "ping");
  return out;
}

TlsIdentity identity_of(const PemCredentials& pem) {
  return TlsIdentity::issued(pem.chain, pem.key);
}

std::optional<TlsVersion> version_of(const std::string& name) {
  return name == "TLSv1.2" ? std::optional<TlsVersion>(TlsVersion::tls1_2) : std::nullopt;
}

} // namespace

TEST_CASE("tls_stream: a client without a certificate is served as before, and has none") {
  Pki pki;
  std::string version = GENERATE("TLSv1.3", "TLSv1.2");
  Served seen = connect_once(pki.server, pki.client(version_of(version)));
  CHECK(seen.version == version);
  CHECK(seen.certificate == nullptr);
}

TEST_CASE("tls_stream: a client certificate the server's CA issued is trusted and read whole") {
  Pki pki;
  std::string version = GENERATE("TLSv1.3", "TLSv1.2");
  ClientCertificateRequest request;
  request.cn = "svc-a";
  request.dns = {"svc.example"};
  request.uris = {"spiffe://example.org/svc"};
  request.ips = {"10.0.0.7", "::1"};
  request.emails = {"ops@example.org"};
  request.lifetime = 3600;
  IssuedClientCertificate issued = pki.ca.issue_client(request, pki.clock);
  Served seen = connect_once(pki.server, pki.client(version_of(version), identity_of(issued)));
  REQUIRE(seen.certificate);
  const ClientCertificate& cert = *seen.certificate;
  CHECK(cert.chain_trusted());
  CHECK(cert.chain_problem == "");
  CHECK(cert.der == test::der_of(issued.chain));
  CHECK(cert.thumbprint == test::thumbprint_of(test::der_of(issued.chain))); // RFC 8705 §3.1
  CHECK(cert.thumbprint == issued.thumbprint);
  REQUIRE(cert.subject.size() == 1);
  REQUIRE(cert.subject[0].size() == 1);
  CHECK(cert.subject[0][0].type == "2.5.4.3");
  CHECK(cert.subject[0][0].value == "svc-a");
  CHECK(cert.san_dns == std::vector<std::string>{"svc.example"});
  CHECK(cert.san_uri == std::vector<std::string>{"spiffe://example.org/svc"});
  CHECK(cert.san_email == std::vector<std::string>{"ops@example.org"});
  CHECK(cert.san_ip == std::vector<std::string>{std::string("\x0a\x00\x00\x07", 4), std::string(15, '\0') + "\x01"});
  CHECK(cert.not_before == issued.not_before);
  CHECK(cert.not_after == issued.not_after);
  CHECK(cert.not_after - cert.not_before == 3600 + CertificateAuthority::kBackdate);
  EcKey key = EcKey::from_pem(issued.key); // jose's reading of the key, apart from tls/
  CHECK(cert.public_jwk == std::map<std::string, std::string>{{"kty", "EC"},
                                                                {"crv", "P-256"},
                                                                {"x", base64url_encode(key.x())},
                                                                {"y", base64url_encode(key.y())}});
}

TEST_CASE("tls_stream: a certificate that chains to no client root is served with the reason") {
  Pki pki;
  std::string version = GENERATE("TLSv1.3", "TLSv1.2");
  SECTION("issued by another CA") {
    Pki other;
    Served seen = connect_once(pki.server, pki.client(version_of(version), identity_of(other.issue_client("stranger"))));
    REQUIRE(seen.certificate);
    CHECK_FALSE(seen.certificate->chain_trusted());
    CHECK(seen.certificate->chain_problem == "not signed by a trusted CA");
  }
  SECTION("self-signed, P-256 (RFC 8705 §2.2)") {
    PemCredentials self = test::self_signed("self");
    Served seen = connect_once(pki.server, pki.client(version_of(version), identity_of(self)));
    REQUIRE(seen.certificate);
    CHECK(seen.certificate->chain_problem == "not signed by a trusted CA");
    CHECK(seen.certificate->thumbprint == test::thumbprint_of(test::der_of(self.chain)));
    EcKey key = EcKey::from_pem(self.key);
    CHECK(seen.certificate->public_jwk.at("x") == base64url_encode(key.x()));
    CHECK(seen.certificate->public_jwk.at("y") == base64url_encode(key.y()));
  }
  SECTION("a server certificate (serverAuth only) as a client's") {
    Served seen = connect_once(pki.server, pki.client(version_of(version), identity_of(pki.leaf)));
    REQUIRE(seen.certificate);
    CHECK(seen.certificate->chain_problem == "not for client authentication (its extended key usage)");
  }
  SECTION("a listener without client roots") {
    TlsServerConfig bare{TlsIdentity::issued(pki.leaf.chain, pki.leaf.key)}; // --tls-cert without --tls-client-ca
    Served seen = connect_once(bare, pki.client(version_of(version), identity_of(pki.issue_client("svc"))));
    REQUIRE(seen.certificate);
    CHECK(seen.certificate->chain_problem == "no client CA is configured");
    CHECK(connect_once(bare, pki.client(version_of(version))).certificate == nullptr);
  }
  SECTION("a listener that asks for none (--tls-client-certs off): a client's certificate is not even sent") {
    TlsServerConfig off{TlsIdentity::issued(pki.leaf.chain, pki.leaf.key), pki.client_roots(), false};
    Served seen = connect_once(off, pki.client(version_of(version), identity_of(pki.issue_client("svc"))));
    CHECK(seen.version == version);
    CHECK(seen.certificate == nullptr);
  }
}

TEST_CASE("tls_stream: a self-signed RSA client certificate gives its modulus and exponent") {
  Pki pki;
  std::string version = GENERATE("TLSv1.3", "TLSv1.2");
  PemCredentials self = test::self_signed("rsa-client", true);
  Served seen = connect_once(pki.server, pki.client(version_of(version), identity_of(self)));
  CHECK(seen.version == version);
  REQUIRE(seen.certificate);
  RsaKey key = RsaKey::from_pem(self.key);
  CHECK(seen.certificate->public_jwk ==
        std::map<std::string, std::string>{
            {"kty", "RSA"}, {"n", base64url_encode(key.modulus())}, {"e", base64url_encode(key.exponent())}});
  CHECK(seen.certificate->public_jwk.at("e") == "AQAB");
}

TEST_CASE("tls_stream: an expired client certificate is still trusted: its dates are the OAuth layer's to judge") {
  Pki pki;
  FakeClock past(pki.clock.now() - 40 * 86400);
  ClientCertificateRequest request;
  request.cn = "old";
  request.lifetime = 86400;
  IssuedClientCertificate issued = pki.ca.issue_client(request, past);
  Served seen = connect_once(pki.server, pki.client(std::nullopt, identity_of(issued)));
  REQUIRE(seen.certificate);
  CHECK(seen.certificate->chain_trusted());
  CHECK(seen.certificate->not_after < pki.clock.now());
  CHECK(seen.certificate->not_after == past.now() + 86400);
}

TEST_CASE("tls_stream: a resumed session keeps the client certificate of the handshake that made its ticket") {
  Pki pki;
  std::string version = GENERATE("TLSv1.3", "TLSv1.2");
  IssuedClientCertificate issued = pki.issue_client("resumer");
  TlsClientConfig with = pki.client(version_of(version), identity_of(issued));
  TlsSession first, second, third;
  Served full = connect_once(pki.server, with, nullptr, &first);
  REQUIRE(full.certificate);
  CHECK_FALSE(full.resumed);
  Served resumed = connect_once(pki.server, with, &first, &second);
  CHECK(resumed.resumed);
  REQUIRE(resumed.certificate);
  CHECK(resumed.certificate->thumbprint == issued.thumbprint);
  CHECK(resumed.certificate->chain_trusted());
  Served again = connect_once(pki.server, with, &second, &third); // a ticket of a resumed session
  CHECK(again.resumed);
  REQUIRE(again.certificate);
  CHECK(again.certificate->thumbprint == issued.thumbprint);
  SECTION("a session without a certificate resumes without one") {
    TlsClientConfig without = pki.client(version_of(version));
    TlsSession plain, next;
    CHECK(connect_once(pki.server, without, nullptr, &plain).certificate == nullptr);
    Served r = connect_once(pki.server, without, &plain, &next);
    CHECK(r.resumed);
    CHECK(r.certificate == nullptr);
  }
  SECTION("another server's ticket is not taken") {
    Pki other;
    Served r = connect_once(other.server, other.client(version_of(version), identity_of(issued)), &first);
    CHECK_FALSE(r.resumed);
    REQUIRE(r.certificate);
    CHECK(r.certificate->chain_problem == "not signed by a trusted CA");
  }
}

TEST_CASE("tls_stream: a client certificate the server cannot take fails the handshake, and the server goes on") {
  Pki pki;
  std::string version = GENERATE("TLSv1.3", "TLSv1.2");
  IssuedClientCertificate issued = pki.issue_client("svc");
  PemCredentials presented;
  SECTION("a key that is not the certificate's (CertificateVerify does not verify)") {
    presented = {issued.chain, test::self_signed("other").key};
  }
  SECTION("a chain with the CA's own certificate, whose name constraints mbedTLS cannot parse") {
    presented = {issued.chain + pki.ca.certificate_pem(), issued.key};
  }
  TlsClientConfig client = pki.client(version_of(version), identity_of(presented));
  Pair p;
  auto server = std::async(std::launch::async, [&] {
    TlsStream s = TlsStream::server(pki.server, p.server);
    try {
      s.handshake(in_5s(), steady_clock());
      return std::string("no failure");
    } catch (const TlsError& e) {
      // Checked on the test's thread (Catch2 assertions are not thread-safe): no certificate kept.
      return std::string(e.what()) + (s.peer_certificate() ? " (with a certificate)" : "");
    }
  });
  TlsStream c = TlsStream::client(client, p.client, "localhost");
  try {
    talk(c);
  } catch (const TlsError&) {
  }
  std::string failure = server.get();
  CHECK_THAT(failure, Catch::StartsWith("TLS handshake failed: mbedtls_ssl_handshake (-0x"));
  CHECK_THAT(failure, !Catch::Contains("(with a certificate)"));
  Served after = connect_once(pki.server, pki.client(version_of(version), identity_of(issued)));
  CHECK(after.certificate);
}

TEST_CASE("tls_stream: a client certificate sent with its issuer, as OpenSSL completes a chain, is trusted") {
  Pki pki;
  std::string version = GENERATE("TLSv1.3", "TLSv1.2");
  IssuedClientCertificate issued = pki.issue_client("chained");
  PemCredentials chain{issued.chain + pki.ca.client_ca_pem(), issued.key};
  Served seen = connect_once(pki.server, pki.client(version_of(version), identity_of(chain)));
  REQUIRE(seen.certificate);
  CHECK(seen.certificate->chain_trusted());
  CHECK(seen.certificate->thumbprint == issued.thumbprint); // the leaf's
}

TEST_CASE("tls_stream: the ticket records are bounded; a ticket whose record is gone makes a full handshake") {
  tls_detail::TicketCertificates records(100);
  auto cert = std::make_shared<const ClientCertificate>();
  records.remember("a", cert, 1000);
  CHECK(records.find("a", 1100) == cert); // within the ticket's lifetime
  CHECK(records.find("a", 1101) == nullptr);
  CHECK(records.size() == 0);
  records.remember("b", cert, 2000);
  for (size_t i = 0; i < tls_detail::TicketCertificates::kMaxRecords; ++i)
    records.remember("n" + std::to_string(i), cert, 2000);
  CHECK(records.size() == tls_detail::TicketCertificates::kMaxRecords);
  CHECK(records.find("b", 2000) == nullptr); // the oldest went first
  CHECK(records.find("n0", 2000) == cert);

  SECTION("through a listener: 10,000 newer records push out a TLS 1.3 session's") {
    Pki pki;
    IssuedClientCertificate issued = pki.issue_client("evicted");
    TlsClientConfig with = pki.client(std::nullopt, identity_of(issued));
    TlsSession session;
    REQUIRE(connect_once(pki.server, with, nullptr, &session).certificate);
    auto& listener_records = const_cast<TlsServerConfig::Impl&>(pki.server.impl()).ticket_certificates;
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    for (size_t i = 0; i < tls_detail::TicketCertificates::kMaxRecords; ++i)
      listener_records.remember("newer" + std::to_string(i), cert, now);
    Served again = connect_once(pki.server, with, &session);
    CHECK_FALSE(again.resumed); // not resumed without its certificate: the client sent it again
    REQUIRE(again.certificate);
    CHECK(again.certificate->thumbprint == issued.thumbprint);
  }
}
