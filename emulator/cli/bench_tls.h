// `authemu bench-tls`: this build's TLS handshakes per second and what bounds them, as one JSON
// line. In-process over socketpairs; no server, no listener.
#pragma once
#include <ostream>

#include "cli/options.h"

namespace authemu {

// Generates a CA and leaf as start-up would (timed), then, each for --seconds (at least one
// connection or operation; --seconds 0: one of each): full TLS 1.3 handshakes, resumed ones from a
// ticket, full TLS 1.2 ones (server on this thread, client on another; the server's CPU time per
// handshake apart), the memory an idle server connection holds, and the ceiling: (EC)DHE + ECDSA P-256 operations per second and the fraction
// of it the server side reaches. Returns the exit code (1 and a line on err when a handshake fails).
int bench_tls(const Options& options, std::ostream& out, std::ostream& err);

} // namespace authemu
