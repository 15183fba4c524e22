// The HTTP/1.1 transport: one event thread parks idle and half-received connections (epoll) and
// hands readable ones to a pool of worker threads made on demand, so open connections cost a file
// descriptor and a buffer, not a thread. A long-lived answer (an event stream) leaves its worker
// once its head is sent: the event thread writes its events, under a byte cap per stream. Framing is request_parser's; answers come from App::handle.
// Enforces the idle time, the whole-request deadline, the write timeout (all by an injected
// monotonic clock), the size limits and the connection cap; logs one line per request; stops on
// request. A TLS listener's connections step their handshake like reads (http/connection). No
// httplib here.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/monotonic_clock.h"

namespace authemu {

class App;
class TlsServerConfig;

struct ServerLimits {
  size_t max_body = 64 * 1024;  // bytes; larger bodies get 413
  int threads = 64;             // most worker threads: requests answered at once (idle connections hold none)
  int idle_timeout_ms = 120000; // a keep-alive connection with no request for this long is closed
  int request_timeout_ms =
      10000;                    // a request must arrive whole (head and body) this soon after its first byte: else 408
  int write_timeout_ms = 10000; // a client that does not read its answer for this long is dropped
  size_t max_connections = 10000; // open connections beyond this are closed at once
  // Bytes an event stream (text/event-stream) may have waiting for its watcher; past them the
  // watcher has stopped reading and is dropped.
  size_t stream_buffer = 256 * 1024;
};

// One pass of the event thread over the parked connections' deadlines, and what it left open.
struct DeadlineCheck {
  uint64_t number = 0; // checks since the server started, this one included
  int64_t at_ms = 0;   // the server's clock when it ran
  size_t open = 0;     // connections accepted and not closed
  size_t parked = 0;   // of those, waiting for bytes in the event thread, a deadline running
  size_t partial = 0;  // of the parked, part-way through a request: the request deadline runs
  size_t buffered = 0; // bytes the parked connections hold
  size_t streams = 0;  // of the open, event streams the event thread writes
  uint64_t dropped_streams = 0; // streams dropped since the server started because their watcher fell behind
};

class HttpServer {
public:
  // Deadlines and latencies are read from `clock`, which must outlive the server.
  HttpServer(ServerLimits limits, bool log_requests, const MonotonicClock& clock = steady_clock());
  ~HttpServer();

  // Adds a listener on host:port (port 0: any free port) and returns the bound port; with tls (which
  // must outlive the server) its connections speak TLS. Throws ConfigError "<where>: …".
  int bind(const std::string& host, int port, const TlsServerConfig* tls = nullptr,
           const std::string& where = "--listen");
  // Makes the listener bound to port speak TLS with tls (which must outlive the server); before serve().
  void use_tls(int port, const TlsServerConfig* tls);
  // Serves until stop(); returns false if the listening socket failed.
  bool serve(App& app);
  // Stops accepting, closes idle connections, lets requests in progress answer; serve() returns.
  void stop();

  // For tests and diagnostics: waits (at most `timeout` of real time) for a deadline check that
  // starts after this call and satisfies pred (run under the server's lock, on the latest check),
  // and says whether one came. A check runs a tick (200 ms by the clock) after the last one, and
  // whenever the event thread waited a tick for nothing: 200 ms of real time, or block_ms of it
  // on a fake clock, so that a check sees a test's advance within a few ms.
  bool wait_for_check(const std::function<bool(const DeadlineCheck&)>& pred, std::chrono::milliseconds timeout);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace authemu
