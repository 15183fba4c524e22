// Formance's delegated login (the auth service's --delegated-issuer; docs/browser.md, "Delegated login"):
// /authorize sends the browser to the delegated issuer's /authorize with redirect_uri
// <issuer>/authorize/callback; the callback exchanges the upstream's code, finds or makes the user
// of the upstream's (iss, sub) — id UUIDv5(iss + " " + sub), stable across runs — and finishes
// the original request.
#pragma once
#include "http/sign_in.h"

namespace authemu {

HttpResponse start_delegation(BrowserContext& b, const AuthorizationRequest& r);
// GET /authorize/callback?code&state (or error).
HttpResponse delegation_callback(BrowserContext& b, const Params& params);

} // namespace authemu
