// `authemu bench-sign`: this build's signatures per second, as one JSON line. No server.
#pragma once
#include <ostream>

#include "cli/options.h"

namespace authemu {

// --threads threads (default 1) signing a client-credentials-sized input for --seconds; with
// --seconds 0 only the key load, its preparation and one signature. Returns the exit code.
int bench_sign(const Options& options, std::ostream& out);

} // namespace authemu
