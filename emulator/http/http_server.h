// The HTTP transport (cpp-httplib): accepts connections, converts requests for App::handle, applies
// the size limits, logs one line per request, and stops on request. The only file that includes
// httplib.h on the server side is http/http_server.cpp (cli/personal_token.cpp and
// cli/admin_client.cpp are clients).
#pragma once
#include <memory>
#include <string>

namespace authemu {

class App;

struct ServerLimits {
  size_t max_body = 64 * 1024;  // bytes; larger bodies get 413
  int threads = 32;             // most workers; keep-alive connections each hold one while open
};

class HttpServer {
 public:
  HttpServer(ServerLimits limits, bool log_requests);
  ~HttpServer();

  // Binds host:port (port 0: any free port) and returns the bound port. Throws ConfigError.
  int bind(const std::string& host, int port);
  // Serves until stop(); returns false if the listening loop failed.
  bool serve(App& app);
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// `authemu healthcheck`: GET http://host:port/_healthcheck, true on 200.
bool probe_health(const std::string& host, int port, std::string* error);

}  // namespace authemu
