// In-process HTTP tests: the real server on a free port, driven by httplib::Client and raw sockets.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <future>
#include <set>
#include <sstream>
#include <thread>

#include "base/monotonic_clock.h"
#include "cli/admin_client.h"
#include "cli/tls_command.h"
#include "tls/tls_identity.h"
#include "http/http_server.h"
#include "oauth/token_verifier.h"
#include "test_support.h"
#include "fault_support.h"
#include "server_support.h"
#include "socket_support.h"
#include "tls_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

// Runs `authemu <command> <args> --url url`: its exit code, stdout in *out and stderr in *err.
int admin_command(const std::string& url, const std::string& command, std::vector<std::string> args, std::string* out,
                  std::string* err = nullptr) {
  Options o;
  o.url = url;
  o.command = command;
  o.args = std::move(args);
  std::ostringstream so, se;
  int rc = run_admin_command(o, so, se);
  *out = so.str();
  if (err != nullptr) *err = se.str();
  return rc;
}

// ServerUnderTest with an httplib client.
struct RunningServer : ServerUnderTest {
  using ServerUnderTest::ServerUnderTest;
  httplib::Client client() { return httplib::Client("127.0.0.1", port); }
};

} // namespace

TEST_CASE("http: a client_credentials token over the wire") {
  RunningServer s;
  auto c = s.client();
  c.set_basic_auth("testing", "testing");
  auto res = c.Post("/api/auth/oauth/token", "grant_type=client_credentials", "application/x-www-form-urlencoded");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  CHECK(res->get_header_value("Cache-Control") == "no-store");
  std::string token = *find_string(TestApp::parse(res->body), "access_token");
  TokenVerifier v(s.t.app->keys(), {kIssuer}, s.t.clock);
  CHECK(v.verify(token).token);

  auto bad = s.client().Post("/api/auth/oauth/token", "grant_type=client_credentials&client_id=testing&client_secret=x",
                             "application/x-www-form-urlencoded");
  REQUIRE(bad);
  CHECK(bad->status == 401);
  CHECK(bad->get_header_value("WWW-Authenticate") == "Basic realm=\"authemu\"");
}

TEST_CASE("http: HEAD has headers and no body; unknown methods are refused") {
  RunningServer s;
  auto res = s.client().Head("/api/auth/.well-known/openid-configuration");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body.empty());
  CHECK(s.raw("BREW /api/auth/keys HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").rfind("HTTP/1.1 400", 0) == 0);
}

TEST_CASE("http: limits on body, headers and request line") {
  RunningServer s;
  const std::string kMalformed =
      R"x({"error":"invalid_request","error_description":"malformed HTTP request, or headers over the limits (8 KiB a line, 100 headers)"})x";
  SECTION("a body over 64 KiB is 413 in the endpoint's error shape") {
    std::string big(70 * 1024, 'a');
    auto res = s.client().Post("/api/auth/oauth/token", "grant_type=client_credentials&x=" + big,
                               "application/x-www-form-urlencoded");
    REQUIRE(res);
    CHECK(res->status == 413);
    CHECK(res->body == R"({"error":"invalid_request","error_description":"request body too large"})");
    auto mgmt = s.client().Post("/api/auth/clients", "{\"name\":\"" + big + "\"}", "application/json");
    REQUIRE(mgmt);
    CHECK(mgmt->status == 413);
    CHECK(mgmt->body == R"({"errorCode":"VALIDATION","errorMessage":"request body too large"})");
  }
  SECTION("a header line over 8 KiB is refused") {
    std::string answer = s.raw("GET /api/auth/keys HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') +
                               "\r\nConnection: close\r\n\r\n");
    CHECK(answer.rfind("HTTP/1.1 400 Bad Request", 0) == 0);
    CHECK_THAT(answer, Catch::EndsWith(kMalformed));
  }
  SECTION("more than 100 headers are refused") {
    std::string many;
    for (int i = 0; i < 120; ++i)
      many += "X-H" + std::to_string(i) + ": v\r\n";
    std::string answer = s.raw("GET /api/auth/keys HTTP/1.1\r\nHost: x\r\n" + many + "Connection: close\r\n\r\n");
    CHECK(answer.rfind("HTTP/1.1 400 Bad Request", 0) == 0);
    CHECK_THAT(answer, Catch::EndsWith(kMalformed));
  }
  SECTION("a request line over 8 KiB is refused") {
    std::string answer =
        s.raw("GET /api/auth/keys?" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(answer.rfind("HTTP/1.1 414 URI Too Long", 0) == 0);
    CHECK_THAT(answer, Catch::EndsWith(R"({"error":"invalid_request","error_description":"request URI too long"})"));
  }
  SECTION("garbage is 400 and the server keeps serving") {
    CHECK(s.raw("\x01\x02\x03 garbage\r\n\r\n").rfind("HTTP/1.1 400", 0) == 0);
    auto res = s.client().Get("/api/auth/keys");
    REQUIRE(res);
    CHECK(res->status == 200);
  }
}

TEST_CASE("http: concurrent token requests get distinct, valid tokens") {
  RunningServer s;
  constexpr int kThreads = 8, kEach = 10;
  std::vector<std::vector<std::string>> tokens(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto c = s.client();
      c.set_basic_auth("testing", "testing");
      for (int j = 0; j < kEach; ++j) {
        auto res =
            c.Post("/api/auth/oauth/token", "grant_type=client_credentials", "application/x-www-form-urlencoded");
        if (res && res->status == 200) tokens[i].push_back(*find_string(TestApp::parse(res->body), "access_token"));
      }
    });
  }
  for (auto& t : threads)
    t.join();
  TokenVerifier v(s.t.app->keys(), {kIssuer}, s.t.clock);
  std::set<std::string> jtis;
  int valid = 0;
  for (const auto& list : tokens) {
    for (const auto& token : list) {
      valid += v.verify(token).token ? 1 : 0;
      jtis.insert(*find_string(jwt_claims(token), "jti"));
    }
  }
  CHECK(valid == kThreads * kEach);
  CHECK(jtis.size() == size_t(kThreads * kEach));
}

TEST_CASE("http: a dynamic client works at the token endpoint at once") {
  RunningServer s;
  auto c = s.client();
  c.set_bearer_token_auth(s.t.access_token());
  auto created = c.Post("/api/auth/clients", R"({"id":"live","scopes":["ledger:read"]})", "application/json");
  REQUIRE(created);
  REQUIRE(created->status == 201);
  auto secret = c.Post("/api/auth/clients/live/secrets", R"({"name":"s"})", "application/json");
  REQUIRE(secret);
  std::string clear = *find_string(TestApp::parse(secret->body).at("data").get<JsonObject>(), "clear");
  auto tc = s.client();
  tc.set_basic_auth("live", clear);
  auto res = tc.Post("/api/auth/oauth/token", "grant_type=client_credentials&scope=ledger:read",
                     "application/x-www-form-urlencoded");
  REQUIRE(res);
  CHECK(res->status == 200);
}

TEST_CASE("http: the admin commands drive a running server") {
  RunningServer s;
  std::string url = "http://127.0.0.1:" + std::to_string(s.port);
  auto run = [&](const std::string& command, std::vector<std::string> args, std::string* out,
                 std::string* err = nullptr) { return admin_command(url, command, std::move(args), out, err); };
  auto c = s.client();
  auto res = c.Post("/api/auth/oauth/token", "grant_type=client_credentials&client_id=testing&client_secret=testing",
                    "application/x-www-form-urlencoded");
  REQUIRE(res);
  std::string token = *find_string(TestApp::parse(res->body), "access_token");
  auto ledger = [&](const std::string& t) {
    return c.Get("/api/ledger/v2", httplib::Headers{{"Authorization", "Bearer " + t}})->status;
  };
  REQUIRE(ledger(token) == 200);

  std::string out, err;
  REQUIRE(run("clock", {"advance", "1h"}, &out) == 0);
  CHECK(out == "{\"environments\":[{\"environment\":\"default\",\"frozen\":false,\"now\":" +
                   std::to_string(kStart + 3600) + ",\"offset\":3600,\"time\":\"2023-11-14T23:13:20Z\"}]}\n");
  CHECK(ledger(token) == 401);

  REQUIRE(run("mint", {"case=expired", "scope=ledger:read", "claims:={\"tenant\":\"acme\"}"}, &out) == 0);
  std::string minted = out.substr(0, out.size() - 1);
  CHECK(out.back() == '\n');
  CHECK(find_string(jwt_claims(minted), "tenant") == "acme");
  CHECK(ledger(minted) == 401);

  REQUIRE(run("reset", {}, &out) == 0);
  CHECK(out == "{\"reset\":[\"default\"]}\n");
  CHECK(ledger(token) == 200);

  REQUIRE(run("rotate-key", {"grace=0"}, &out) == 0);
  std::string kid = *find_string(TestApp::parse(out), "kid");
  CHECK(ledger(token) == 401); // its key left at once
  REQUIRE(run("keys", {}, &out) == 0);
  JsonArray keys = TestApp::parse(out).at("keys").get<JsonArray>();
  REQUIRE(keys.size() == 1);
  CHECK(find_string(keys[0].get<JsonObject>(), "kid") == kid);
  CHECK(c.Get("/api/auth/keys")->body.find(kid) != std::string::npos);
  REQUIRE(run("reset", {}, &out) == 0);

  CHECK(run("mint", {"case=nope"}, &out, &err) == 1);
  CHECK(err == "authemu mint: 400 VALIDATION: case: unknown case nope (valid, expired, not_yet_valid, wrong_audience, "
               "wrong_issuer, foreign_key, alg_none, bad_signature; with \"token\": \"id_token\" also wrong_nonce, "
               "wrong_at_hash)\n");
  url = "http://127.0.0.1:1";
  CHECK(run("clock", {}, &out, &err) == 1);
  CHECK_THAT(err, Catch::StartsWith("authemu clock: no answer from http://127.0.0.1:1: "));
}

TEST_CASE("http: the fault command's delay holds a request by the server's clock, and the journal shows it") {
  FakeMonotonicClock clock(5000000000); // injected delays pass by it: no real time
  RunningServer s({}, clock);
  std::string url = "http://127.0.0.1:" + std::to_string(s.port), out;
  const std::string form = "grant_type=client_credentials&client_id=testing&client_secret=testing";
  auto res = s.client().Post("/api/auth/oauth/token", form, "application/x-www-form-urlencoded");
  REQUIRE(res);
  CHECK(res->status == 200);

  REQUIRE(admin_command(url, "fault", {"endpoint=token", "delay=50ms", "count=1"}, &out) == 0);
  auto delayed = std::async(std::launch::async, [&] {
    return s.client().Post("/api/auth/oauth/token", form, "application/x-www-form-urlencoded")->status;
  });
  FaultQueue& faults = s.t.app->faults();
  ReleaseWaiters release{faults, clock};
  REQUIRE(faults.wait_for_delay_check(std::chrono::seconds(5))); // held by the delay
  clock.advance_ms(49);
  REQUIRE(faults.wait_for_delay_check(std::chrono::seconds(5))); // 49 ms later, still held
  clock.advance_ms(1);
  REQUIRE(delayed.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  CHECK(delayed.get() == 200);

  REQUIRE(admin_command(url, "journal", {"endpoint=token"}, &out) == 0);
  JsonArray entries = TestApp::parse(out).at("entries").get<JsonArray>();
  REQUIRE(entries.size() == 2);
  const JsonObject& held = entries.back().get<JsonObject>();
  CHECK(find_string(held, "fault") == "f1");
  CHECK(find_int(held, "latency_us") == 50000); // the delay, by the server's clock
}

TEST_CASE("http: RFC 9112 §6.3: a POST without Content-Length has no body and is answered at once") {
  RunningServer s;
  std::string answer = s.raw(
      "POST /api/auth/oauth/token?grant_type=client_credentials&client_id=testing&client_secret=testing HTTP/1.1\r\n"
      "Host: x\r\n\r\n");
  CHECK(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(answer.find("\"access_token\"") != std::string::npos);
  CHECK(s.raw("POST /_authemu/reset HTTP/1.1\r\nHost: x\r\n\r\n").rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
}

TEST_CASE("http: pipelined requests are all answered, in order") {
  RunningServer s;
  int fd = connect_to(s.port);
  send_bytes(fd, "GET /_healthcheck HTTP/1.1\r\nHost: x\r\n\r\n"
                 "GET /api/auth/nope HTTP/1.1\r\nHost: x\r\n\r\n"
                 "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  bool closed = false;
  std::string answer = read_to_close(fd, &closed);
  close(fd);
  CHECK(closed);
  CHECK(count_of(answer, "HTTP/1.1 ") == 3);
  size_t first = answer.find("HTTP/1.1 200"), second = answer.find("HTTP/1.1 404"),
         third = answer.rfind("HTTP/1.1 200");
  CHECK(first < second);
  CHECK(second < third);
  CHECK(answer.find("{\"Database\":\"OK\"}") < second);
  CHECK(answer.find("{\"status\":\"ok\"}") > third);
}

TEST_CASE("http: after a framing error the answer closes the connection") {
  RunningServer s;
  struct Case {
    std::string request, status;
  };
  for (const Case& c : std::vector<Case>{
           {"POST /api/auth/oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
            "0\r\n\r\nGET /_healthcheck HTTP/1.1\r\nHost: x\r\n\r\n",
            "HTTP/1.1 400 "},
           {"GET /api/auth/keys HTTP/1.1\r\n\r\n", "HTTP/1.1 400 "},
           {"GET /api/auth/keys HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "HTTP/1.1 400 "},
           {"GET /api/auth/keys HTTP/1.1\r\nHost: x\r\nName : value\r\n\r\n", "HTTP/1.1 400 "},
           {"\x01\x02 garbage\r\n\r\n", "HTTP/1.1 400 "},
           {"GET /" + std::string(40 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 414 "},
           {"POST /api/auth/oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n", "HTTP/1.1 413 "},
       }) {
    INFO(c.request.substr(0, 120));
    int fd = connect_to(s.port);
    send_bytes(fd, c.request);
    bool closed = false;
    std::string answer = read_to_close(fd, &closed);
    close(fd);
    CHECK(answer.rfind(c.status, 0) == 0);
    CHECK(count_of(answer, "HTTP/1.1 ") == 1); // nothing after the error is read as a request
    CHECK(answer.find("Connection: close\r\n") != std::string::npos);
    CHECK(closed);
  }
  std::string with_host = s.raw("GET /api/auth/keys HTTP/1.1\r\nHost: x\r\nName : value\r\nConnection: close\r\n\r\n");
  CHECK_THAT(with_host, Catch::EndsWith(R"({"error":"invalid_request","error_description":"malformed header line"})"));
}

TEST_CASE("http: bare LF line ends are answered at once") {
  RunningServer s;
  CHECK(s.raw("GET /_healthcheck HTTP/1.1\nHost: x\nConnection: close\n\n").rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
}

TEST_CASE("http: Expect: 100-continue gets 100 before the body is sent") {
  RunningServer s;
  int fd = connect_to(s.port);
  const std::string body = "grant_type=client_credentials&client_id=testing&client_secret=testing";
  send_bytes(fd, "POST /api/auth/oauth/token HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: close\r\n"
                 "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n");
  char buf[64];
  ssize_t n = recv(fd, buf, sizeof buf, 0);
  REQUIRE(n > 0);
  CHECK(std::string(buf, size_t(n)) == "HTTP/1.1 100 Continue\r\n\r\n");
  send_bytes(fd, body);
  std::string answer = read_to_close(fd);
  close(fd);
  CHECK(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
}

TEST_CASE("http: a chunked token request") {
  RunningServer s;
  std::string answer =
      s.raw("POST /api/auth/oauth/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n1d\r\ngrant_type=client_credentials\r\n"
            "28\r\n&client_id=testing&client_secret=testing\r\n0\r\n\r\n");
  CHECK(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(answer.find("\"access_token\"") != std::string::npos);
}

TEST_CASE("http: a request that does not arrive whole in time is 408 and closed; idle connections are closed") {
  ServerLimits limits;
  limits.request_timeout_ms = 300;
  limits.idle_timeout_ms = 600;
  // The server's deadlines run on this clock: the test moves it, the server's checks see it.
  FakeMonotonicClock clock(5000000000);
  RunningServer s(limits, clock);
  const int64_t start = clock.now_ms();
  auto at = [&](int64_t ms) { clock.advance_ms(start + ms - clock.now_ms()); };
  SECTION("a head sent a byte at a time stops at the deadline") {
    int fd = connect_to(s.port);
    auto started = std::chrono::steady_clock::now();
    const std::string head = "GET /_healthcheck HTTP/1.1\r\nHost: x\r\n";
    std::string answer;
    // A byte every 50 ms from 0 to 250 ms, each seen held by the parked connection.
    for (size_t i = 0; i < 6; ++i) {
      at(int64_t(i) * 50);
      REQUIRE(send(fd, &head[i], 1, MSG_NOSIGNAL) == 1);
      REQUIRE(s.check([&](const DeadlineCheck& c) { return c.partial == 1 && c.buffered == i + 1; }));
    }
    at(299); // just before the deadline, 300 ms after the first byte
    REQUIRE(s.check([&](const DeadlineCheck& c) { return c.at_ms == start + 299 && c.partial == 1; }));
    at(300);
    REQUIRE(s.check([&](const DeadlineCheck& c) { return c.at_ms == start + 300 && c.open == 0; }));
    bool closed = false;
    answer = read_to_close(fd, &closed);
    close(fd);
    CHECK(answer.rfind("HTTP/1.1 408 Request Timeout\r\n", 0) == 0);
    CHECK(closed);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(4));
  }
  SECTION("an idle keep-alive connection is closed after the idle time, with nothing sent") {
    int fd = connect_to(s.port);
    REQUIRE(s.check([](const DeadlineCheck& c) { return c.open == 1; })); // accepted at 0 ms
    at(100);                                                              // the idle time runs again from the answer
    send_bytes(fd, "GET /_healthcheck HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string answer = read_answer(fd);
    REQUIRE(s.check([](const DeadlineCheck& c) { return c.open == 1 && c.parked == 1 && c.partial == 0; }));
    at(699); // just before the deadline, 600 ms after the answer
    REQUIRE(s.check([&](const DeadlineCheck& c) { return c.at_ms == start + 699 && c.open == 1; }));
    at(700);
    REQUIRE(s.check([&](const DeadlineCheck& c) { return c.at_ms == start + 700 && c.open == 0; }));
    bool closed = false;
    answer += read_to_close(fd, &closed);
    close(fd);
    CHECK(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(answer.find("Keep-Alive: timeout=0") != std::string::npos);
    CHECK(count_of(answer, "HTTP/1.1 ") == 1);
    CHECK(closed);
  }
}

TEST_CASE("http: many idle keep-alive connections do not hold workers") {
  ServerLimits limits;
  limits.threads = 2;
  RunningServer s(limits);
  std::vector<int> idle;
  for (int i = 0; i < 50; ++i) {
    int fd = connect_to(s.port);
    send_bytes(fd, "GET /_healthcheck HTTP/1.1\r\nHost: x\r\n\r\n");
    char buf[512];
    REQUIRE(recv(fd, buf, sizeof buf, 0) > 0);
    idle.push_back(fd);
  }
  // With 2 workers and 50 open connections, a new client is still answered.
  CHECK(s.raw("GET /_healthcheck HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").rfind("HTTP/1.1 200", 0) == 0);
  for (int fd : idle)
    close(fd);
}

TEST_CASE("http: tls client-cert writes a certificate and key from the running server's CA") {
  AppSettings settings;
  settings.tls_ca = std::make_shared<const CertificateAuthority>(
      CertificateAuthority::generate(TlsNames::parse({"localhost"}, "test"), SystemClock()));
  RunningServer s({}, steady_clock(), settings);
  char pattern[] = "/tmp/authemu-client-cert-XXXXXX";
  std::string dir = ::mkdtemp(pattern);
  Options o;
  o.command = "tls";
  o.args = {"client-cert"};
  o.url = "http://127.0.0.1:" + std::to_string(s.port);
  o.client_cert.cn = "svc";
  o.client_cert.dns = {"svc.example"};
  o.client_cert.ips = {"10.0.0.1"};
  o.client_cert.lifetime = "2d";
  o.client_cert.cert_file = dir + "/svc.pem";
  o.client_cert.key_file = dir + "/svc-key.pem";
  auto run = [&](std::string* out, std::string* err) {
    std::ostringstream so, se;
    int rc = run_tls_command(o, so, se);
    *out = so.str();
    *err = se.str();
    return rc;
  };
  std::string out, err;
  REQUIRE(run(&out, &err) == 0);
  std::string cert = read_text_file(dir + "/svc.pem");
  CHECK(out == test::thumbprint_of(test::der_of(cert)) + "\n");
  // dated on the environment's clock, in 2023: mbedTLS sees it expired at the real time
  CHECK(test::verify_flags(cert, settings.tls_ca->client_ca_pem(), "") == MBEDTLS_X509_BADCERT_EXPIRED);
  CHECK(read_text_file(dir + "/svc-key.pem").find("-----BEGIN EC PRIVATE KEY-----") == 0);
  struct stat st{};
  REQUIRE(::stat((dir + "/svc-key.pem").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK_THAT(err, Catch::StartsWith("authemu tls client-cert: wrote " + dir + "/svc.pem and " + dir +
                                    "/svc-key.pem (mode 0600), valid until "));
  SECTION("a request the server refuses") {
    o.client_cert.ips = {"not-an-ip"};
    CHECK(run(&out, &err) == 1);
    CHECK(err == "authemu tls client-cert: 400 VALIDATION: ips: 'not-an-ip' is not an IPv4 or IPv6 address\n");
    CHECK(out.empty());
  }
  SECTION("a server without a CA") {
    RunningServer plain;
    o.url = "http://127.0.0.1:" + std::to_string(plain.port);
    CHECK(run(&out, &err) == 1);
    CHECK(err == "authemu tls client-cert: 404 NOT_FOUND: no CA to issue client certificates: start the server with "
                 "--tls, --tls-listen or --tls-ca-dir (with --tls-cert, certificates are the caller's own)\n");
  }
  SECTION("no server") {
    o.url = "http://127.0.0.1:1";
    CHECK(run(&out, &err) == 1);
    CHECK_THAT(err, Catch::StartsWith("authemu tls client-cert: no answer from http://127.0.0.1:1: "));
  }
  SECTION("missing words") {
    o.client_cert.key_file.clear();
    CHECK(run(&out, &err) == 1);
    CHECK_THAT(err, Catch::StartsWith("authemu tls: usage: authemu tls ca --dir DIR"));
  }
  std::filesystem::remove_all(dir);
}
