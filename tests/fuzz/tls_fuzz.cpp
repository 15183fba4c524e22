// What a client sends to a TLS listener, into the server's TLS state machine: the bytes arrive on a
// socket (the peer then closes its side) and the server side of a TlsStream steps its handshake as
// the transport does, then reads. mbedTLS is built with this harness's instrumentation
// (build/asan/libmbedtls.a), so its record and handshake parsers are explored too. Properties:
// nothing crashes, leaks or throws; once the bytes run out the stream reaches a final state (closed,
// failed or plain_http) within a bounded number of steps, never waiting for more; no input completes
// a handshake (that needs the server's random values, which no fixed input can know); plain_http is
// said only for bytes that begin as an HTTP method does; every failure says why. The listener asks
// for client certificates (RFC 8705) and has client roots, as start-up makes it: a TLS 1.2 client's
// Certificate message comes before any key is agreed, so fuzzed certificates reach mbedTLS's chain
// parser and verification (corpus: clienthello-certificate-tls1_2.bin).
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <memory>

#include "base/clock.h"
#include "fuzz_support.h"
#include "tls/certificate_authority.h"
#include "tls/tls_stream.h"

using namespace authemu;

namespace {

// One server configuration for every input, as a listener has: a generated CA's leaf, and that CA
// and its issuer of client certificates as the client roots.
const TlsServerConfig& server_config() {
  static const TlsServerConfig* config = [] {
    SystemClock clock;
    TlsNames names = TlsNames::parse({"localhost", "127.0.0.1"}, "fuzz");
    CertificateAuthority ca = CertificateAuthority::generate(names, clock);
    PemCredentials leaf = ca.issue(names, clock);
    TlsTrust client_roots;
    client_roots.add_pem(ca.certificate_pem(), "ca");
    client_roots.add_pem(ca.client_ca_pem(), "client ca");
    return new TlsServerConfig(TlsIdentity::from_pem(leaf.chain, leaf.key, "cert", "key", clock),
                               std::move(client_roots));
  }();
  return *config;
}

// Writes all of data to fd (a socket pair's buffer holds far more than max_len).
bool write_all(int fd, const uint8_t* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n <= 0) return false;
    data += n;
    size -= size_t(n);
  }
  return true;
}

struct Sockets {
  int server = -1, client = -1;
  ~Sockets() {
    if (server >= 0) ::close(server);
    if (client >= 0) ::close(client);
  }
};

constexpr int kMaxSteps = 64;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 32 * 1024) return 0;
  const TlsServerConfig& config = server_config();
  Sockets s;
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return 0;
  s.server = fds[0];
  s.client = fds[1];
  // The server's side is non-blocking, as the transport's; what it answers stays unread in the
  // client's buffer (a handshake's first flight is a few KiB).
  ::fcntl(s.server, F_SETFL, ::fcntl(s.server, F_GETFL) | O_NONBLOCK);
  if (!write_all(s.client, data, size)) return 0;
  ::shutdown(s.client, SHUT_WR);

  TlsStream stream = TlsStream::server(config, s.server);
  TlsIo io = TlsIo::want_read;
  int steps = 0;
  while ((io == TlsIo::want_read || io == TlsIo::want_write) && steps++ < kMaxSteps)
    io = stream.handshake_step();
  fuzz::require(io != TlsIo::want_read && io != TlsIo::want_write,
                "the handshake still waits after the peer closed and every byte was read");
  fuzz::require(io != TlsIo::done, "a fixed input completed a handshake");
  if (io == TlsIo::plain_http) {
    fuzz::require(size > 0 && data[0] >= 'A' && data[0] <= 'Z', "plain_http for bytes that do not begin a method");
  }
  fuzz::require(!stream.error().empty(), "a handshake that did not complete says nothing about why");
  return 0;
}
