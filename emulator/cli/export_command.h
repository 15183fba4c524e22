// `authemu export jwks|pem|ftl`: an environment's JWKS, its public keys as PEM, or the TIBCO FTL
// server's OAuth 2.0 configuration (testkit/exports.h), from the running server at --url or, without
// --url, from the fixtures (--config or the embedded default) as a server would load them.
#pragma once
#include <ostream>

#include "cli/options.h"

namespace authemu {

// Writes the export to --out, or to out; returns 0, or 1 with the reason on err.
int run_export(const Options& options, std::ostream& out, std::ostream& err, const EnvGetter& env);

} // namespace authemu
