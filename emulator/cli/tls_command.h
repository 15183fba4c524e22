// `authemu tls ca --dir DIR`: the CA kept in DIR, created or reused without a server, and how each
// client trusts it. Files through cli/tls_setup.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "cli/options.h"

namespace authemu {

// Creates (or reuses) the CA of options.tls_ca_dir and prints where it is and the commands that
// trust it. 0, or 1 with one line on err.
int run_tls_command(const Options& options, std::ostream& out, std::ostream& err);

} // namespace authemu
