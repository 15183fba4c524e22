// The admin API's part of registration (RFC 7591 §3): initial access tokens for the environments
// whose /register wants one (--registration token).
#include "testkit/admin_api.h"
#include "testkit/admin_input.h"

namespace authemu {

HttpResponse AdminApi::registration_token(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  only_members(in.body, {"environment"});
  Environment& env = select_one(all, in.environment());
  JsonObject o;
  o["environment"] = json_string(env.label());
  o["token"] = json_string(env.issue_initial_access_token());
  o["registration_endpoint"] = json_string(env.settings().issuer + "/register");
  return json_response(201, Json(o));
}

} // namespace authemu
