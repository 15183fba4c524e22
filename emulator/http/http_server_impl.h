// The transport's state (http/http_server.h), shared by its files: http_server.cpp (accepting,
// reading, answering, deadlines) and http_server_streams.cpp (event streams). Private to them.
#pragma once
#include <sys/epoll.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/http_types.h"
#include "base/log.h"
#include "http/app.h"
#include "http/connection.h"
#include "http/http_server.h"
#include "http/request_parser.h"
#include "http/worker_pool.h"

namespace authemu {

struct HttpServer::Impl {
  explicit Impl(const MonotonicClock& c) : clock(c) {}
  const MonotonicClock& clock;
  ServerLimits limits;
  ParserLimits parser;
  bool log_requests = false;
  std::vector<Listener> listeners;
  int epoll_fd = -1;
  int wake_fd = -1;
  int spare_fd = -1; // given up when descriptors run out, so that a connection can be shed
  int64_t last_fd_warning_ms = 0;
  App* app = nullptr;
  std::atomic<bool> stopping{false};
  std::mutex mutex; // guards conns, each connection's parked flag and last_check
  std::unordered_map<int, std::unique_ptr<Connection>> conns;
  std::unique_ptr<WorkerPool> pool;
  DeadlineCheck last_check;
  std::vector<Connection*> streams; // event streams; under mutex, written by the event thread only
  uint64_t dropped_streams = 0;     // under mutex
  // Streams to close after the event thread's current batch (a later event of it may name them).
  std::vector<Connection*> dropping;
  std::condition_variable checked; // after each deadline check

  int64_t now_ms() const { return clock.now_ms(); }
  bool run_events();
  void dispatch(const epoll_event& event);
  void close_all();
  void accept_all(const Listener& l);
  void expire_parked();
  void expire_locked(Connection* c);
  void work(Connection* c);
  bool read_and_answer(Connection* c);
  bool answer(Connection* c, const HttpRequest& req, const HttpResponse& res, bool keep_alive, int64_t started);
  void park(Connection* c);
  void start_stream(Connection* c, const HttpRequest& req, HttpResponse& res, int64_t started);
  void stream_event(Connection* c, uint32_t events);
  void flush_streams();
  // Every kStreamHeartbeatMs, a comment line to each stream: proxies keep it open, and a watcher
  // gone without a word is found when the bytes pile up or the socket fails.
  void heartbeat_streams();
  int64_t last_heartbeat_ms = 0; // the event thread's
  // Streams' events are sent in batches, one send per stream at most every kStreamFlushMs: 50
  // watchers cost 50 sends per batch, not 50 per request. The event thread's.
  static constexpr int64_t kStreamFlushMs = 25;
  bool stream_events = false; // a publisher woke the event thread since the last batch
  int64_t last_flush_ms = 0;
  void flush(Connection* c);
  void drop(Connection* c) {
    if (!c->dropping) dropping.push_back(c);
    c->dropping = true;
  }
  void close_locked(Connection* c);
  void close(Connection* c) {
    std::lock_guard<std::mutex> lock(mutex);
    close_locked(c);
  }
  void log(const std::string& line) const {
    if (log_requests) log_line(line);
  }
};

} // namespace authemu
