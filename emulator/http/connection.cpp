#include "http/connection.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/config_error.h"

#include "http/response_writer.h"

namespace authemu {

Connection::Read Connection::read(char* out, size_t size, size_t& got) {
  got = 0;
  if (tls) {
    wants_write = false;
    switch (tls->read(out, size, got)) {
    case TlsIo::done:
      return Read::data;
    case TlsIo::want_write:
      wants_write = true;
      return Read::again;
    case TlsIo::want_read:
      return Read::again;
    case TlsIo::closed:
      return Read::eof;
    default:
      return Read::error;
    }
  }
  for (;;) {
    ssize_t n = ::recv(fd, out, size, 0);
    if (n > 0) {
      got = size_t(n);
      return Read::data;
    }
    if (n == 0) return Read::eof;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK ? Read::again : Read::error;
  }
}

bool Connection::write_all(std::string_view data, int timeout_ms, const MonotonicClock& clock) {
  if (tls) return tls->write_all(data, clock.now_ms() + timeout_ms, clock);
  return send_all(fd, data, timeout_ms, clock);
}

void Connection::write_now(std::string_view data, const MonotonicClock& clock) {
  if (tls) {
    if (!handshaking) (void)tls->write_all(data, clock.now_ms(), clock); // a deadline of now: no wait
    return;
  }
  (void)::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

Connection::Handshake Connection::handshake_step() {
  wants_write = false;
  switch (tls->handshake_step()) {
  case TlsIo::done:
    handshaking = false;
    return Handshake::done;
  case TlsIo::want_write:
    wants_write = true;
    return Handshake::again;
  case TlsIo::want_read:
    return Handshake::again;
  case TlsIo::plain_http:
    return Handshake::plain_http;
  default:
    return Handshake::failed;
  }
}

void Connection::refuse_plain_http() {
  static constexpr char kBody[] = "Client sent an HTTP request to an HTTPS server: use https://\n";
  static const std::string kAnswer = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                     "Connection: close\r\nContent-Length: " +
                                     std::to_string(sizeof kBody - 1) + "\r\n\r\n" + kBody;
  (void)::send(fd, kAnswer.data(), kAnswer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  // The rest of the request is still unread: closing over it would reset the connection and could
  // discard the answer before the client reads it. Say we are done, then read what has come.
  ::shutdown(fd, SHUT_WR);
  char sink[4096];
  for (int i = 0; i < 16 && ::recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0; ++i) {
  }
}

void Connection::say_goodbye() {
  if (tls && !handshaking) tls->close_notify();
}

Listener open_listener(const std::string& host, int port, const TlsServerConfig* tls, const std::string& where) {
  auto fail = [&](const std::string& why) {
    return ConfigError(where + ": cannot listen on " + host + ":" + std::to_string(port) + ": " + why);
  };
  // Every open connection is a descriptor: take the hard limit (the soft one is often 1024).
  rlimit nofile{};
  if (::getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &nofile);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0) throw fail(::gai_strerror(rc));
  std::string error = "no address";
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      error = std::strerror(errno);
      continue;
    }
    // SO_REUSEADDR only: SO_REUSEPORT would let a second authemu bind the same port and silently
    // take half of the connections from the first.
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 1024) != 0) {
      error = std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) throw fail(error);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  int bound_port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                      : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return Listener{fd, bound_port, tls};
}

} // namespace authemu
