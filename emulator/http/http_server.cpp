#include "http/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/config_error.h"
#include "base/event_feed.h"
#include "base/log.h"
#include "http/app.h"
#include "http/connection.h"
#include "http/request_parser.h"
#include "http/response_writer.h"
#include "http/responses.h"
#include "http/worker_pool.h"

#include "http/http_server_impl.h"
namespace authemu {

namespace {

constexpr uint64_t kWakeTag = 1;
constexpr uint64_t kFirstListenTag = 2; // listener i is 2 + i; a connection's tag is its address
constexpr int kTickMs = 200; // how often parked connections' deadlines are checked (by the clock)

} // namespace


void HttpServer::Impl::close_locked(Connection* c) {
  if (c->out) streams.erase(std::remove(streams.begin(), streams.end(), c), streams.end());
  c->say_goodbye();
  ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, nullptr);
  ::close(c->fd);
  conns.erase(c->fd); // c is gone from here on
}

void HttpServer::Impl::accept_all(const Listener& l) {
  const int listen_fd = l.fd;
  for (;;) {
    int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if ((errno == EMFILE || errno == ENFILE) && spare_fd >= 0) {
        // Out of descriptors: the listening socket stays readable, so shed the connection (close
        // the spare, accept, close both ways) instead of spinning, and say so at most every 10 s.
        // (accept4 takes a descriptor before it looks at the queue: EMFILE says nothing about
        // whether a connection waits, so stop once the queue is empty.)
        ::close(spare_fd);
        int shed = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (shed >= 0) ::close(shed);
        spare_fd = ::eventfd(0, EFD_CLOEXEC);
        int64_t now = now_ms();
        if (shed >= 0 && now - last_fd_warning_ms > 10000) {
          last_fd_warning_ms = now;
          log_line("warning: out of file descriptors; new connections are closed at once");
        }
        if (shed >= 0) continue;
      }
      return;
    }
    std::lock_guard<std::mutex> lock(mutex);
    if (conns.size() >= limits.max_connections) {
      ::close(fd);
      continue;
    }
    int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    auto c = std::make_unique<Connection>();
    c->fd = fd;
    c->local_port = l.port;
    c->accepted_ms = now_ms();
    c->deadline_ms = c->accepted_ms + limits.idle_timeout_ms;
    if (l.tls) {
      try {
        c->tls = std::make_unique<TlsStream>(TlsStream::server(*l.tls, fd));
      } catch (const std::exception&) {
        ::close(fd); // no memory for its context: shed it
        continue;
      }
      c->handshaking = true; // RFC 8446 §4: the handshake counts against the request deadline
      c->deadline_ms = c->accepted_ms + limits.request_timeout_ms;
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
    ev.data.u64 = reinterpret_cast<uintptr_t>(c.get());
    if (::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
      ::close(fd);
      continue;
    }
    conns.emplace(fd, std::move(c));
  }
}

void HttpServer::Impl::expire_parked() {
  std::lock_guard<std::mutex> lock(mutex);
  DeadlineCheck check;
  check.number = last_check.number + 1;
  check.at_ms = now_ms();
  for (auto it = conns.begin(); it != conns.end();) {
    Connection* c = (it++)->second.get();
    if (c->parked && c->deadline_ms <= check.at_ms) {
      expire_locked(c);
      continue;
    }
    ++check.open;
    if (c->out) ++check.streams;
    if (!c->parked) continue;
    ++check.parked;
    check.buffered += c->buf.size();
    if (c->request_started_ms) ++check.partial;
  }
  check.dropped_streams = dropped_streams;
  last_check = check;
  checked.notify_all();
}

// Closes a parked connection past its deadline; a request that did not arrive whole in time
// (slowloris) gets 408 first.
void HttpServer::Impl::expire_locked(Connection* c) {
  if (c->request_started_ms && !c->handshaking) {
    ParseResult partial = parse_request(c->buf, parser);
    HttpRequest req;
    req.method = partial.parsed.request.method;
    HttpResponse res = app->transport_error(partial.parsed.request.path, 408,
                                            "request not received whole within " +
                                                std::to_string(limits.request_timeout_ms / 1000) + " s");
    std::string bytes = serialize(res, req.method, false, limits.idle_timeout_ms);
    c->write_now(bytes, clock);
    log("- " + partial.parsed.request.path + " 408 refused");
  }
  close_locked(c);
}

void HttpServer::Impl::park(Connection* c) {
  std::lock_guard<std::mutex> lock(mutex);
  if (stopping) {
    close_locked(c);
    return;
  }
  int64_t now = now_ms();
  c->deadline_ms = c->handshaking          ? c->accepted_ms + limits.request_timeout_ms
                   : c->request_started_ms ? *c->request_started_ms + limits.request_timeout_ms
                                           : now + limits.idle_timeout_ms;
  c->parked = true;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT | (c->wants_write ? EPOLLOUT : 0u);
  ev.data.u64 = reinterpret_cast<uintptr_t>(c);
  if (::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c->fd, &ev) != 0) close_locked(c);
}

bool HttpServer::Impl::answer(Connection* c, const HttpRequest& req, const HttpResponse& res, bool keep_alive,
                              int64_t started) {
  bool sent = c->write_all(serialize(res, req.method, keep_alive, limits.idle_timeout_ms), limits.write_timeout_ms, clock);
  if (log_requests) {
    int64_t us = clock.now_us() - started;
    log_line((req.method.empty() ? "-" : req.method) + " " + req.path + " " + std::to_string(res.status) + " " +
             std::to_string(us) + "us" + (sent ? "" : " (unsent)"));
  }
  return sent;
}

void HttpServer::Impl::work(Connection* c) {
  if (c->handshaking) {
    switch (c->handshake_step()) {
    case Connection::Handshake::again:
      park(c);
      return;
    case Connection::Handshake::plain_http:
      c->refuse_plain_http();
      log("- - 400 plain HTTP on a TLS port");
      close(c);
      return;
    case Connection::Handshake::failed:
      close(c);
      return;
    case Connection::Handshake::done:
      break;
    }
  }
  // Decrypted bytes may wait inside the TLS stream, where epoll does not see them: read on while
  // the last pass stopped at the buffer's limit rather than on an empty socket.
  while (read_and_answer(c)) {
  }
}

// One pass: reads what there is (up to the buffer's limit) and answers every whole request. False
// once the connection is closed or parked; true when bytes may still wait inside a TLS stream.
bool HttpServer::Impl::read_and_answer(Connection* c) {
  const size_t max_buffer = parser.max_head + parser.max_line + limits.max_body + 16 * 1024;
  bool eof = false, drained = false;
  char chunk[16 * 1024];
  while (c->buf.size() < max_buffer) {
    size_t n = 0;
    Connection::Read got = c->read(chunk, sizeof chunk, n);
    if (got == Connection::Read::data) {
      if (c->buf.empty() && !c->request_started_ms) c->request_started_ms = now_ms();
      c->buf.append(chunk, n);
    } else if (got == Connection::Read::eof) {
      eof = true;
      break;
    } else if (got == Connection::Read::again) {
      drained = true;
      break;
    } else {
      close(c);
      return false;
    }
  }
  while (!c->buf.empty()) {
    int64_t started = clock.now_us();
    ParseResult r = parse_request(c->buf, parser);
    if (r.kind == ParseResult::Kind::complete) {
      c->buf.erase(0, r.consumed);
      c->continue_sent = false;
      c->request_started_ms = c->buf.empty() ? std::nullopt : std::optional<int64_t>(now_ms());
      HttpRequest& req = r.parsed.request;
      req.tls = c->tls != nullptr;
      req.local_port = c->local_port;
      if (c->tls) req.client_certificate = c->tls->peer_certificate(); // RFC 8705: the connection's
      HttpResponse res;
      try {
        res = app->handle(req);
      } catch (const std::exception& e) {
        log_line("error: " + req.method + " " + req.path + ": " + e.what());
        oauth_error_response(res, oauth::server_error("internal error"));
      }
      if (res.stream) {
        start_stream(c, req, res, started); // the event thread has it from here
        return false;
      }
      bool keep = r.parsed.keep_alive && !stopping;
      if (!answer(c, req, res, keep, started) || !keep) {
        close(c);
        return false;
      }
      continue;
    }
    if (r.kind == ParseResult::Kind::error) {
      // RFC 9112 §6.3, §9.6: after a framing error the connection cannot be trusted: answer, close.
      HttpRequest req;
      req.method = r.parsed.request.method;
      req.path = r.path;
      answer(c, req, app->transport_error(r.path, r.status, r.message), false, started);
      close(c);
      return false;
    }
    if (r.head_complete && r.parsed.expects_continue && !c->continue_sent) {
      // RFC 9110 §10.1.1: the head is acceptable; ask for the body.
      static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      if (!c->write_all(kContinue, limits.write_timeout_ms, clock)) {
        close(c);
        return false;
      }
      c->continue_sent = true;
    }
    break;
  }
  if (eof) {
    close(c); // the peer is gone, or half-closed with no whole request left to answer
    return false;
  }
  if (!drained && c->has_buffered() && c->buf.size() < max_buffer) return true;
  park(c);
  return false;
}

HttpServer::HttpServer(ServerLimits limits, bool log_requests, const MonotonicClock& clock)
    : impl_(std::make_unique<Impl>(clock)) {
  impl_->limits = limits;
  impl_->parser.max_body = limits.max_body;
  impl_->log_requests = log_requests;
  impl_->epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  impl_->wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  impl_->spare_fd = ::eventfd(0, EFD_CLOEXEC);
}

HttpServer::~HttpServer() {
  for (int fd : {impl_->epoll_fd, impl_->wake_fd, impl_->spare_fd}) {
    if (fd >= 0) ::close(fd);
  }
  for (const Listener& l : impl_->listeners) {
    if (l.fd >= 0) ::close(l.fd);
  }
}

int HttpServer::bind(const std::string& host, int port, const TlsServerConfig* tls, const std::string& where) {
  impl_->listeners.push_back(open_listener(host, port, tls, where));
  return impl_->listeners.back().port;
}

void HttpServer::use_tls(int port, const TlsServerConfig* tls) {
  for (Listener& l : impl_->listeners) {
    if (l.port == port) l.tls = tls;
  }
}

bool HttpServer::serve(App& app) {
  Impl& s = *impl_;
  s.app = &app;
  if (s.epoll_fd < 0 || s.wake_fd < 0 || s.listeners.empty()) return false;
  s.pool = std::make_unique<WorkerPool>(size_t(s.limits.threads), std::chrono::seconds(30), s.clock);
  epoll_event ev{};
  ev.events = EPOLLIN;
  for (size_t i = 0; i < s.listeners.size(); ++i) {
    ev.data.u64 = kFirstListenTag + i;
    ::epoll_ctl(s.epoll_fd, EPOLL_CTL_ADD, s.listeners[i].fd, &ev);
  }
  ev.data.u64 = kWakeTag;
  ::epoll_ctl(s.epoll_fd, EPOLL_CTL_ADD, s.wake_fd, &ev);
  s.last_heartbeat_ms = s.now_ms(); // the first comment 15 s after start
  bool ok = s.run_events();
  s.close_all();
  return ok;
}

// The event loop, until stop(); false if epoll failed.
bool HttpServer::Impl::run_events() {
  int64_t next_check = now_ms() + kTickMs;
  epoll_event events[256];
  while (!stopping) {
    // Events for the streams go out in batches, at most kStreamFlushMs after the first waited.
    int64_t wait = kTickMs;
    if (stream_events) wait = std::max<int64_t>(0, std::min<int64_t>(wait, last_flush_ms + kStreamFlushMs - now_ms()));
    int n = ::epoll_wait(epoll_fd, events, 256, int(clock.block_ms(wait)));
    if (n < 0 && errno != EINTR) return false;
    for (int i = 0; i < n; ++i)
      dispatch(events[i]);
    if (!dropping.empty()) {
      std::lock_guard<std::mutex> lock(mutex);
      for (Connection* c : dropping)
        close_locked(c);
      dropping.clear();
    }
    if (stream_events && now_ms() >= last_flush_ms + kStreamFlushMs) {
      stream_events = false;
      last_flush_ms = now_ms();
      flush_streams();
    }
    // A wait of a whole tick that ended without an event took a tick: on the real clock next_check
    // has passed too. On a fake clock it may not have, and the check then sees a test's advance
    // within a few ms.
    if ((n == 0 && wait == kTickMs) || now_ms() >= next_check) {
      expire_parked();
      heartbeat_streams();
      next_check = now_ms() + kTickMs;
    }
  }
  return true;
}

void HttpServer::Impl::dispatch(const epoll_event& event) {
  uint64_t tag = event.data.u64;
  if (tag >= kFirstListenTag && tag < kFirstListenTag + listeners.size()) {
    accept_all(listeners[tag - kFirstListenTag]);
  } else if (tag == kWakeTag) {
    uint64_t count;
    while (::read(wake_fd, &count, sizeof count) > 0) {
    }
    stream_events = true; // a publisher woke us: events wait, sent with the next batch
  } else {
    auto* c = reinterpret_cast<Connection*>(tag);
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (!c->out) c->parked = false;
    }
    if (c->out) {
      if (!c->dropping) stream_event(c, event.events);
      return;
    }
    pool->submit([this, c] { work(c); });
  }
}

// Stopping: no new connections, idle ones closed, requests in progress answered.
void HttpServer::Impl::close_all() {
  for (Listener& l : listeners) {
    ::close(l.fd);
    l.fd = -1;
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    for (auto it = conns.begin(); it != conns.end();) {
      Connection* c = (it++)->second.get();
      if (c->parked) close_locked(c);
    }
  }
  pool->shutdown();
  std::lock_guard<std::mutex> lock(mutex);
  while (!conns.empty())
    close_locked(conns.begin()->second.get());
}

void HttpServer::stop() {
  impl_->stopping = true;
  uint64_t one = 1;
  (void)!::write(impl_->wake_fd, &one, sizeof one);
}

bool HttpServer::wait_for_check(const std::function<bool(const DeadlineCheck&)>& pred,
                                std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  std::unique_lock<std::mutex> lock(s.mutex);
  const uint64_t after = s.last_check.number;
  return s.checked.wait_for(lock, timeout, [&] { return s.last_check.number > after && pred(s.last_check); });
}

} // namespace authemu
