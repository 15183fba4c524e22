// One TLS connection over a socket: the server side of an accepted descriptor, or a client's, with
// the handshake, reads, writes and close_notify. Non-blocking steps for the server's event loop
// (each says what it waits for) and deadline-bound blocking calls on a MonotonicClock. Only the
// thread that owns the connection calls it (a stream is handed to another thread under the
// caller's lock, never shared): mbedTLS contexts are not thread-safe.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "base/client_certificate.h"
#include "base/monotonic_clock.h"
#include "tls/tls_config.h"

namespace authemu {

// What a non-blocking step came to.
enum class TlsIo {
  done,       // the handshake is over, or bytes were read / written
  want_read,  // call again once the socket is readable
  want_write, // call again once the socket is writable
  closed,     // the peer closed (close_notify or end of stream)
  plain_http, // server: the first bytes are an HTTP request line, not a TLS record: answer 400 in plain text
  failed,     // anything else: error() says what
};

class TlsError : public std::runtime_error {
public:
  // unreachable: connect() found no address or no connection (refused, unknown host); failed: the
  // handshake or a later step went wrong (an untrusted peer among them).
  enum class Kind { timeout, plain_http, failed, closed, unreachable };
  TlsError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

private:
  Kind kind_;
};

// A client's saved session, to resume it (a ticket) on a later connection to the same server.
class TlsSession {
public:
  TlsSession();
  TlsSession(TlsSession&&) noexcept;
  TlsSession& operator=(TlsSession&&) noexcept;
  ~TlsSession();
  bool empty() const;

  struct Impl;
  Impl& impl() const { return *impl_; }

private:
  std::unique_ptr<Impl> impl_;
};

class TlsStream {
public:
  // The server side of an accepted socket; fd stays the caller's (never closed here).
  static TlsStream server(const TlsServerConfig& config, int fd);
  // The client side of a connected socket for host (SNI, RFC 6066 §3, and the name the certificate
  // must carry); resume: a session saved from an earlier connection to the same server.
  static TlsStream client(const TlsClientConfig& config, int fd, const std::string& host,
                          const TlsSession* resume = nullptr);
  // Connects to host:port and handshakes, all before deadline_ms (by clock); the stream owns the
  // socket. Throws TlsError: timeout, unreachable, or failed naming the host and what went wrong.
  static TlsStream connect(const TlsClientConfig& config, const std::string& host, int port, int64_t deadline_ms,
                           const MonotonicClock& clock, const TlsSession* resume = nullptr);

  TlsStream(TlsStream&&) noexcept;
  TlsStream& operator=(TlsStream&&) noexcept;
  ~TlsStream(); // closes the socket if the stream owns it; sends nothing

  // One non-blocking step of the handshake.
  TlsIo handshake_step();
  // The handshake, waiting on the socket until deadline_ms (by clock): a peer that sends nothing
  // or half a handshake fails then. Throws TlsError (timeout, plain_http, failed).
  void handshake(int64_t deadline_ms, const MonotonicClock& clock);

  // Non-blocking read of up to size bytes: done with got > 0, want_read / want_write, closed, failed.
  TlsIo read(char* buf, size_t size, size_t& got);
  // Some bytes by deadline_ms: their count, 0 when the peer closed. Throws TlsError (timeout, failed).
  size_t read_some(char* buf, size_t size, int64_t deadline_ms, const MonotonicClock& clock);
  // All of data by deadline_ms; false when the peer does not read in time or the connection broke
  // (as send_all does for plain sockets).
  bool write_all(std::string_view data, int64_t deadline_ms, const MonotonicClock& clock);
  // Decrypted bytes wait inside the stream: the socket will not show them as readable.
  bool has_buffered() const;
  // Tells the peer this side is done (RFC 8446 §6.1), without waiting; the socket stays open.
  void close_notify();

  int fd() const;
  std::string alpn() const;        // the protocol agreed by ALPN ("http/1.1"), or ""
  std::string version() const;     // "TLSv1.2", "TLSv1.3"
  std::string server_name() const; // server: the SNI name the client sent, or ""
  bool resumed() const;            // server: the handshake resumed a session from a ticket
  // Server, once the handshake is over: the certificate the client presented (RFC 8705), that of
  // the session it resumed when it resumed one, or nullptr. Made once per connection; the same
  // object on every call.
  std::shared_ptr<const ClientCertificate> peer_certificate() const;
  TlsSession session() const;      // client: the session to resume later (after a read for TLS 1.3)
  const std::string& error() const; // what the last failed step said

  struct Impl;

private:
  explicit TlsStream(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// RFC 8446 §5.1 against RFC 9112 §3: a TLS connection begins with a handshake record (byte 22);
// an HTTP/1.1 request with a method, a token of letters. True when first bytes look like the latter.
bool looks_like_plain_http(std::string_view first_bytes);

} // namespace authemu
