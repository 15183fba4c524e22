// The transport's event streams (http/http_server.h): a long-lived answer leaves its worker once
// its head is sent; the event thread writes what its watch receives, under a byte cap per stream.
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "base/event_feed.h"
#include "http/http_server_impl.h"
#include "http/response_writer.h"

namespace authemu {

// A long-lived answer: its head and preamble now, from this worker; then the connection goes to the
// event thread, which sends what the watch receives and reads only to see the peer go.
void HttpServer::Impl::start_stream(Connection* c, const HttpRequest& req, HttpResponse& res, int64_t started) {
  std::shared_ptr<EventWatch> watch = std::move(res.stream);
  // Attached before the head goes, so that no entry recorded meanwhile is missed: its bytes wait
  // in out until the event thread has the stream.
  auto out = std::make_shared<StreamOut>();
  // Between two batches a stream may gather twice its cap (a burst); past that, or past the cap
  // once a batch has gone to the socket (flush), its watcher has stopped reading.
  const size_t cap = 2 * limits.stream_buffer;
  const int wake = wake_fd;
  watch->attach([out, cap, wake](const std::string& event) {
    std::lock_guard<std::mutex> lock(out->mutex);
    if (out->overflow) return;
    bool was_empty = out->pending.empty();
    if (out->pending.size() + event.size() > cap) {
      out->overflow = true; // never buffer without limit
      out->pending.clear();
    } else {
      out->pending += event;
    }
    if (was_empty) {
      uint64_t one = 1;
      (void)!::write(wake, &one, sizeof one);
    }
  });
  bool sent = c->write_all(serialize_stream_head(res) + watch->preamble(), limits.write_timeout_ms, clock);
  if (log_requests) {
    log_line(req.method + " " + req.path + " " + std::to_string(res.status) + " " +
             std::to_string(clock.now_us() - started) + "us stream" + (sent ? "" : " (unsent)"));
  }
  if (!sent || stopping) {
    close(c); // the watch goes with it, freeing its slot
    return;
  }
  std::lock_guard<std::mutex> lock(mutex);
  c->buf.clear(); // a request pipelined after the stream's is never answered
  c->watch = std::move(watch);
  c->out = std::move(out);
  c->parked = true; // the event thread's from now on; closed at stop with the parked ones
  c->deadline_ms = INT64_MAX;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.u64 = reinterpret_cast<uintptr_t>(c);
  if (::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c->fd, &ev) != 0) {
    close_locked(c);
    return;
  }
  streams.push_back(c);
  uint64_t one = 1;
  (void)!::write(wake_fd, &one, sizeof one); // what came meanwhile goes with the next batch
}

// The event thread: a stream's socket is readable (bytes the peer sent, or its going) or writable.
void HttpServer::Impl::stream_event(Connection* c, uint32_t events) {
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    char sink[4096];
    size_t got = 0;
    Connection::Read r = Connection::Read::data;
    for (int i = 0; i < 16 && r == Connection::Read::data; ++i)
      r = c->read(sink, sizeof sink, got);
    if (r == Connection::Read::eof || r == Connection::Read::error || (events & (EPOLLHUP | EPOLLERR))) {
      drop(c);
      return;
    }
  }
  if (events & EPOLLOUT) flush(c);
}

namespace {
constexpr int64_t kStreamHeartbeatMs = 15000;
} // namespace

void HttpServer::Impl::heartbeat_streams() {
  int64_t now = now_ms();
  if (now - last_heartbeat_ms < kStreamHeartbeatMs) return;
  last_heartbeat_ms = now;
  std::vector<Connection*> all;
  {
    std::lock_guard<std::mutex> lock(mutex);
    all = streams;
  }
  for (Connection* c : all) {
    std::lock_guard<std::mutex> lock(c->out->mutex);
    if (c->out->pending.size() + 2 > limits.stream_buffer) {
      c->out->overflow = true;
    } else {
      c->out->pending += ":\n\n"; // WHATWG HTML §9.2.6: a comment, ignored by the watcher
    }
  }
  flush_streams();
}

void HttpServer::Impl::flush_streams() {
  std::vector<Connection*> all;
  {
    std::lock_guard<std::mutex> lock(mutex);
    all = streams;
  }
  for (Connection* c : all) {
    if (!c->dropping) flush(c); // only the event thread closes a stream, so each is still open here
  }
}

// Sends what a stream has waiting, never waiting itself: the rest goes when the socket asks
// (EPOLLOUT). A watcher with more than its cap left unsent is dropped.
void HttpServer::Impl::flush(Connection* c) {
  bool gone = false;
  bool waiting = false;
  {
    std::lock_guard<std::mutex> lock(c->out->mutex);
    std::string& p = c->out->pending;
    if (c->out->overflow) {
      gone = true;
    } else if (!p.empty() && c->tls) {
      // A TLS record half-written must be finished with the same bytes: all now, or drop it.
      gone = !c->tls->write_all(p, clock.now_ms(), clock);
      p.clear();
    } else {
      while (!p.empty()) {
        ssize_t n = ::send(c->fd, p.data(), p.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
          p.erase(0, size_t(n));
        } else if (n < 0 && errno == EINTR) {
          continue;
        } else {
          gone = !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
          break;
        }
      }
      waiting = !p.empty();
      if (p.size() > limits.stream_buffer) { // what the socket would not take: the watcher is not reading
        c->out->overflow = true;
        gone = true;
      }
    }
  }
  // Closed outside the stream's lock: closing frees the watch, which takes the feed's lock, and a
  // publisher holds the feed's lock when it takes the stream's.
  if (gone) {
    if (c->out->overflow) {
      std::lock_guard<std::mutex> lock(mutex);
      ++dropped_streams;
      log("- - stream dropped: its watcher stopped reading (" + std::to_string(limits.stream_buffer) +
          " bytes waiting)");
    }
    drop(c);
    return;
  }
  std::lock_guard<std::mutex> lock(mutex);
  if (waiting != c->polls_out) {
    c->polls_out = waiting;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | (waiting ? EPOLLOUT : 0u);
    ev.data.u64 = reinterpret_cast<uintptr_t>(c);
    if (::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c->fd, &ev) != 0) drop(c);
  }
}

} // namespace authemu
