#include "oauth/login_form.h"

namespace authemu {

namespace {

struct Chosen {
  std::string user_id;
  std::vector<std::string> amr{"test"};
  std::string refusal; // set: the page again with this message
  int status = 400;
};

Chosen refuse(const std::string& message, int status) {
  Chosen c;
  c.refusal = message;
  c.status = status;
  return c;
}

Chosen by_password(SignInContext& ctx, const Params& form) {
  auto user = ctx.users.check_password(form.get("username").value_or(""), form.get("password").value_or(""));
  if (user == nullptr) return refuse("Wrong username or password.", 401);
  Chosen c;
  c.user_id = user->id;
  c.amr = {"pwd"};
  return c;
}

Chosen by_button(SignInContext& ctx, const Params& form) {
  auto user = ctx.users.find(form.get("user").value_or(""));
  if (!user) return refuse("That user no longer exists.", 400);
  Chosen c;
  c.user_id = user->id;
  return c;
}

Chosen as_anyone(SignInContext& ctx, const Params& form) {
  if (!ctx.sign_in_as_anyone) return refuse("Signing in as any subject is turned off here.", 403);
  std::string subject = form.get("subject").value_or("");
  std::string text = form.get("claims").value_or("");
  if (subject.empty() || subject.size() > 255) return refuse("The subject must be 1 to 255 characters.", 400);
  JsonObject claims;
  if (text.find_first_not_of(" \t\r\n") != std::string::npos) {
    std::string error;
    auto v = text.size() <= kMaxAnyoneClaims ? parse_json(text, &error) : std::nullopt;
    if (text.size() > kMaxAnyoneClaims) error = "longer than " + std::to_string(kMaxAnyoneClaims) + " bytes";
    if (!v || !v->is<JsonObject>()) {
      return refuse("The claims must be a JSON object: " + (v ? std::string("got another JSON value") : error), 400);
    }
    claims = v->get<JsonObject>();
  }
  User u = anyone_user(subject, claims, ctx.grants.settings.role_claim);
  if (auto why = add_anyone(ctx, u); !why.empty()) return refuse(why, 409);
  Chosen c;
  c.user_id = u.id;
  return c;
}

LoginOutcome of_kind(LoginOutcome::Kind kind) {
  LoginOutcome out;
  out.kind = kind;
  return out;
}

} // namespace

LoginOutcome submit_login(SignInContext& ctx, const std::string& id, const PendingLogin& pending, const Params& form,
                          const std::optional<std::string>& session_cookie) {
  const AuthorizationRequest& r = pending.request;
  const std::string& device = pending.device_user_code;
  std::string action = form.get("action").value_or("");
  if (action == "deny") {
    ctx.grants.authorizations.take_pending(id, ctx.now());
    if (!device.empty()) {
      ctx.grants.devices.decide(device, false, SignIn{}, ctx.now());
      return of_kind(LoginOutcome::Kind::device_denied);
    }
    LoginOutcome out = of_kind(LoginOutcome::Kind::answer);
    out.answer = answer_with_error(r, oauth::access_denied("the user denied the request"));
    return out;
  }
  Chosen chosen = action == "password" ? by_password(ctx, form)
                  : action == "user"   ? by_button(ctx, form)
                  : action == "anyone" ? as_anyone(ctx, form)
                                       : refuse("Choose a user, enter a password, or deny.", 400);
  if (!chosen.refusal.empty()) {
    LoginOutcome out = of_kind(LoginOutcome::Kind::retry);
    out.status = chosen.status;
    out.message = chosen.refusal;
    out.pending = pending;
    out.pending.error = chosen.refusal;
    ctx.grants.authorizations.update_pending(id, out.pending);
    return out;
  }
  if (!ctx.grants.authorizations.take_pending(id, ctx.now())) return of_kind(LoginOutcome::Kind::used);
  if (!device.empty()) { // back to the verification page, now with a session, to approve or deny
    LoginOutcome out = of_kind(LoginOutcome::Kind::device_return);
    out.session_cookie = start_session(ctx, session_cookie, chosen.user_id, chosen.amr, r.client_id).cookie;
    return out;
  }
  LoginOutcome out = of_kind(LoginOutcome::Kind::answer);
  out.answer = complete_sign_in(ctx, r, session_cookie, chosen.user_id, chosen.amr);
  return out;
}

} // namespace authemu
