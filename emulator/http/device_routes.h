// Handlers of the device flow (RFC 8628): the device authorization endpoint a device calls, and
// the verification page a person opens to enter the code, sign in and approve or deny. The token
// request is a grant (oauth/grant_device_code.cpp).
#pragma once
#include "http/router.h"

namespace authemu {

HttpResponse device_authorization_route(RouteCall& c); // RFC 8628 §3.1
HttpResponse device_route(RouteCall& c);               // RFC 8628 §3.3, the verification page

} // namespace authemu
