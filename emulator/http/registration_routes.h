// Dynamic client registration at /register (RFC 7591) and its management at /register/{client_id}
// (RFC 7592): the environment's policy (open, an initial access token, off), the JSON body, the
// registration access token; what a client is comes from oauth/registration.
#pragma once
#include "http/router.h"

namespace authemu {

HttpResponse register_route(RouteCall& c);
HttpResponse read_registration_route(RouteCall& c);
HttpResponse update_registration_route(RouteCall& c);
HttpResponse delete_registration_route(RouteCall& c);

} // namespace authemu
