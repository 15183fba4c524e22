// Handlers of the routes a browser visits: the authorization endpoint, the login page's form,
// logout, and the pushed authorization request endpoint a client calls before sending the
// browser (RFC 9126). The flow itself is in sign_in.h.
#pragma once
#include "http/router.h"
#include "http/sign_in.h"

namespace authemu {

// The sign-in context of a browser route: its environment, cookies' names and security.
BrowserContext context(RouteCall& c);

HttpResponse authorize_route(RouteCall& c);          // RFC 6749 §4.1.1, OIDC Core §3.1.2
HttpResponse authorize_callback_route(RouteCall& c); // the delegated issuer's answer (delegation.h)
HttpResponse login_route(RouteCall& c);              // the login page's forms
HttpResponse end_session_route(RouteCall& c);        // OIDC RP-Initiated Logout 1.0
HttpResponse par_route(RouteCall& c);                // RFC 9126 §2

} // namespace authemu
