// The stand-in for the other Formance services behind the gateway (/api/<service>/…): it checks the
// bearer token and Formance's <service>:read/write scope rule, then echoes what it saw, so a test
// can call "the ledger" with an authemu token. It does not check aud.
#pragma once
#include <optional>

#include "http/router.h"
#include "oauth/token_verifier.h"

namespace authemu {

// The stand-in's check of a request to service: the verified token, or nothing with res set to
// the RFC 6750 error (401 missing or invalid, 400 malformed, 403 insufficient_scope). res carries
// the CORS headers either way.
std::optional<VerifiedToken> check_service_token(RouteCall& c, const std::string& service, HttpResponse& res);

// params: the service, then the path under it ("/…").
HttpResponse protected_api_route(RouteCall& c);

} // namespace authemu
