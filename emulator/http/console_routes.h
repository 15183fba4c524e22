// The console's routes (GET /_authemu/console, its sign-in callback and its admin-token form) and
// each environment's built-in console client. Reads state through the admin API's read accessors;
// the page's actions call the admin API itself.
#pragma once
#include <optional>
#include <string>

#include "base/http_types.h"
#include "http/router.h"
#include "store/client_store.h"
#include "testkit/admin_guard.h"

namespace authemu {

HttpResponse console_route(RouteCall& c);
HttpResponse console_callback_route(RouteCall& c);
// POST /_authemu/console/token when no token is needed (none is set, or the cookie is already
// right): back to the console.
HttpResponse console_token_route(RouteCall& c);
// When the admin API refused a request for want of its token (denied, a 401): the console's token
// prompt for GET /_authemu/console, and for POST /_authemu/console/token the cookie (right token)
// or the prompt again; nothing for any other request.
std::optional<HttpResponse> console_unlock(const HttpRequest& req, const HttpResponse& denied, const AdminGuard& guard);
// An environment's built-in public client for "try a sign-in" (issuer: the environment's): the
// console's callback at the issuer's origin and at the loopback addresses (any port, RFC 8252 §7.3).
Client console_client(const std::string& issuer);

} // namespace authemu
