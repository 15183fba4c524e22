// An HTTPS server on 127.0.0.1 for the tests of this server's HTTPS clients (http_fetcher,
// https_client, the commands of cli/): a generated CA, a leaf for the names given, one thread
// serving one connection after another with the project's TLS stream, each request read by the
// project's request parser and answered with the raw bytes a route returns.
#pragma once
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "base/clock.h"
#include "http/request_parser.h"
#include "tls/certificate_authority.h"
#include "tls/tls_stream.h"

namespace authemu::test {

// A socket listening on 127.0.0.1 on a free port; nothing is accepted unless a caller does.
struct Listener {
  int fd = -1;
  int port = 0;
  Listener() {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::listen(fd, 16);
    port = ntohs(addr.sin_port);
  }
  ~Listener() { ::close(fd); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
};

// The raw answer: status line, fields and body as they go on the wire.
inline std::string raw_answer(int status, const std::string& body, const std::string& fields = "") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\n" + fields + "Content-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

class HttpsUpstream {
public:
  using Route = std::function<std::string(const HttpRequest&)>;

  // names: what the leaf is for (the CA is limited to them).
  explicit HttpsUpstream(const std::vector<std::string>& names = {"localhost", "127.0.0.1"})
      : names_(TlsNames::parse(names, "test")), ca_(CertificateAuthority::generate(names_, clock_)),
        leaf_(ca_.issue(names_, clock_)), config_(TlsIdentity::from_pem(leaf_.chain, leaf_.key, "c", "k", clock_)) {
    thread_ = std::thread([this] { serve(); });
  }
  ~HttpsUpstream() {
    stop_ = true;
    thread_.join();
  }

  void route(const std::string& path, Route r) {
    std::lock_guard<std::mutex> lock(mutex_);
    routes_[path] = std::move(r);
  }
  int port() const { return listener_.port; }
  std::string url(const std::string& path, const std::string& host = "127.0.0.1") const {
    return "https://" + host + ":" + std::to_string(port()) + path;
  }
  const std::string& ca_pem() const { return ca_.certificate_pem(); }

private:
  void serve() {
    while (!stop_) {
      pollfd p{listener_.fd, POLLIN, 0};
      if (::poll(&p, 1, 10) <= 0) continue;
      int fd = ::accept4(listener_.fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      try {
        serve_one(fd);
      } catch (const std::exception&) {
        // a client that gave up (an untrusted certificate, a deadline): the next one
      }
      ::close(fd);
    }
  }

  void serve_one(int fd) {
    auto deadline = [] { return steady_clock().now_ms() + 5000; };
    TlsStream s = TlsStream::server(config_, fd);
    s.handshake(deadline(), steady_clock());
    std::string in;
    ParseResult parsed;
    for (;;) {
      parsed = parse_request(in, ParserLimits{});
      if (parsed.kind != ParseResult::Kind::incomplete) break;
      char buf[4096];
      size_t n = s.read_some(buf, sizeof buf, deadline(), steady_clock());
      if (n == 0) return;
      in.append(buf, n);
    }
    if (parsed.kind != ParseResult::Kind::complete) return;
    const HttpRequest& req = parsed.parsed.request;
    Route r;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto found = routes_.find(req.path);
      if (found != routes_.end()) r = found->second;
    }
    std::string out = r ? r(req) : raw_answer(404, "");
    s.write_all(out, deadline(), steady_clock());
    s.close_notify();
  }

  SystemClock clock_;
  TlsNames names_;
  CertificateAuthority ca_;
  PemCredentials leaf_;
  TlsServerConfig config_;
  std::mutex mutex_;
  std::map<std::string, Route> routes_;
  Listener listener_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A file holding text, removed with the object.
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& text) {
    char name[] = "/tmp/authemu-test-XXXXXX";
    int fd = ::mkstemp(name);
    ::close(fd);
    path = name;
    std::ofstream(path) << text;
  }
  ~TempFile() { std::remove(path.c_str()); }
};

} // namespace authemu::test
