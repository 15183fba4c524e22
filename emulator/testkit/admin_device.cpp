// The admin API's device flow controls (RFC 8628): list pending device requests, and approve or
// deny one by its user code as a chosen user, so a test of a CLI finishes the flow without a
// browser (AdminApi, admin_api.h).
#include "oauth/device_flow.h"
#include "testkit/admin_api.h"
#include "testkit/admin_input.h"

namespace authemu {

namespace {

Json device_json(const Environment& env, const DeviceRequest& r, int64_t now) {
  JsonObject o;
  o["environment"] = json_string(env.label());
  o["user_code"] = json_string(display_user_code(r.user_code));
  o["client_id"] = json_string(r.client_id);
  o["scope"] = json_string(r.scope);
  o["expires_in"] = json_int(r.exp - now);
  o["interval"] = json_int(r.interval);
  if (!r.prompt.empty()) o["prompt"] = json_string(r.prompt);
  if (!r.organization_id.empty()) o["organization_id"] = json_string(r.organization_id);
  if (!r.resource.empty()) o["resource"] = json_string(r.resource);
  if (auto u = env.users().find(r.hint_user)) o["hint_user"] = json_string(u->username);
  return Json(o);
}

} // namespace

HttpResponse AdminApi::devices(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  JsonArray list;
  for (Environment* e : select(all, in.environment())) {
    int64_t now = e->clock().now();
    for (const auto& r : e->devices().list_pending(now))
      list.push_back(device_json(*e, r, now));
  }
  return json_response(200, Json(JsonObject{{"devices", Json(list)}}));
}

HttpResponse AdminApi::decide_device(const HttpRequest& req, const std::string& user_code, bool approve) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  std::vector<Environment*> envs = select(all, in.environment());
  only_members(in.body, {"environment", "user"});
  auto code = normalize_user_code(user_code);
  if (!code)
    throw admin_api::validation("user_code: expected 8 letters of " + std::string(kUserCodeAlphabet) +
                                ", such as BCDF-GHJK");
  Environment* env = nullptr;
  std::optional<DeviceRequest> r;
  for (Environment* e : envs) {
    if ((r = e->devices().find_by_user_code(*code, e->clock().now()))) {
      env = e;
      break;
    }
  }
  auto unknown = [&] { return admin_api::not_found("no device request with code " + display_user_code(*code)); };
  auto decided = [&] {
    return admin_api::conflict("device request " + display_user_code(*code) + " was already decided");
  };
  if (env == nullptr) throw unknown();
  if (r->state != DeviceState::pending) throw decided();
  // The user: as given (id, username or email), else the one its id_token_hint named.
  std::string hint = in.text("user").value_or(r->hint_user);
  UserStore::Ptr user = hint.empty() ? nullptr : env->users().find_by_hint(hint);
  if (user == nullptr && (approve || !hint.empty())) {
    throw admin_api::validation(hint.empty() ? "user: required to approve (an id, username or email)"
                                             : "user: no user " + hint + " in " + env->label());
  }
  int64_t now = env->clock().now();
  if (approve) {
    if (auto why = device_approval_refusal(env->tokens().context(), *r, *user)) {
      throw admin_api::forbidden(*why);
    }
  }
  SignIn who{user ? user->id : "", now, {"test"}, ""};
  switch (env->devices().decide(*code, approve, who, now)) { // it may have changed since the lookup
  case DeviceStore::Decide::done:
    break;
  case DeviceStore::Decide::unknown:
    throw unknown();
  case DeviceStore::Decide::already_decided:
    throw decided();
  }
  JsonObject o = device_json(*env, *r, now).get<JsonObject>();
  o["decision"] = json_string(approve ? "approved" : "denied");
  if (user) o["user"] = json_string(user->username);
  return json_response(200, Json(o));
}

} // namespace authemu
