// Response pieces every route handler shares: no-store, CORS and its preflight, the RFC 6749 §5.2
// error answer, and the one error guard that runs around every route. No routing here.
#pragma once
#include <functional>
#include <string>

#include "base/http_types.h"
#include "oauth/oauth_error.h"

namespace authemu {

constexpr char kRealm[] = "authemu";

bool is_get(const std::string& method); // GET or HEAD

// A quoted-string attribute value of WWW-Authenticate (RFC 6750 §3): no '"', '\' or controls inside.
std::string quoted(const std::string& s);

// RFC 6749 §5.1: responses that carry tokens must not be cached.
void no_store(HttpResponse& res);

// CORS for browser clients of the OAuth endpoints (as Formance's OIDC routes): any Origin is
// echoed (`null` too), with Access-Control-Allow-Credentials only when `credentials` (the caller
// knows the origin: a client's redirect URI or --cors-origins).
void cors(const HttpRequest& req, HttpResponse& res, bool credentials);
// The answer to an OPTIONS preflight of a route that allows `methods`.
HttpResponse preflight(const HttpRequest& req, const std::string& methods, bool credentials);

// RFC 6749 §5.2 body and status; 401 carries WWW-Authenticate.
void oauth_error_response(HttpResponse& res, const OAuthError& e);

// The shape of an API's errors: RFC 6749 §5.2 JSON, Formance's {"errorCode","errorMessage"}, or
// an HTML page for a browser.
enum class ErrorShape { oauth, formance, html };

// An error page in the browser; with Accept naming JSON and not HTML, the RFC 6749 §5.2 body.
// details_html (escaped already) follows the message on the page only.
HttpResponse browser_error(const HttpRequest& req, int status, const std::string& error, const std::string& message,
                           const std::string& details_html = "");

// Runs a route. OAuthError becomes its RFC 6749 §5.2 answer (for a browser, browser_error's page)
// and AdminError its Formance answer;
// anything else is logged and becomes a 500 in the API's error shape.
HttpResponse guarded(const HttpRequest& req, ErrorShape shape, const std::function<HttpResponse()>& route);

} // namespace authemu
