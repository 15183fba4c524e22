#include "oauth/sign_in.h"

#include "jose/crypto.h"

namespace authemu {

User anyone_user(const std::string& subject, const JsonObject& claims, const std::string& role_claim) {
  User u;
  u.id = subject;
  u.username = subject;
  u.origin = "anyone";
  u.claims = claims;
  if (auto v = find_string(claims, "preferred_username")) u.username = *v;
  if (auto v = find_string(claims, "email")) u.email = *v;
  if (auto v = find_string(claims, "name")) u.name = *v;
  if (auto g = find_member(claims, role_claim); g && g->is<JsonArray>()) {
    for (const auto& item : g->get<JsonArray>()) {
      if (item.is<std::string>()) u.groups.push_back(item.get<std::string>());
    }
  }
  return u;
}

std::string add_anyone(SignInContext& ctx, const User& u) {
  if (auto existing = ctx.users.find(u.id); existing && existing->origin != "anyone") {
    return "subject " + u.id + " is the id of user " + existing->username + ": use its button instead";
  }
  switch (ctx.users.add(u, true)) {
  case UserStore::AddOutcome::added:
  case UserStore::AddOutcome::replaced:
    return "";
  case UserStore::AddOutcome::username_taken:
    return "preferred_username " + u.username + " belongs to another user";
  case UserStore::AddOutcome::full:
    return "too many users in this environment (" + std::to_string(kMaxUsers) + "); POST /_authemu/reset clears them";
  case UserStore::AddOutcome::id_taken:
    break;
  }
  return "subject " + u.id + " is taken";
}

std::string delegated_user(SignInContext& ctx, const std::string& issuer, const std::string& sub,
                           const std::string& email, const std::string& name, const std::string& username) {
  std::string id = uuid_v5(issuer + " " + sub);
  if (auto existing = ctx.users.find(id)) return existing->id;
  User u;
  u.id = id;
  u.origin = "delegated";
  u.upstream = issuer;
  u.subject = sub;
  u.email = email;
  u.name = name;
  u.username = !username.empty() ? username : !email.empty() ? email : sub;
  if (ctx.users.find_by_username(u.username)) u.username = id; // a fixture user of that name is another record
  switch (ctx.users.add(u)) {
  case UserStore::AddOutcome::added:
  case UserStore::AddOutcome::replaced:
  case UserStore::AddOutcome::id_taken: // a concurrent callback made it first
    return id;
  case UserStore::AddOutcome::username_taken:
    u.username = id;
    if (ctx.users.add(u) != UserStore::AddOutcome::full) return id;
    break;
  case UserStore::AddOutcome::full:
    break;
  }
  throw std::runtime_error("too many users in this environment");
}

std::optional<BrowserSession> session_of(const SignInContext& ctx, const std::optional<std::string>& cookie) {
  std::optional<BrowserSession> session;
  if (cookie) session = ctx.sessions.find_by_cookie(*cookie);
  if (session && ctx.users.find(session->user_id) == nullptr) session.reset();
  return session;
}

NewSession start_session(SignInContext& ctx, const std::optional<std::string>& old_cookie, const std::string& user_id,
                         std::vector<std::string> amr, const std::string& client_id) {
  if (old_cookie) {
    if (auto s = ctx.sessions.find_by_cookie(*old_cookie)) ctx.sessions.end(s->sid);
  }
  auto created = ctx.sessions.create(user_id, ctx.now(), std::move(amr));
  ctx.sessions.add_client(created.session.sid, client_id);
  return NewSession{created.session, created.cookie};
}

AuthorizeOutcome answer_with_code(SignInContext& ctx, const AuthorizationRequest& r, const SignIn& si) {
  int64_t now = ctx.now();
  int64_t exp = now + ctx.grants.settings.code_lifetime;
  std::string code = ctx.grants.authorizations.issue_code(AuthorizationCode{r, si, ""}, exp, now);
  AuthorizeOutcome out;
  out.answer = code_answer(r, code);
  return out;
}

AuthorizeOutcome answer_with_error(const AuthorizationRequest& r, const OAuthError& e) {
  AuthorizeOutcome out;
  out.answer = error_answer(r, e);
  return out;
}

AuthorizeOutcome complete_sign_in(SignInContext& ctx, const AuthorizationRequest& r,
                                  const std::optional<std::string>& old_cookie, const std::string& user_id,
                                  std::vector<std::string> amr) {
  int64_t now = ctx.now();
  NewSession s = start_session(ctx, old_cookie, user_id, amr, r.client_id);
  AuthorizeOutcome out = answer_with_code(ctx, r, SignIn{user_id, now, std::move(amr), s.session.sid});
  out.session_cookie = s.cookie;
  return out;
}

} // namespace authemu
