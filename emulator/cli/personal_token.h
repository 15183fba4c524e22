// `authemu personal-token`: what `fctl cloud generate-personal-token` does, against a running
// authemu: a platform password grant, RFC 8693 exchange for one environment, then that
// environment's jwt-bearer grant. An HTTP client of a running server, so it lives in cli/.
#pragma once
#include <string>
#include <vector>

#include "cli/options.h"

namespace authemu {

// On success the environment's access token; on failure nothing, with *error saying which step
// failed and what the server answered. tls_trust: PEM files trusted, beside the system bundle,
// when --url is https (--tls-trust, the server's CA file).
bool personal_token(const Options& options, std::string* token, std::string* error,
                    const std::vector<std::string>& tls_trust = {});

} // namespace authemu
