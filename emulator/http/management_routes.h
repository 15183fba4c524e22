// Handlers of the Formance management API (/clients, /users) and the caller's authentication
// (go-libs auth): a bearer access token of the environment, with auth:read/auth:write when
// --auth-check-scopes is on.
#pragma once
#include <optional>

#include "http/router.h"

namespace authemu {

// Nothing when the request may go on, else the 401 (Formance: any failure is 401, empty body).
std::optional<HttpResponse> check_management_auth(Environment& env, const HttpRequest& req);

HttpResponse list_clients_route(RouteCall& c);
HttpResponse create_client_route(RouteCall& c);
HttpResponse read_client_route(RouteCall& c);
HttpResponse update_client_route(RouteCall& c);
HttpResponse delete_client_route(RouteCall& c);
HttpResponse create_secret_route(RouteCall& c);
HttpResponse delete_secret_route(RouteCall& c);
HttpResponse list_users_route(RouteCall& c);
HttpResponse read_user_route(RouteCall& c);

} // namespace authemu
