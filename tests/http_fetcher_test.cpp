// HttpFetcher against an in-process httplib::Server on a free port: answers as they come, the
// limits (time, size, redirects), redirects followed by the fetcher, and each kind of failure.
#include <catch2/catch.hpp>

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <thread>

#include "http/http_fetcher.h"
#include "https_support.h"

using namespace authemu;

namespace {

using std::chrono::milliseconds;

// The server the fetcher talks to. Handlers that stall wait until the test is done with them.
struct Upstream {
  httplib::Server server;
  int port = 0;
  std::thread thread;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();

  Upstream() {
    server.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("X-Answer", "yes");
      res.set_content("hello", "text/plain");
    });
    server.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content(R"({"error":"nope"})", "application/json");
    });
    // What arrived: method, Content-Type, Authorization and body.
    auto echo = [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.method + "|" + req.get_header_value("Content-Type") + "|" +
                          req.get_header_value("Authorization") + "|" + req.body,
                      "text/plain");
    };
    server.Get("/echo", echo);
    server.Post("/echo", echo);
    server.Get("/stall", [released = released](const httplib::Request&, httplib::Response& res) {
      released.wait();
      res.set_content("late", "text/plain");
    });
    // Half a body, then nothing until released.
    server.Get("/stall-body", [released = released](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [released](size_t offset, httplib::DataSink& sink) {
        if (offset > 0) released.wait();
        sink.write("part", 4);
        if (offset > 0) sink.done();
        return true;
      });
    });
    server.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(2048, 'x'), "text/plain");
    });
    // No Content-Length: the size shows only while reading.
    server.Get("/big-chunked", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [](size_t offset, httplib::DataSink& sink) {
        std::string chunk(512, 'y');
        sink.write(chunk.data(), chunk.size());
        if (offset >= 4096) sink.done();
        return true;
      });
    });
    server.Get(R"(/redirect/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
      int n = std::stoi(req.matches[1]);
      if (n == 0) return res.set_content("arrived", "text/plain");
      res.status = 302;
      res.set_header("Location", n == 1 ? "../hello" : "/redirect/" + std::to_string(n - 1));
    });
    server.Get("/loop", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop"); });
    server.Post("/see-other", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/echo", 303); });
    server.Post("/temporary", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/echo", 307); });
    server.Get("/to-ftp", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("ftp://example/x"); });
    server.Get("/to", [](const httplib::Request& req, httplib::Response& res) {
      res.set_redirect(req.get_param_value("url"));
    });
    // localhost is another origin than 127.0.0.1.
    server.Get("/to-other-origin", [this](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("http://localhost:" + std::to_string(port) + "/echo");
    });
    server.Get("/no-location", [](const httplib::Request&, httplib::Response& res) { res.status = 302; });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    server.wait_until_ready();
  }
  ~Upstream() {
    release.set_value();
    server.stop();
    thread.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }
};

FetchRequest get(const std::string& url) {
  FetchRequest r;
  r.url = url;
  return r;
}

// The failure of a fetch that must fail, and its message in *message.
FetchFailure failure_of(Fetcher& f, const FetchRequest& r, std::string* message = nullptr) {
  try {
    f.fetch(r);
  } catch (const FetchError& e) {
    if (message != nullptr) *message = e.what();
    return e.failure();
  }
  FAIL("the fetch of " << r.url << " succeeded");
  return FetchFailure::bad_url;
}

} // namespace

TEST_CASE("http_fetcher: status, headers and body of an answer") {
  Upstream up;
  HttpFetcher f;
  FetchResponse res = f.fetch(get(up.url("/hello")));
  CHECK(res.status == 200);
  CHECK(res.header("x-answer") == std::optional<std::string>("yes"));
  CHECK(res.header("Content-Type") == std::optional<std::string>("text/plain"));
  CHECK(res.body == "hello");
  CHECK(res.url == up.url("/hello"));
  SECTION("an error status is an answer, not a failure") {
    FetchResponse missing = f.fetch(get(up.url("/missing?x=1")));
    CHECK(missing.status == 404);
    CHECK(missing.body == R"({"error":"nope"})");
  }
  SECTION("a POST with headers and a form body") {
    FetchRequest post = get(up.url("/echo"));
    post.method = "POST";
    post.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Authorization", "Basic YTpi"}};
    post.body = "a=1&b=2";
    CHECK(f.fetch(post).body == "POST|application/x-www-form-urlencoded|Basic YTpi|a=1&b=2");
  }
  SECTION("a 302 without Location is the answer") {
    CHECK(f.fetch(get(up.url("/no-location"))).status == 302);
  }
}

TEST_CASE("http_fetcher: a server that stalls runs into the timeout") {
  Upstream up;
  FetchLimits limits;
  limits.timeout = milliseconds(300);
  HttpFetcher f(limits);
  std::string message;
  auto start = std::chrono::steady_clock::now();
  SECTION("before its headers") {
    CHECK(failure_of(f, get(up.url("/stall?secret=1")), &message) == FetchFailure::timeout);
    CHECK(message == "GET " + up.url("/stall") + ": no answer within 300 ms");
  }
  SECTION("in the middle of its body") {
    CHECK(failure_of(f, get(up.url("/stall-body")), &message) == FetchFailure::timeout);
    CHECK(message == "GET " + up.url("/stall-body") + ": no answer within 300 ms");
  }
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(took >= milliseconds(290));
  CHECK(took < milliseconds(3000));
}

TEST_CASE("http_fetcher: the size cap holds while the body arrives") {
  Upstream up;
  FetchLimits limits;
  limits.max_body = 1024;
  HttpFetcher f(limits);
  std::string message;
  SECTION("announced by Content-Length") {
    CHECK(failure_of(f, get(up.url("/big")), &message) == FetchFailure::too_large);
    CHECK(message == "GET " + up.url("/big") + ": the answer is over 1024 bytes");
  }
  SECTION("chunked, without a length") {
    CHECK(failure_of(f, get(up.url("/big-chunked")), &message) == FetchFailure::too_large);
  }
  SECTION("at the cap exactly it arrives") {
    limits.max_body = 2048;
    CHECK(HttpFetcher(limits).fetch(get(up.url("/big"))).body.size() == 2048);
  }
}

TEST_CASE("http_fetcher: redirects are followed by the fetcher, up to the limit") {
  Upstream up;
  FetchLimits limits;
  limits.max_redirects = 3;
  HttpFetcher f(limits);
  std::string message;
  SECTION("a chain within the limit, relative Locations resolved") {
    FetchResponse res = f.fetch(get(up.url("/redirect/3")));
    CHECK(res.status == 200);
    CHECK(res.body == "hello"); // /redirect/1 sends ../hello
    CHECK(res.url == up.url("/hello"));
  }
  SECTION("one more than the limit") {
    CHECK(failure_of(f, get(up.url("/redirect/4")), &message) == FetchFailure::too_many_redirects);
    CHECK(message ==
          "GET " + up.url("/redirect/4") + " (redirected to " + up.url("/redirect/1") + "): more than 3 redirects");
  }
  SECTION("a loop") {
    CHECK(failure_of(f, get(up.url("/loop")), &message) == FetchFailure::too_many_redirects);
  }
  SECTION("303 turns a POST into a GET without body; 307 keeps both") {
    FetchRequest post = get(up.url("/see-other"));
    post.method = "POST";
    post.headers = {{"Content-Type", "text/plain"}};
    post.body = "x";
    CHECK(f.fetch(post).body == "GET|||");
    post.url = up.url("/temporary");
    CHECK(f.fetch(post).body == "POST|text/plain||x");
  }
  SECTION("another origin does not get the Authorization header") {
    FetchRequest r = get(up.url("/to-other-origin"));
    r.headers = {{"Authorization", "Bearer t"}};
    CHECK(f.fetch(r).body == "GET|||");
    r.url = up.url("/redirect/0");
    CHECK(f.fetch(r).status == 200);
  }
  SECTION("only http and https targets") {
    CHECK(failure_of(f, get(up.url("/to-ftp")), &message) == FetchFailure::unsupported_scheme);
    CHECK(message == "GET " + up.url("/to-ftp") +
                         " (redirected to ftp://example/x): scheme ftp is not supported (http and https only)");
  }
  SECTION("from http to https, the TLS server trusted") {
    test::HttpsUpstream tls;
    tls.route("/hello", [](const HttpRequest&) { return test::raw_answer(200, "over TLS"); });
    TlsTrustSources trust;
    trust.own_ca_pem = tls.ca_pem();
    trust.system = false;
    FetchResponse res = HttpFetcher(limits, trust).fetch(get(up.url("/to?url=" + tls.url("/hello"))));
    CHECK(res.body == "over TLS");
    CHECK(res.url == tls.url("/hello"));
  }
}

TEST_CASE("http_fetcher: bad URLs, unsupported schemes and unreachable servers") {
  HttpFetcher f;
  std::string message;
  for (const char* bad :
       {"", "/relative", "localhost:80/x", "http://", "http:///x", "http://host:0/", "http://host:99999/",
        "http://host:x/", "http://user:pw@host/", "http://[::1/", "http://ho st/", "http://h/a b"}) {
    INFO(bad);
    CHECK(failure_of(f, get(bad)) == FetchFailure::bad_url);
  }
  CHECK(failure_of(f, get("http://user:pw@host/x?token=t"), &message) == FetchFailure::bad_url);
  CHECK(message == "GET http://user:pw@host/x: credentials in a URL");
  CHECK(failure_of(f, get("ftp://example/x"), &message) == FetchFailure::unsupported_scheme);
  CHECK(message == "GET ftp://example/x: scheme ftp is not supported (http and https only)");
  SECTION("a header or method that would change the request") {
    FetchRequest r = get("http://127.0.0.1:1/");
    r.headers = {{"Authorization", "Bearer a\r\nX-Injected: 1"}};
    CHECK(failure_of(f, r, &message) == FetchFailure::bad_request);
    CHECK(message == "GET http://127.0.0.1:1/: malformed header Authorization");
    r.headers.clear();
    r.method = "GET /x HTTP/1.1\r\n";
    CHECK(failure_of(f, r) == FetchFailure::bad_request);
  }
  SECTION("a port where nothing listens") {
    // A socket bound but not listening: connections to its port are refused.
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    std::string origin = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    CHECK(failure_of(f, get(origin + "/x"), &message) == FetchFailure::unreachable);
    CHECK(message == "GET " + origin + "/x: cannot connect to " + origin);
    close(fd);
  }
  CHECK(std::string(fetch_failure_name(FetchFailure::too_many_redirects)) == "too_many_redirects");
}
