#include "http/management_routes.h"

#include "http/responses.h"

namespace authemu {

namespace {

HttpResponse answer(const ApiResult& r) {
  HttpResponse res;
  if (r.body.empty()) {
    res.empty(r.status);
  } else {
    res.json(r.status, r.body);
  }
  return res;
}

ManagementApi& api(RouteCall& c) {
  return c.env().management();
}

} // namespace

HttpResponse list_clients_route(RouteCall& c) {
  return answer(api(c).list_clients());
}
HttpResponse create_client_route(RouteCall& c) {
  return answer(api(c).create_client(c.req.body));
}
HttpResponse read_client_route(RouteCall& c) {
  return answer(api(c).read_client(c.params[0]));
}
HttpResponse update_client_route(RouteCall& c) {
  return answer(api(c).update_client(c.params[0], c.req.body));
}
HttpResponse delete_client_route(RouteCall& c) {
  return answer(api(c).delete_client(c.params[0]));
}
HttpResponse create_secret_route(RouteCall& c) {
  return answer(api(c).create_secret(c.params[0], c.req.body));
}
HttpResponse delete_secret_route(RouteCall& c) {
  return answer(api(c).delete_secret(c.params[0], c.params[1]));
}
HttpResponse list_users_route(RouteCall& c) {
  return answer(api(c).list_users());
}
HttpResponse read_user_route(RouteCall& c) {
  return answer(api(c).read_user(c.params[0]));
}

} // namespace authemu
