// HTTPS through HttpFetcher and https_exchange against a loopback TLS server with a generated CA:
// answers framed by length and by chunks, redirects and their limit, the size cap, POSTed forms,
// trust from a PEM string and from a file, and each refusal (untrusted CA, another host name, a
// server that never answers the handshake, on a fake clock).
#include <catch2/catch.hpp>

#include <future>

#include "base/config_error.h"
#include "http/http_fetcher.h"
#include "https_support.h"

using namespace authemu;
using namespace authemu::test;
using std::chrono::milliseconds;

namespace {

FetchRequest get(const std::string& url) {
  FetchRequest r;
  r.url = url;
  return r;
}

TlsTrustSources trusting(const std::string& ca_pem) {
  TlsTrustSources t;
  t.own_ca_pem = ca_pem;
  t.system = false;
  return t;
}

// The failure and message of a fetch that must fail; {nothing, "succeeded"} when it did not.
std::pair<std::optional<FetchFailure>, std::string> failure_of(Fetcher& f, const FetchRequest& r) {
  try {
    f.fetch(r);
  } catch (const FetchError& e) {
    return {e.failure(), e.what()};
  }
  return {std::nullopt, "succeeded"};
}

void add_routes(HttpsUpstream& up) {
  up.route("/hello", [](const HttpRequest&) { return raw_answer(200, "hello", "X-Answer: yes\r\n"); });
  up.route("/chunked", [](const HttpRequest&) {
    return std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");
  });
  up.route("/big", [](const HttpRequest&) { return raw_answer(200, std::string(2048, 'x')); });
  up.route("/big-chunked", [](const HttpRequest&) {
    std::string out = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 4; ++i)
      out += "200\r\n" + std::string(512, 'y') + "\r\n";
    return out + "0\r\n\r\n";
  });
  up.route("/echo", [](const HttpRequest& req) {
    return raw_answer(200, req.method + "|" + req.header("Content-Type").value_or("") + "|" +
                               req.header("Authorization").value_or("") + "|" + req.body);
  });
  for (int n = 0; n <= 4; ++n) {
    up.route("/redirect/" + std::to_string(n), [n](const HttpRequest&) {
      return n == 0 ? raw_answer(200, "arrived")
                    : raw_answer(302, "", "Location: /redirect/" + std::to_string(n - 1) + "\r\n");
    });
  }
}

} // namespace

TEST_CASE("https_client: answers over TLS, by Content-Length, by chunks, and redirects") {
  HttpsUpstream up;
  add_routes(up);
  FetchLimits limits;
  limits.max_redirects = 3;
  HttpFetcher f(limits, trusting(up.ca_pem()));
  SECTION("a body of a given length, by IP address and by name") {
    FetchResponse res = f.fetch(get(up.url("/hello")));
    CHECK(res.status == 200);
    CHECK(res.body == "hello");
    CHECK(res.header("x-answer") == std::optional<std::string>("yes"));
    CHECK(res.url == up.url("/hello"));
    CHECK(f.fetch(get(up.url("/hello", "localhost"))).body == "hello");
    CHECK(f.fetch(get(up.url("/missing"))).status == 404);
  }
  SECTION("a chunked body, extensions and trailers left out") {
    CHECK(f.fetch(get(up.url("/chunked"))).body == "hello, world");
  }
  SECTION("a POSTed form, as the delegated login's token request") {
    FetchRequest post = get(up.url("/echo"));
    post.method = "POST";
    post.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Authorization", "Basic YTpi"}};
    post.body = "grant_type=authorization_code&code=c";
    CHECK(f.fetch(post).body == "POST|application/x-www-form-urlencoded|Basic YTpi|grant_type=authorization_code&code=c");
  }
  SECTION("redirects followed up to the limit") {
    FetchResponse res = f.fetch(get(up.url("/redirect/3")));
    CHECK(res.body == "arrived");
    CHECK(res.url == up.url("/redirect/0"));
    auto [failure, message] = failure_of(f, get(up.url("/redirect/4")));
    CHECK(failure == FetchFailure::too_many_redirects);
    CHECK(message ==
          "GET " + up.url("/redirect/4") + " (redirected to " + up.url("/redirect/1") + "): more than 3 redirects");
  }
}

TEST_CASE("https_client: the size cap holds over TLS") {
  HttpsUpstream up;
  add_routes(up);
  FetchLimits limits;
  limits.max_body = 1024;
  HttpFetcher f(limits, trusting(up.ca_pem()));
  for (const char* path : {"/big", "/big-chunked"}) {
    INFO(path);
    auto [failure, message] = failure_of(f, get(up.url(path)));
    CHECK(failure == FetchFailure::too_large);
    CHECK(message == "GET " + up.url(path) + ": the answer is over 1024 bytes");
  }
  limits.max_body = 2048;
  CHECK(HttpFetcher(limits, trusting(up.ca_pem())).fetch(get(up.url("/big-chunked"))).body.size() == 2048);
}

TEST_CASE("https_client: trust from a PEM file, and refusals naming the host") {
  HttpsUpstream up;
  add_routes(up);
  SECTION("the CA given as a file (--tls-trust)") {
    TempFile ca(up.ca_pem());
    TlsTrustSources t;
    t.pem_files = {ca.path};
    t.system = false;
    CHECK(HttpFetcher({}, t).fetch(get(up.url("/hello"))).body == "hello");
  }
  SECTION("a file that holds no certificate is a start-up error") {
    TempFile bad("not a certificate");
    TlsTrustSources t;
    t.pem_files = {bad.path};
    CHECK_THROWS_AS(HttpFetcher({}, t), ConfigError);
  }
  // The message of a GET of /hello?code=secret at server by a fetcher that trusts ca_pem alone.
  auto refusal = [](const HttpsUpstream& server, const std::string& ca_pem) {
    HttpFetcher f({}, trusting(ca_pem));
    auto [failure, message] = failure_of(f, get(server.url("/hello?code=secret")));
    CHECK(failure == FetchFailure::tls);
    std::string prefix = "GET " + server.url("/hello") + ": TLS with " + server.url("") +
                         " failed: the server's certificate is not trusted: ";
    REQUIRE_THAT(message, Catch::StartsWith(prefix));
    return message.substr(prefix.size());
  };
  SECTION("a server whose CA is not trusted") {
    CHECK(refusal(up, HttpsUpstream().ca_pem()) == "it is not issued by a CA trusted here");
  }
  SECTION("a certificate for another host name") {
    HttpsUpstream named({"localhost"}); // asked for 127.0.0.1
    CHECK(refusal(named, named.ca_pem()) == "The certificate Common Name (CN) does not match with the expected CN");
  }
  SECTION("nothing trusted: no system bundle, no file") {
    TlsTrustSources none;
    none.system = false;
    HttpFetcher f({}, none);
    CHECK(failure_of(f, get(up.url("/hello"))).first == FetchFailure::tls);
  }
}

TEST_CASE("https_client: a server that never answers the handshake fails at the deadline") {
  Listener silent; // the kernel completes TCP connections; nobody accepts or speaks TLS
  FakeMonotonicClock clock(0);
  FetchLimits limits;
  limits.timeout = milliseconds(10000);
  HttpFetcher f(limits, trusting(HttpsUpstream().ca_pem()), clock);
  std::string url = "https://127.0.0.1:" + std::to_string(silent.port) + "/x?secret=1";
  auto result = std::async(std::launch::async, [&] { return failure_of(f, get(url)); });
  CHECK(result.wait_for(milliseconds(30)) == std::future_status::timeout);
  clock.advance_ms(9999);
  CHECK(result.wait_for(milliseconds(30)) == std::future_status::timeout);
  clock.advance_ms(1);
  REQUIRE(result.wait_for(milliseconds(2000)) == std::future_status::ready);
  auto [failure, message] = result.get();
  CHECK(failure == FetchFailure::timeout);
  CHECK(message == "GET https://127.0.0.1:" + std::to_string(silent.port) + "/x: no answer within 10000 ms");
}

TEST_CASE("https_client: https_exchange sends Host, Content-Length and Connection: close") {
  HttpsUpstream up;
  std::promise<std::string> seen;
  up.route("/head", [&](const HttpRequest& req) {
    seen.set_value(req.header("Host").value_or("") + "|" + req.header("Content-Length").value_or("-") + "|" +
                   req.header("Connection").value_or(""));
    return raw_answer(204, "");
  });
  TlsTrust trust;
  trust.add_pem(up.ca_pem(), "ca");
  TlsClientConfig config(std::move(trust));
  FetchRequest r;
  r.method = "POST";
  r.headers = {{"Host", "evil"}, {"Content-Length", "99"}};
  FetchResponse res =
      https_exchange(config, HttpsTarget{"127.0.0.1", up.port(), "/head"}, r, 1024, steady_clock().now_ms() + 5000,
                     steady_clock());
  CHECK(res.status == 204);
  CHECK(seen.get_future().get() == "127.0.0.1:" + std::to_string(up.port()) + "|0|close");
}
