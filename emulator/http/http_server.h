// The HTTP/1.1 transport: one event thread parks idle and half-received connections (epoll) and
// hands readable ones to a pool of worker threads made on demand, so open connections cost a file
// descriptor and a buffer, not a thread. Framing is request_parser's; answers come from App::handle.
// Enforces the idle time, the whole-request deadline, the size limits and the connection cap; logs
// one line per request; stops on request. No httplib here.
#pragma once
#include <cstddef>
#include <memory>
#include <string>

namespace authemu {

class App;

struct ServerLimits {
  size_t max_body = 64 * 1024;  // bytes; larger bodies get 413
  int threads = 64;             // most worker threads: requests answered at once (idle connections hold none)
  int idle_timeout_ms = 120000; // a keep-alive connection with no request for this long is closed
  int request_timeout_ms =
      10000;                    // a request must arrive whole (head and body) this soon after its first byte: else 408
  int write_timeout_ms = 10000; // a client that does not read its answer for this long is dropped
  size_t max_connections = 10000; // open connections beyond this are closed at once
};

class HttpServer {
public:
  HttpServer(ServerLimits limits, bool log_requests);
  ~HttpServer();

  // Binds host:port (port 0: any free port) and returns the bound port. Throws ConfigError.
  int bind(const std::string& host, int port);
  // Serves until stop(); returns false if the listening socket failed.
  bool serve(App& app);
  // Stops accepting, closes idle connections, lets requests in progress answer; serve() returns.
  void stop();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace authemu
