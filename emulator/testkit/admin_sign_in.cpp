// The admin API's browser sign-in controls: the queue of what the next authorizations do, the
// sessions, and users added or removed at run time (AdminApi, admin_api.h).
#include <algorithm>

#include "jose/crypto.h"
#include "store/client_store.h"
#include "testkit/admin_api.h"
#include "testkit/admin_input.h"

namespace authemu {

namespace {

Json login_json(const QueuedLogin& q) {
  JsonObject o;
  o["id"] = json_string(q.id);
  if (!q.environment.empty()) o["environment"] = json_string(q.environment);
  if (!q.client_id.empty()) o["client_id"] = json_string(q.client_id);
  if (!q.user.empty()) o["user"] = json_string(q.user);
  if (!q.subject.empty()) {
    o["subject"] = json_string(q.subject);
    o["claims"] = Json(q.claims);
  }
  if (!q.error.empty()) o["error"] = json_string(q.error);
  if (!q.error_description.empty()) o["error_description"] = json_string(q.error_description);
  o["remaining"] = json_int(q.remaining);
  return Json(o);
}

Json session_json(const Environment& env, const BrowserSession& s) {
  JsonObject o;
  o["environment"] = json_string(env.label());
  o["sid"] = json_string(s.sid);
  o["user_id"] = json_string(s.user_id);
  if (auto u = env.users().find(s.user_id)) o["username"] = json_string(u->username);
  o["auth_time"] = json_int(s.auth_time);
  o["amr"] = json_string_array(s.amr);
  o["clients"] = json_string_array(s.clients);
  return Json(o);
}

Json admin_user_json(const Environment& env, const User& u) {
  JsonObject o;
  o["environment"] = json_string(env.label());
  o["id"] = json_string(u.id);
  o["username"] = json_string(u.username);
  if (!u.email.empty()) o["email"] = json_string(u.email);
  if (!u.name.empty()) o["name"] = json_string(u.name);
  o["groups"] = json_string_array(u.groups);
  if (!u.claims.empty()) o["claims"] = Json(u.claims);
  if (!u.environments.empty()) o["environments"] = json_string_array(u.environments);
  o["origin"] = json_string(u.origin);
  if (!u.upstream.empty())
    o["upstream"] = Json(JsonObject{{"iss", json_string(u.upstream)}, {"sub", json_string(u.subject)}});
  return Json(o);
}

// Claims a user or a queued sign-in carries into every token: a JSON object of at most 8 KiB.
constexpr size_t kMaxClaimsBytes = 8192;
JsonObject claims_member(const JsonObject& body) {
  auto c = find_member(body, "claims");
  if (!c) return {};
  if (!c->is<JsonObject>()) throw admin_api::validation("claims: expected a JSON object");
  if (dump_json(*c).size() > kMaxClaimsBytes) {
    throw admin_api::validation("claims: longer than " + std::to_string(kMaxClaimsBytes) + " bytes as JSON");
  }
  return c->get<JsonObject>();
}

// An id, name or username: printable and bounded.
std::string checked(const std::optional<std::string>& v, const char* name, size_t max = 255) {
  if (!v) return "";
  if (v->empty() || v->size() > max) {
    throw admin_api::validation(std::string(name) + ": expected 1 to " + std::to_string(max) + " characters");
  }
  if (std::any_of(v->begin(), v->end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    throw admin_api::validation(std::string(name) + ": no control characters");
  }
  return *v;
}

// The display name of the environment a request chose, if it chose one (checked: it exists).
std::optional<std::string> chosen_name(const std::vector<Environment*>& envs, std::optional<std::string> chosen) {
  if (chosen) chosen = select(envs, chosen).front()->label();
  return chosen;
}

} // namespace

HttpResponse AdminApi::remove_login(const HttpRequest& req, const std::string& id) {
  read_input(req);
  if (!logins_.remove(id)) throw admin_api::not_found("no queued login " + id);
  return json_response(200, Json(JsonObject{{"removed", json_string(id)}}));
}

HttpResponse AdminApi::clear_logins(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  logins_.clear(chosen_name(all, in.environment()));
  return json_response(200, Json(JsonObject{{"logins", Json(JsonArray{})}}));
}

HttpResponse AdminApi::add_login(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  auto chosen = chosen_name(all, in.environment());
  only_members(in.body,
               {"environment", "client_id", "user", "subject", "claims", "error", "error_description", "count"});
  QueuedLogin q;
  q.environment = chosen.value_or("");
  q.client_id = checked(in.text("client_id"), "client_id");
  q.user = checked(in.text("user"), "user");
  q.subject = checked(in.text("subject"), "subject");
  q.error = checked(in.text("error"), "error", 64);
  q.error_description = checked(in.text("error_description"), "error_description", 1024);
  if (find_member(in.body, "claims")) {
    q.claims = claims_member(in.body);
    if (q.subject.empty()) throw admin_api::validation("claims: needs subject");
  }
  int given = !q.user.empty() + !q.subject.empty() + !q.error.empty();
  if (given != 1) throw admin_api::validation("body: give one of user, subject (with claims) or error");
  if (!q.error.empty()) {
    const auto& known = queued_login_errors();
    if (std::find(known.begin(), known.end(), q.error) == known.end()) {
      std::string list;
      for (const auto& e : known)
        list += (list.empty() ? "" : ", ") + e;
      throw admin_api::validation("error: expected one of " + list);
    }
  } else if (!q.error_description.empty()) {
    throw admin_api::validation("error_description: needs error");
  }
  if (!q.user.empty()) {
    bool found = false;
    for (Environment* e : select(all, chosen))
      found = found || e->users().find_by_hint(q.user) != nullptr;
    if (!found)
      throw admin_api::validation("user: no user " + q.user + (chosen ? " in environment " + *chosen : std::string()));
  }
  if (auto c = find_member(in.body, "count")) {
    if (!c->is<int64_t>() || c->get<int64_t>() < 1 || c->get<int64_t>() > 1000) {
      throw admin_api::validation("count: expected a whole number from 1 to 1000");
    }
    q.remaining = c->get<int64_t>();
  }
  if (!logins_.add(q)) {
    throw admin_api::conflict("the login queue is full (" + std::to_string(kMaxQueuedLogins) + ")");
  }
  return json_response(201, login_json(q));
}

HttpResponse AdminApi::logins(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  JsonArray list;
  for (const auto& q : logins_.list(chosen_name(all, in.environment())))
    list.push_back(login_json(q));
  return json_response(200, Json(JsonObject{{"logins", Json(list)}}));
}

HttpResponse AdminApi::end_session(const HttpRequest& req, const std::string& sid) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  for (Environment* e : select(all, in.environment())) {
    if (e->sessions().end(sid)) return json_response(200, Json(JsonObject{{"ended", json_string(sid)}}));
  }
  throw admin_api::not_found("no session " + sid);
}

HttpResponse AdminApi::end_sessions(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  JsonArray list;
  for (Environment* e : select(all, in.environment())) {
    for (const auto& s : e->sessions().list())
      list.push_back(session_json(*e, s));
    e->sessions().clear();
  }
  return json_response(200, Json(JsonObject{{"ended", Json(list)}}));
}

HttpResponse AdminApi::sessions(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  JsonArray list;
  for (Environment* e : select(all, in.environment())) {
    for (const auto& s : e->sessions().list())
      list.push_back(session_json(*e, s));
  }
  return json_response(200, Json(JsonObject{{"sessions", Json(list)}}));
}

HttpResponse AdminApi::users(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  JsonArray list;
  for (Environment* e : select(all, in.environment())) {
    for (const auto& u : e->users().list())
      list.push_back(admin_user_json(*e, *u));
  }
  return json_response(200, Json(JsonObject{{"users", Json(list)}}));
}

HttpResponse AdminApi::remove_user(const HttpRequest& req, const std::string& id) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  Environment& env = select_one(all, in.environment());
  if (!env.users().remove(id)) throw admin_api::not_found("no user " + id + " in " + env.label());
  env.sessions().end_for_user(id);
  return json_response(200, Json(JsonObject{{"removed", json_string(id)}}));
}

HttpResponse AdminApi::add_user(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  Environment& env = select_one(all, in.environment());
  only_members(in.body,
               {"environment", "id", "username", "password", "email", "name", "groups", "claims", "environments"});
  User u;
  u.origin = "admin";
  u.username = checked(in.text("username"), "username");
  if (u.username.empty()) throw admin_api::validation("username: required");
  u.id = checked(in.text("id"), "id");
  if (u.id.empty()) u.id = uuid_v4();
  if (auto p = in.text("password")) u.password_hash = hash_secret(*p);
  u.email = checked(in.text("email"), "email");
  u.name = checked(in.text("name"), "name");
  u.groups = string_list(in.body, "groups");
  u.environments = string_list(in.body, "environments");
  if (u.groups.size() > 100 || u.environments.size() > 100)
    throw admin_api::validation("groups, environments: at most 100 each");
  u.claims = claims_member(in.body);
  switch (env.users().add(u)) {
  case UserStore::AddOutcome::added:
  case UserStore::AddOutcome::replaced:
    break;
  case UserStore::AddOutcome::id_taken:
    throw admin_api::conflict("id: user " + u.id + " exists in " + env.label());
  case UserStore::AddOutcome::username_taken:
    throw admin_api::conflict("username: " + u.username + " is taken in " + env.label());
  case UserStore::AddOutcome::full:
    throw admin_api::conflict("too many users (" + std::to_string(kMaxUsers) + ")");
  }
  return json_response(201, admin_user_json(env, u));
}

} // namespace authemu
