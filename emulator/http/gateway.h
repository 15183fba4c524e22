// What the Formance gateway answers about its services, as the SDK's start-up checks call it:
// GET /versions and each listed stand-in service's info routes. Their rows check the token as the
// stand-in's do (router.h Needs::Bearer::service); nothing here stores anything.
#pragma once
#include "http/router.h"

namespace authemu {

// GET /versions: {"env","region","versions":[{"name","version","health"}]}, auth first.
HttpResponse versions_route(RouteCall& c);
// GET /api/<service>/_info, /api/<service>/_/info and /api/<service>/v2/_info (params: the
// service) for a listed service: the shape of that service's info; other services and methods
// go to the stand-in.
HttpResponse service_info_route(RouteCall& c);

} // namespace authemu
