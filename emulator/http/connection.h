// The transport's listening sockets and accepted connections (http/http_server), and their byte I/O: a plain socket, or
// a TLS stream over it whose handshake is stepped without blocking like a read. Owned by one thread
// at a time (the event thread while parked, a worker while active); only the owner calls these.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/monotonic_clock.h"
#include "tls/tls_stream.h"

namespace authemu {

// A listening socket; with tls, its connections speak TLS.
struct Listener {
  int fd = -1;
  int port = 0; // the bound one
  const TlsServerConfig* tls = nullptr;
};
// Binds and listens on host:port (0: a free port), non-blocking. Throws ConfigError "<where>: …".
Listener open_listener(const std::string& host, int port, const TlsServerConfig* tls, const std::string& where);

class EventWatch;

// A stream's bytes not yet sent: the feed's sink appends on a publishing thread, the event thread
// sends from the front. Past the cap the watcher has fallen behind and is dropped.
struct StreamOut {
  std::mutex mutex;
  std::string pending;
  bool overflow = false;
};

struct Connection {
  int fd = -1;
  int local_port = 0;                        // the listener's port
  std::unique_ptr<TlsStream> tls;            // on a TLS listener
  bool handshaking = false;                  // TLS: the handshake is not over
  bool wants_write = false;                  // TLS: the last step waits for the socket to take bytes
  int64_t accepted_ms = 0;                   // the handshake must be over by accepted_ms + request timeout
  std::string buf;                           // received bytes not yet answered
  int64_t deadline_ms = 0;                   // when a parked connection is closed
  std::optional<int64_t> request_started_ms; // first byte of the request in buf, once one began
  bool continue_sent = false;                // 100 Continue sent for the request in buf
  bool parked = true;
  // A long-lived answer (text/event-stream) that the event thread writes: set once its head is sent.
  std::shared_ptr<EventWatch> watch;
  std::shared_ptr<StreamOut> out;
  bool polls_out = false; // a stream: EPOLLOUT is asked for (bytes wait for the socket)
  bool dropping = false;  // a stream: closed once the event thread's current batch is done

  enum class Read { data, again, eof, error };
  // Non-blocking: up to size bytes into buf (data, got > 0), none yet (again), the peer gone.
  Read read(char* out, size_t size, size_t& got);
  // All of data within timeout_ms (by clock); false when the peer does not take it in time.
  bool write_all(std::string_view data, int timeout_ms, const MonotonicClock& clock);
  // One attempt to send data now, never waiting (a 408 before closing).
  void write_now(std::string_view data, const MonotonicClock& clock);
  // TLS: decrypted or received bytes wait inside the stream, where epoll does not see them.
  bool has_buffered() const { return tls && tls->has_buffered(); }

  enum class Handshake { done, again, plain_http, failed };
  // One non-blocking step of the TLS handshake (sets wants_write when it waits to send).
  Handshake handshake_step();
  // RFC 9110 §15.5.1 (as Go's server does): plain HTTP on a TLS port gets a short plain 400.
  void refuse_plain_http();
  // TLS: close_notify (RFC 8446 §6.1) once the handshake is over; the socket stays open.
  void say_goodbye();
};

} // namespace authemu
