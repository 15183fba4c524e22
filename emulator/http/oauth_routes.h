// Handlers of the OAuth endpoints of an environment: token, introspection, revocation, userinfo,
// JWKS and discovery. Method checks, CORS, no-store and errors are the router's (router.h).
#pragma once
#include "http/router.h"

namespace authemu {

HttpResponse token_route(RouteCall& c);      // RFC 6749 §3.2
HttpResponse introspect_route(RouteCall& c); // RFC 7662
HttpResponse revoke_route(RouteCall& c);     // RFC 7009
HttpResponse userinfo_route(RouteCall& c);   // OIDC Core §5.3
HttpResponse jwks_route(RouteCall& c);       // RFC 7517
HttpResponse keys_pem_route(RouteCall& c);   // the JWKS's keys as PEM (RFC 7468 "PUBLIC KEY")
HttpResponse discovery_route(RouteCall& c);  // OIDC Discovery §4, RFC 8414 §3

} // namespace authemu
