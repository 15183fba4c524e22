// `authemu tls ca --dir DIR`: the CA kept in DIR, created or reused without a server, and how each
// client trusts it; `authemu tls client-cert …`: a client certificate (RFC 8705) from the CA of the
// server at --url, through its admin API, written to files. Files through cli/tls_setup.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "cli/options.h"

namespace authemu {

// tls ca: creates (or reuses) the CA of options.tls_ca_dir and prints where it is and the commands
// that trust it. tls client-cert: writes --cert and --key (mode 0600) and prints the thumbprint.
// 0, or 1 with what went wrong on err.
int run_tls_command(const Options& options, std::ostream& out, std::ostream& err);

} // namespace authemu
