// Handlers of the Formance management API (/clients, /users). The caller's bearer token (go-libs
// auth: auth:read/auth:write with --auth-check-scopes) is the rows' need (router.h), checked before.
#pragma once
#include "http/router.h"

namespace authemu {

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
