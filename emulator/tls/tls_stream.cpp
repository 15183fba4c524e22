#include "tls/tls_stream.h"

#include <mbedtls/net_sockets.h> // its error codes only: the sockets are ours
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>

#include "tls/peer_certificate.h"
#include "tls/tls_config_impl.h"

namespace authemu {

using namespace tls_detail;

struct TlsSession::Impl {
  Impl() { mbedtls_ssl_session_init(&session); }
  ~Impl() { mbedtls_ssl_session_free(&session); }
  mbedtls_ssl_session session;
  bool saved = false;
};

TlsSession::TlsSession() : impl_(std::make_unique<Impl>()) {}
TlsSession::TlsSession(TlsSession&&) noexcept = default;
TlsSession& TlsSession::operator=(TlsSession&&) noexcept = default;
TlsSession::~TlsSession() = default;
bool TlsSession::empty() const {
  return !impl_ || !impl_->saved;
}

struct TlsStream::Impl {
  Impl() { mbedtls_ssl_init(&ssl); }
  ~Impl() {
    mbedtls_ssl_free(&ssl);
    if (owns_fd && fd >= 0) ::close(fd);
  }
  mbedtls_ssl_context ssl;
  int fd = -1;
  bool owns_fd = false;
  bool server = false;
  const TlsServerConfig::Impl* server_config = nullptr; // server: its listener's configuration
  bool first_read = true;  // server: the first bytes are still to be looked at
  bool plain_http = false; // server: they were an HTTP request
  HandshakeNotes notes;
  std::string error;
};

namespace {

// BIO callbacks (mbedtls_ssl_set_bio) over the stream's socket, never blocking on their own.
int bio_send(void* ctx, const unsigned char* buf, size_t len) {
  auto* s = static_cast<TlsStream::Impl*>(ctx);
  ssize_t n = ::send(s->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (n >= 0) return int(n);
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return MBEDTLS_ERR_SSL_WANT_WRITE;
  return errno == EPIPE || errno == ECONNRESET ? MBEDTLS_ERR_NET_CONN_RESET : MBEDTLS_ERR_NET_SEND_FAILED;
}

int bio_recv(void* ctx, unsigned char* buf, size_t len) {
  auto* s = static_cast<TlsStream::Impl*>(ctx);
  ssize_t n = ::recv(s->fd, buf, len, MSG_DONTWAIT);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return MBEDTLS_ERR_SSL_WANT_READ;
    return errno == ECONNRESET ? MBEDTLS_ERR_NET_CONN_RESET : MBEDTLS_ERR_NET_RECV_FAILED;
  }
  if (n > 0 && s->first_read) {
    s->first_read = false;
    if (s->server && looks_like_plain_http(std::string_view(reinterpret_cast<char*>(buf), size_t(n)))) {
      s->plain_http = true;
      return MBEDTLS_ERR_NET_RECV_FAILED;
    }
  }
  return int(n);
}

std::string describe(const char* what, int ret) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "%s (-0x%04x)", what, static_cast<unsigned>(-ret));
  return buf;
}

// The stream's notes seen by the configuration's callbacks during one mbedTLS call on this thread.
class Noting {
public:
  explicit Noting(HandshakeNotes& notes) : before_(current_handshake) { current_handshake = &notes; }
  ~Noting() { current_handshake = before_; }
  Noting(const Noting&) = delete;
  Noting& operator=(const Noting&) = delete;

private:
  HandshakeNotes* before_;
};

// Waits until fd is ready for `events` or the deadline passes; false at the deadline.
bool wait_for(int fd, short events, int64_t deadline_ms, const MonotonicClock& clock) {
  int64_t left = deadline_ms - clock.now_ms();
  if (left <= 0) return false;
  pollfd p{fd, events, 0};
  if (::poll(&p, 1, int(clock.block_ms(left))) < 0 && errno != EINTR) return false;
  return true;
}

std::unique_ptr<TlsStream::Impl> setup(const mbedtls_ssl_config* conf, int fd, bool server) {
  auto impl = std::make_unique<TlsStream::Impl>();
  impl->fd = fd;
  impl->server = server;
  check(mbedtls_ssl_setup(&impl->ssl, conf), "mbedtls_ssl_setup");
  mbedtls_ssl_set_bio(&impl->ssl, impl.get(), bio_send, bio_recv, nullptr);
  return impl;
}

} // namespace

bool looks_like_plain_http(std::string_view first_bytes) {
  size_t letters = 0;
  for (char c : first_bytes) {
    if (c == ' ') return letters > 0; // the end of the method token, if one began
    if (c < 'A' || c > 'Z') return false;
    ++letters;
  }
  return letters > 0; // letters so far: a method begun
}

TlsStream::TlsStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsStream::TlsStream(TlsStream&&) noexcept = default;
TlsStream& TlsStream::operator=(TlsStream&&) noexcept = default;
TlsStream::~TlsStream() = default;

TlsStream TlsStream::server(const TlsServerConfig& config, int fd) {
  auto impl = setup(&config.impl().ssl.conf, fd, true);
  impl->server_config = &config.impl();
  return TlsStream(std::move(impl));
}

TlsStream TlsStream::client(const TlsClientConfig& config, int fd, const std::string& host, const TlsSession* resume) {
  auto impl = setup(&config.impl().ssl.conf, fd, false);
  check(mbedtls_ssl_set_hostname(&impl->ssl, host.c_str()), "mbedtls_ssl_set_hostname");
  if (resume && !resume->empty()) check(mbedtls_ssl_set_session(&impl->ssl, &resume->impl().session), "mbedtls_ssl_set_session");
  return TlsStream(std::move(impl));
}

TlsStream TlsStream::connect(const TlsClientConfig& config, const std::string& host, int port, int64_t deadline_ms,
                             const MonotonicClock& clock, const TlsSession* resume) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int gai = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (gai != 0) throw TlsError(TlsError::Kind::unreachable, "cannot resolve " + host + ": " + ::gai_strerror(gai));
  std::string why = "no address";
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int err = ::connect(fd, a->ai_addr, a->ai_addrlen) == 0 ? 0 : errno;
    if (err == EINPROGRESS) {
      if (!wait_for(fd, POLLOUT, deadline_ms, clock)) {
        ::close(fd);
        ::freeaddrinfo(found);
        throw TlsError(TlsError::Kind::timeout, "no connection to " + host + " in time");
      }
      socklen_t len = sizeof err;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    }
    if (err != 0) {
      why = std::strerror(err);
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) throw TlsError(TlsError::Kind::unreachable, "cannot connect to " + host + ":" + std::to_string(port) + ": " + why);
  TlsStream stream = client(config, fd, host, resume);
  stream.impl_->owns_fd = true;
  stream.handshake(deadline_ms, clock);
  return stream;
}

TlsIo TlsStream::handshake_step() {
  Noting noting(impl_->notes);
  int ret = mbedtls_ssl_handshake(&impl_->ssl);
  if (ret == 0) {
    if (impl_->server) {
      session_certificate(impl_->notes, mbedtls_ssl_get_peer_cert(&impl_->ssl), mbedtls_ssl_get_verify_result(&impl_->ssl),
                          impl_->server_config->has_client_roots());
    }
    return TlsIo::done;
  }
  if (ret == MBEDTLS_ERR_SSL_WANT_READ) return TlsIo::want_read;
  if (ret == MBEDTLS_ERR_SSL_WANT_WRITE) return TlsIo::want_write;
  if (impl_->plain_http) {
    impl_->error = "plain HTTP sent to a TLS port";
    return TlsIo::plain_http;
  }
  if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
    uint32_t flags = mbedtls_ssl_get_verify_result(&impl_->ssl);
    // mbedTLS says "not correctly signed by the trusted CA" for a chain that ends at no trusted CA,
    // which reads as a bad signature: say what it is.
    std::string text;
    if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) {
      text = "it is not issued by a CA trusted here";
      flags &= ~uint32_t(MBEDTLS_X509_BADCERT_NOT_TRUSTED);
    }
    char why[256] = "";
    if (flags != 0) mbedtls_x509_crt_verify_info(why, sizeof why, "", flags);
    if (why[0] != '\0') text += (text.empty() ? "" : "; ") + std::string(why);
    while (!text.empty() && text.back() == '\n')
      text.pop_back();
    for (char& c : text)
      if (c == '\n') c = ';';
    impl_->error = "the server's certificate is not trusted: " + text;
    return TlsIo::failed;
  }
  if (ret == MBEDTLS_ERR_SSL_CONN_EOF || ret == MBEDTLS_ERR_NET_CONN_RESET) {
    impl_->error = "the peer closed the connection during the handshake";
    return TlsIo::closed;
  }
  impl_->error = describe("TLS handshake failed: mbedtls_ssl_handshake", ret);
  return TlsIo::failed;
}

void TlsStream::handshake(int64_t deadline_ms, const MonotonicClock& clock) {
  for (;;) {
    TlsIo io = handshake_step();
    if (io == TlsIo::done) return;
    if (io == TlsIo::plain_http) throw TlsError(TlsError::Kind::plain_http, impl_->error);
    if (io == TlsIo::failed || io == TlsIo::closed) throw TlsError(TlsError::Kind::failed, impl_->error);
    if (!wait_for(impl_->fd, io == TlsIo::want_read ? POLLIN : POLLOUT, deadline_ms, clock)) {
      impl_->error = "no TLS handshake before the deadline";
      throw TlsError(TlsError::Kind::timeout, impl_->error);
    }
  }
}

TlsIo TlsStream::read(char* buf, size_t size, size_t& got) {
  got = 0;
  for (;;) {
    int ret = mbedtls_ssl_read(&impl_->ssl, reinterpret_cast<unsigned char*>(buf), size);
    if (ret > 0) {
      got = size_t(ret);
      return TlsIo::done;
    }
    // RFC 8446 §4.6.1: a ticket after the handshake; mbedTLS has stored it in the session.
    if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) continue;
    if (ret == MBEDTLS_ERR_SSL_WANT_READ) return TlsIo::want_read;
    if (ret == MBEDTLS_ERR_SSL_WANT_WRITE) return TlsIo::want_write;
    if (ret == 0 || ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || ret == MBEDTLS_ERR_SSL_CONN_EOF ||
        ret == MBEDTLS_ERR_NET_CONN_RESET) {
      return TlsIo::closed;
    }
    impl_->error = describe("TLS read failed: mbedtls_ssl_read", ret);
    return TlsIo::failed;
  }
}

size_t TlsStream::read_some(char* buf, size_t size, int64_t deadline_ms, const MonotonicClock& clock) {
  for (;;) {
    size_t got = 0;
    TlsIo io = read(buf, size, got);
    if (io == TlsIo::done) return got;
    if (io == TlsIo::closed) return 0;
    if (io == TlsIo::failed) throw TlsError(TlsError::Kind::failed, impl_->error);
    if (!wait_for(impl_->fd, io == TlsIo::want_read ? POLLIN : POLLOUT, deadline_ms, clock)) {
      throw TlsError(TlsError::Kind::timeout, "no TLS data before the deadline");
    }
  }
}

bool TlsStream::write_all(std::string_view data, int64_t deadline_ms, const MonotonicClock& clock) {
  while (!data.empty()) {
    int ret = mbedtls_ssl_write(&impl_->ssl, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    if (ret > 0) {
      data.remove_prefix(size_t(ret));
      continue;
    }
    if (ret != MBEDTLS_ERR_SSL_WANT_READ && ret != MBEDTLS_ERR_SSL_WANT_WRITE) {
      impl_->error = describe("TLS write failed: mbedtls_ssl_write", ret);
      return false;
    }
    if (!wait_for(impl_->fd, ret == MBEDTLS_ERR_SSL_WANT_READ ? POLLIN : POLLOUT, deadline_ms, clock)) return false;
  }
  return true;
}

bool TlsStream::has_buffered() const {
  return mbedtls_ssl_get_bytes_avail(&impl_->ssl) > 0 || mbedtls_ssl_check_pending(&impl_->ssl) != 0;
}

void TlsStream::close_notify() {
  (void)mbedtls_ssl_close_notify(&impl_->ssl); // a full send buffer loses it: the socket closes anyway
}

int TlsStream::fd() const {
  return impl_->fd;
}

std::string TlsStream::alpn() const {
  const char* p = mbedtls_ssl_get_alpn_protocol(&impl_->ssl);
  return p ? p : "";
}

std::string TlsStream::version() const {
  return mbedtls_ssl_get_version(&impl_->ssl);
}

std::string TlsStream::server_name() const {
  return impl_->notes.server_name;
}

bool TlsStream::resumed() const {
  return impl_->notes.ticket_accepted && mbedtls_ssl_is_handshake_over(const_cast<mbedtls_ssl_context*>(&impl_->ssl));
}

std::shared_ptr<const ClientCertificate> TlsStream::peer_certificate() const {
  return impl_->notes.certificate;
}

TlsSession TlsStream::session() const {
  TlsSession out;
  check(mbedtls_ssl_get_session(&impl_->ssl, &out.impl().session), "mbedtls_ssl_get_session");
  out.impl().saved = true;
  return out;
}

const std::string& TlsStream::error() const {
  return impl_->error;
}

} // namespace authemu
