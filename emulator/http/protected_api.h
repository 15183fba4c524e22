// The stand-in for the other Formance services behind the gateway (/api/<service>/…): the row
// checks the bearer token and Formance's <service>:read/write scope rule (router.h), and the
// stand-in echoes what it saw, so a test can call "the ledger" with an authemu token. It does not
// check aud.
#pragma once
#include "http/router.h"

namespace authemu {

// params: the service, then the path under it ("/…"). OPTIONS: the CORS preflight.
HttpResponse protected_api_route(RouteCall& c);

} // namespace authemu
