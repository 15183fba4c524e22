// The real server in-process on a free port, for the HTTP tests: raw requests and the transport's
// deadline checks.
#pragma once
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "base/monotonic_clock.h"
#include "http/http_server.h"
#include "socket_support.h"
#include "test_support.h"

namespace authemu::test {

// The server on a free port. bind() listens already, so a client may connect at once: the
// connection waits in the backlog until serve() accepts it. The server and its App share `clock`.
struct ServerUnderTest {
  explicit ServerUnderTest(ServerLimits limits = {}, const MonotonicClock& clock = steady_clock(),
                         AppSettings settings = {})
      : t(std::move(settings), clock), server(limits, false, clock) {
    port = server.bind("127.0.0.1", 0);
    thread = std::thread([this] { server.serve(*t.app); });
  }
  ~ServerUnderTest() {
    server.stop();
    thread.join();
  }

  // Sends raw bytes and returns the first whole answer.
  std::string raw(const std::string& bytes) {
    int fd = connect_to(port);
    send_bytes(fd, bytes);
    std::string answer = read_answer(fd);
    close(fd);
    return answer;
  }

  // Waits, 5 s at most, for a deadline check of the server that begins now and satisfies pred.
  bool check(const std::function<bool(const DeadlineCheck&)>& pred) {
    return server.wait_for_check(pred, std::chrono::seconds(5));
  }

  TestApp t;
  HttpServer server;
  int port = 0;
  std::thread thread;
};

} // namespace authemu::test
