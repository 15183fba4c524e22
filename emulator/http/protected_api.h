// The stand-in for the other Formance services behind the gateway (/api/<service>/…): the row
// checks the bearer token and Formance's <service>:read/write scope rule (router.h), and the
// stand-in echoes what it saw, so a test can call "the ledger" with an authemu token. It refuses a
// token made for another resource (request_auth.cpp); audiences that are not URLs pass.
#pragma once
#include "http/router.h"

namespace authemu {

// params: the service, then the path under it ("/…"). OPTIONS: the CORS preflight.
HttpResponse protected_api_route(RouteCall& c);

// RFC 9728 §2: the stand-in service's protected resource metadata, at
// /.well-known/oauth-protected-resource/api/<service>[/…] and /api/<service>/.well-known/oauth-protected-resource.
HttpResponse resource_metadata_route(RouteCall& c);

// The stand-in service's resource identifier: <origin of the request>/api/<service>.
std::string service_resource(const Target& t);
// Its metadata document's URL (RFC 9728 §3.1, path insertion).
std::string service_resource_metadata_url(const Target& t);

} // namespace authemu
