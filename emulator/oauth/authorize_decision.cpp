#include "oauth/authorize_decision.h"

namespace authemu {

namespace {

AuthorizeOutcome kind(AuthorizeOutcome::Kind k) {
  AuthorizeOutcome out;
  out.kind = k;
  return out;
}

// A queued test entry: its error, its any-subject user, or its user.
AuthorizeOutcome from_queue(SignInContext& ctx, const AuthorizationRequest& r, const AuthorizeFacts& facts) {
  const QueuedSignIn& q = *facts.queued;
  if (!q.error.empty()) {
    std::string why = q.error_description.empty() ? "queued by the admin API (" + q.id + ")" : q.error_description;
    return answer_with_error(r, oauth::with_code(q.error, why, 400));
  }
  std::string user_id;
  if (!q.subject.empty()) {
    User u = anyone_user(q.subject, q.claims, ctx.grants.settings.role_claim);
    if (auto why = add_anyone(ctx, u); !why.empty()) return answer_with_error(r, oauth::server_error(why));
    user_id = u.id;
  } else if (auto u = ctx.users.find_by_hint(q.user)) {
    user_id = u->id;
  } else {
    return answer_with_error(r, oauth::server_error("the queued user " + q.user + " does not exist"));
  }
  return complete_sign_in(ctx, r, facts.session_cookie, user_id, {"test"});
}

// Auto mode: the login_hint's user, or the first user, signs in without a page.
AuthorizeOutcome auto_sign_in(SignInContext& ctx, const AuthorizationRequest& r, const AuthorizeFacts& facts) {
  UserStore::Ptr user;
  if (!r.login_hint.empty()) {
    user = ctx.users.find_by_hint(r.login_hint);
  } else if (auto all = ctx.users.list(); !all.empty()) {
    user = all.front();
  }
  if (user == nullptr) {
    return answer_with_error(r, oauth::login_required(r.login_hint.empty() ? "no users to sign in (loginMode auto)"
                                                                           : "login_hint matches no user"));
  }
  return complete_sign_in(ctx, r, facts.session_cookie, user->id, {"test"});
}

} // namespace

AuthorizeOutcome decide_authorization(SignInContext& ctx, const AuthorizationRequest& r, const AuthorizeFacts& facts) {
  // A queued test entry wins over everything.
  if (facts.queued) return from_queue(ctx, r, facts);

  // The browser's session: single sign-on unless the request asks to authenticate again.
  std::optional<BrowserSession> session = session_of(ctx, facts.session_cookie);
  // OIDC Core §3.1.2.1 max_age; 0 asks for a new sign-in as prompt=login does (OIDC issue #993),
  // also within the second of the last one (and on a frozen clock).
  bool too_old = session && r.max_age && (*r.max_age == 0 || ctx.now() - session->auth_time > *r.max_age);
  // A login_hint naming another user than the session's asks for that user (OIDC Core §3.1.2.1).
  bool other_user = false;
  if (session && !r.login_hint.empty()) {
    auto hinted = ctx.users.find_by_hint(r.login_hint);
    other_user = hinted == nullptr || hinted->id != session->user_id;
  }
  if (session && !too_old && !other_user && !has_prompt(r, "login") && !has_prompt(r, "select_account")) {
    ctx.sessions.add_client(session->sid, r.client_id);
    return answer_with_code(ctx, r, SignIn{session->user_id, session->auth_time, session->amr, session->sid});
  }
  // OIDC Core §3.1.2.6: prompt=none may not show anything.
  if (has_prompt(r, "none")) {
    std::string why = !session     ? "prompt=none and no session"
                      : other_user ? "login_hint names another user than the session's"
                                   : "the session is older than max_age";
    return answer_with_error(r, oauth::login_required(why));
  }

  // Delegated: the upstream's login page (or its auto mode) decides.
  if (facts.delegated) return kind(AuthorizeOutcome::Kind::delegate);
  auto client = ctx.grants.clients.find(r.client_id);
  std::string mode = client && client->login_mode ? *client->login_mode : ctx.login_mode;
  if (mode == "auto") return auto_sign_in(ctx, r, facts);
  return kind(AuthorizeOutcome::Kind::login_page);
}

} // namespace authemu
