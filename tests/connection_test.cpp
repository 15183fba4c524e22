// The transport's TLS connections (http/connection) through the real server on a loopback port,
// with tls/'s TlsStream as the client: keep-alive and pipelining over TLS, plain HTTP on the TLS
// port, a silent client closed at the deadline on the server's clock, and half-finished handshakes
// that hold no worker, and the client certificate reaching a handler (RFC 8705).
#include <catch2/catch.hpp>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "http/app.h"
#include "http/http_server.h"
#include "http/router.h"
#include "socket_support.h"
#include "test_support.h"
#include "tls/certificate_authority.h"
#include "tls/tls_stream.h"

using namespace authemu;
using namespace authemu::test;

namespace {

struct Pki {
  SystemClock clock; // the client checks validity on the real clock
  TlsNames names = TlsNames::parse({"localhost", "127.0.0.1"}, "test");
  CertificateAuthority ca = CertificateAuthority::generate(names, clock);
  PemCredentials leaf = ca.issue(names, clock);
  TlsServerConfig server{TlsIdentity::from_pem(leaf.chain, leaf.key, "cert", "key", clock)};
  TlsClientConfig client() const {
    TlsTrust trust;
    trust.add_pem(ca.certificate_pem(), "ca.pem");
    return TlsClientConfig(std::move(trust));
  }
};

const Pki& pki() {
  static const Pki p;
  return p;
}

// The server with one TLS listener on a free port.
struct TlsServer {
  explicit TlsServer(ServerLimits limits = {}, const MonotonicClock& clock = steady_clock())
      : t({}, clock), server(limits, false, clock) {
    port = server.bind("127.0.0.1", 0, &pki().server, "test");
    thread = std::thread([this] { server.serve(*t.app); });
  }
  ~TlsServer() {
    server.stop();
    thread.join();
  }
  TlsStream connect() {
    return TlsStream::connect(client_config, "127.0.0.1", port, steady_clock().now_ms() + 5000, steady_clock());
  }
  bool check(const std::function<bool(const DeadlineCheck&)>& pred) {
    return server.wait_for_check(pred, std::chrono::seconds(5));
  }
  TestApp t;
  HttpServer server;
  TlsClientConfig client_config = pki().client();
  int port = 0;
  std::thread thread;
};

int64_t in_5s() {
  return steady_clock().now_ms() + 5000;
}

// Answers read off s until count of them have come whole (by Content-Length).
std::string read_answers(TlsStream& s, size_t count) {
  std::string got;
  char buf[4096];
  for (;;) {
    size_t complete = 0, pos = 0;
    for (;;) {
      size_t end = got.find("\r\n\r\n", pos);
      if (end == std::string::npos) break;
      size_t cl = got.find("Content-Length: ", pos);
      size_t length = cl != std::string::npos && cl < end ? std::stoul(got.substr(cl + 16)) : 0;
      if (got.size() < end + 4 + length) break;
      pos = end + 4 + length;
      ++complete;
    }
    if (complete >= count) return got;
    size_t n = s.read_some(buf, sizeof buf, in_5s(), steady_clock());
    if (n == 0) return got;
    got.append(buf, n);
  }
}

const std::string kHealth = "GET /_healthcheck HTTP/1.1\r\nHost: localhost\r\n\r\n";

} // namespace

TEST_CASE("connection: two requests on one TLS connection (keep-alive), with the listener's issuer") {
  TlsServer s;
  TlsStream c = s.connect();
  CHECK(c.alpn() == "http/1.1");
  REQUIRE(c.write_all(kHealth, in_5s(), steady_clock()));
  std::string first = read_answers(c, 1);
  CHECK(first.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  REQUIRE(c.write_all("GET /api/auth/.well-known/openid-configuration HTTP/1.1\r\nHost: localhost\r\n\r\n", in_5s(),
                      steady_clock()));
  std::string second = read_answers(c, 1);
  CHECK(second.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(s.check([](const DeadlineCheck& d) { return d.open == 1; }));
  c.close_notify();
}

TEST_CASE("connection: pipelined requests over TLS are all answered, in order") {
  TlsServer s;
  TlsStream c = s.connect();
  REQUIRE(c.write_all(kHealth + "GET /nope HTTP/1.1\r\nHost: localhost\r\n\r\n" + kHealth, in_5s(), steady_clock()));
  std::string got = read_answers(c, 3);
  CHECK(count_of(got, "HTTP/1.1 ") == 3);
  size_t ok1 = got.find("HTTP/1.1 200"), missing = got.find("HTTP/1.1 404"), ok2 = got.rfind("HTTP/1.1 200");
  CHECK(ok1 < missing);
  CHECK(missing < ok2);
}

TEST_CASE("connection: a large answer and a request with 100-continue over TLS") {
  TlsServer s;
  TlsStream c = s.connect();
  std::string body = "grant_type=client_credentials&client_id=testing&client_secret=testing";
  REQUIRE(c.write_all("POST /api/auth/oauth/token HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"
                      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n",
                      in_5s(), steady_clock()));
  char buf[256];
  size_t n = c.read_some(buf, sizeof buf, in_5s(), steady_clock());
  CHECK(std::string(buf, n) == "HTTP/1.1 100 Continue\r\n\r\n");
  REQUIRE(c.write_all(body, in_5s(), steady_clock()));
  std::string got = read_answers(c, 1);
  CHECK(got.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(got.find("\"access_token\"") != std::string::npos);
}

TEST_CASE("connection: plain HTTP to a TLS port gets a plain 400 and the connection closes") {
  TlsServer s;
  int fd = connect_to(s.port);
  REQUIRE(send(fd, kHealth.data(), kHealth.size(), MSG_NOSIGNAL) == ssize_t(kHealth.size()));
  bool closed = false;
  std::string got = read_to_close(fd, &closed);
  close(fd);
  CHECK(got == "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
               "Content-Length: 61\r\n\r\nClient sent an HTTP request to an HTTPS server: use https://\n");
  CHECK(closed);
}

TEST_CASE("connection: a silent client or half a handshake is closed at the request deadline") {
  ServerLimits limits;
  limits.request_timeout_ms = 300;
  limits.idle_timeout_ms = 60000;
  FakeMonotonicClock clock(5000000000);
  TlsServer s(limits, clock);
  const int64_t start = clock.now_ms();
  auto at = [&](int64_t ms) { clock.advance_ms(start + ms - clock.now_ms()); };
  int fd = connect_to(s.port);
  SECTION("nothing sent") {}
  SECTION("half a ClientHello") {
    const char half[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03";
    REQUIRE(send(fd, half, sizeof half - 1, MSG_NOSIGNAL) == ssize_t(sizeof half - 1));
  }
  REQUIRE(s.check([](const DeadlineCheck& d) { return d.open == 1 && d.parked == 1; }));
  at(299);
  REQUIRE(s.check([&](const DeadlineCheck& d) { return d.at_ms == start + 299 && d.open == 1; }));
  at(300);
  REQUIRE(s.check([&](const DeadlineCheck& d) { return d.at_ms == start + 300 && d.open == 0; }));
  bool closed = false;
  CHECK(read_to_close(fd, &closed).empty());
  CHECK(closed);
  close(fd);
}

TEST_CASE("connection: a new client is served while 64 half-finished handshakes are open") {
  ServerLimits limits;
  limits.threads = 2;
  TlsServer s(limits);
  std::vector<int> half;
  const char hello[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03";
  for (int i = 0; i < 64; ++i) {
    int fd = connect_to(s.port);
    send(fd, hello, sizeof hello - 1, MSG_NOSIGNAL);
    half.push_back(fd);
  }
  REQUIRE(s.check([](const DeadlineCheck& d) { return d.open == 64 && d.parked == 64; }));
  auto started = std::chrono::steady_clock::now();
  TlsStream c = s.connect();
  REQUIRE(c.write_all("GET /_healthcheck HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", in_5s(),
                      steady_clock()));
  CHECK(read_answers(c, 1).rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  CHECK(took.count() < 1000);
  for (int fd : half)
    close(fd);
}

TEST_CASE("connection: a handler gets the connection's client certificate, on every request of it") {
  const Pki& p = pki();
  TlsTrust roots;
  roots.add_pem(p.ca.client_ca_pem(), "client-ca.pem");
  TlsServerConfig mtls(TlsIdentity::issued(p.leaf.chain, p.leaf.key), std::move(roots));
  // /healthz answers what its request carries.
  std::vector<Route> routes = default_routes();
  for (Route& r : routes) {
    if (std::string(r.pattern) != "/healthz") continue;
    r.handler = [](RouteCall& c) {
      HttpResponse res;
      const auto& cert = c.req.client_certificate;
      res.text(200, cert ? cert->thumbprint + " " + (cert->chain_trusted() ? "trusted" : cert->chain_problem) : "none");
      return res;
    };
  }
  AppSettings settings;
  settings.environment.issuer = kIssuer;
  Fixture f = test_fixture();
  std::vector<EnvironmentSpec> specs;
  specs.push_back(EnvironmentSpec{settings.environment, std::move(f.clients), std::move(f.users), test_key()});
  FakeClock clock(kStart);
  App app(settings, std::move(specs), clock, std::move(routes));
  HttpServer server({}, false);
  int port = server.bind("127.0.0.1", 0, &mtls, "test");
  int plain_port = server.bind("127.0.0.1", 0, nullptr, "test");
  std::thread thread([&] { server.serve(app); });
  auto ask = [&](TlsStream& c) {
    REQUIRE(c.write_all("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", in_5s(), steady_clock()));
    std::string answer = read_answers(c, 1);
    return answer.substr(answer.find("\r\n\r\n") + 4);
  };
  ClientCertificateRequest request;
  request.cn = "svc";
  IssuedClientCertificate issued = p.ca.issue_client(request, p.clock);
  TlsTrust trust;
  trust.add_pem(p.ca.certificate_pem(), "ca.pem");
  TlsClientConfig with(std::move(trust), std::nullopt, TlsIdentity::issued(issued.chain, issued.key));
  TlsStream c = TlsStream::connect(with, "127.0.0.1", port, in_5s(), steady_clock());
  CHECK(ask(c) == issued.thumbprint + " trusted");
  CHECK(ask(c) == issued.thumbprint + " trusted"); // keep-alive: the same connection's
  TlsClientConfig without = p.client();
  TlsStream d = TlsStream::connect(without, "127.0.0.1", port, in_5s(), steady_clock());
  CHECK(ask(d) == "none");
  SECTION("plain HTTP has none") {
    httplib::Client plain("127.0.0.1", plain_port);
    auto res = plain.Get("/healthz");
    REQUIRE(res);
    CHECK(res->body == "none");
  }
  server.stop();
  thread.join();
}
