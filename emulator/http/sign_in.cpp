#include "http/sign_in.h"

#include <algorithm>
#include <cctype>

#include "base/base64.h"
#include "http/delegation.h"
#include "http/pages.h"
#include "jose/crypto.h"

namespace authemu {

namespace {

constexpr size_t kMaxPageUsers = 50;      // one-click buttons on the login page
constexpr size_t kMaxAnyoneClaims = 8192; // bytes of the any-subject form's JSON

std::string cookie_attributes(bool secure) {
  return std::string("; Path=/; HttpOnly; SameSite=Lax") + (secure ? "; Secure" : "");
}

std::string session_cookie(const BrowserContext& b) {
  return "authemu_sid_" + b.label;
}

std::string login_cookie(const BrowserContext& b) {
  return "authemu_login_" + b.label;
}

// A binding value as authorize_request makes them: 32 random bytes in base64url.
bool is_binding(const std::string& v) {
  return v.size() == 43 && std::all_of(v.begin(), v.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
         });
}

void clear_cookie(HttpResponse& res, const std::string& name, bool secure) {
  res.add_header("Set-Cookie", name + "=" + cookie_attributes(secure) + "; Max-Age=0");
}

// A user for any subject with any claims: the login page's "sign in as anyone" and queued
// entries. Standard claims fill the record's fields; all of them stay claims too.
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

// Stores an any-subject user; the message when its id or username belongs to another user.
std::string add_anyone(Environment& env, const User& u) {
  if (auto existing = env.users().find(u.id); existing && existing->origin != "anyone") {
    return "subject " + u.id + " is the id of user " + existing->username + ": use its button instead";
  }
  switch (env.users().add(u, true)) {
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

// The answer to r with a new code for si (RFC 6749 §4.1.2), valid for the environment's code lifetime.
HttpResponse answer_with_code(Environment& env, const AuthorizationRequest& r, SignIn si) {
  int64_t now = env.clock().now();
  int64_t exp = now + env.settings().tokens.code_lifetime;
  std::string code = env.authorizations().issue_code(AuthorizationCode{r, std::move(si), ""}, exp, now);
  return send_answer(r, code_answer(r, code));
}

} // namespace

HttpResponse complete_sign_in(BrowserContext& b, const AuthorizationRequest& r, const std::string& user_id,
                              std::vector<std::string> amr) {
  int64_t now = b.env.clock().now();
  HttpResponse cookies;
  BrowserSession s = start_session(b, user_id, amr, r.client_id, cookies);
  HttpResponse res = answer_with_code(b.env, r, SignIn{user_id, now, std::move(amr), s.sid});
  for (const auto& [k, v] : cookies.headers)
    res.add_header(k, v);
  return res; // the login cookie stays: other login pages of this browser may still be open
}

std::optional<BrowserSession> current_session(const BrowserContext& b) {
  std::optional<BrowserSession> session;
  if (auto cookie = b.req.cookie(session_cookie(b))) session = b.env.sessions().find_by_cookie(*cookie);
  if (session && b.env.users().find(session->user_id) == nullptr) session.reset();
  return session;
}

BrowserSession start_session(BrowserContext& b, const std::string& user_id, std::vector<std::string> amr,
                             const std::string& client_id, HttpResponse& res) {
  int64_t now = b.env.clock().now();
  if (auto old = b.req.cookie(session_cookie(b))) {
    if (auto s = b.env.sessions().find_by_cookie(*old)) b.env.sessions().end(s->sid);
  }
  auto created = b.env.sessions().create(user_id, now, std::move(amr));
  b.env.sessions().add_client(created.session.sid, client_id);
  res.add_header("Set-Cookie", session_cookie(b) + "=" + created.cookie + cookie_attributes(b.secure));
  return created.session;
}

std::string park_request(BrowserContext& b, const AuthorizationRequest& r, HttpResponse& res, PendingLogin* out,
                         const std::string& device_user_code) {
  int64_t now = b.env.clock().now();
  // The browser keeps one binding for all its pages, so that two sign-ins in two tabs both work.
  auto existing = b.req.cookie(login_cookie(b));
  std::string binding = existing && is_binding(*existing) ? *existing : base64url_encode(random_bytes(32));
  PendingLogin p{r, base64url_encode(random_bytes(32)), sha256(binding), "", device_user_code};
  std::string id = b.env.authorizations().park(p, now + kLoginPageLifetime, now);
  res.add_header("Set-Cookie", login_cookie(b) + "=" + binding + cookie_attributes(b.secure));
  if (out != nullptr) *out = p;
  return id;
}

std::optional<PendingLogin> bound_request(BrowserContext& b, const std::string& id, HttpResponse* refusal) {
  auto pending = b.env.authorizations().find_pending(id, b.env.clock().now());
  if (!pending) {
    *refusal = browser_error(b.req, 400, "invalid_request",
                             "This sign-in page is unknown or expired: start again from the application");
    return std::nullopt;
  }
  auto binding = b.req.cookie(login_cookie(b));
  if (!binding || !constant_time_equal(sha256(*binding), pending->browser)) {
    *refusal =
        browser_error(b.req, 403, "access_denied",
                      "This sign-in form was not opened in this browser (its cookie does not match): start again "
                      "from the application");
    return std::nullopt;
  }
  return pending;
}

namespace {

HttpResponse login_page(BrowserContext& b, const PendingLogin& p, const std::string& request_id, int status,
                        const std::string& anyone_subject = "", const std::string& anyone_claims = "") {
  LoginPage page;
  if (!p.device_user_code.empty()) page.heading = "Sign in to approve a device";
  page.action = "login"; // relative: next to this /authorize, whatever prefix the browser used
  page.request_id = request_id;
  page.csrf = p.csrf;
  page.environment = b.label;
  auto client = b.env.clients().find(p.request.client_id);
  page.client = client && !client->name.empty() ? client->name : p.request.client_id;
  page.scope = p.request.scope;
  page.return_to = p.request.redirect_uri;
  page.login_hint = p.request.login_hint;
  page.error = p.error;
  page.anyone_subject = anyone_subject;
  page.anyone_claims = anyone_claims;
  page.sign_in_as_anyone = b.env.settings().sign_in_as_anyone;
  for (const auto& u : b.env.users().list()) {
    if (page.users.size() >= kMaxPageUsers) break;
    page.users.push_back(LoginPageUser{u->id, u->username, u->name, u->email});
  }
  return html_response(status, login_page_html(page));
}

} // namespace

HttpResponse send_answer(const AuthorizationRequest& r, const AnswerParams& params) {
  if (r.response_mode == "form_post") return html_response(200, form_post_html(r.redirect_uri, params), true);
  HttpResponse res;
  res.empty(302);
  res.set_header("Location", answer_location(r, params));
  res.set_header("Cache-Control", "no-store");
  return res;
}

HttpResponse authorize_request(BrowserContext& b, const AuthorizationRequest& r) {
  Environment& env = b.env;
  int64_t now = env.clock().now();
  auto client = env.clients().find(r.client_id);

  // A queued test entry wins over everything.
  if (auto q = b.queue.take(b.label, r.client_id)) {
    if (!q->error.empty()) {
      return send_answer(r, error_answer(r, oauth::with_code(q->error,
                                                                   q->error_description.empty()
                                                                       ? "queued by the admin API (" + q->id + ")"
                                                                       : q->error_description,
                                                                   400)));
    }
    std::string user_id;
    if (!q->subject.empty()) {
      User u = anyone_user(q->subject, q->claims, env.settings().tokens.role_claim);
      if (auto why = add_anyone(env, u); !why.empty()) return send_answer(r, error_answer(r, oauth::server_error(why)));
      user_id = u.id;
    } else if (auto u = env.users().find_by_hint(q->user)) {
      user_id = u->id;
    } else {
      return send_answer(r, error_answer(r, oauth::server_error("the queued user " + q->user + " does not exist")));
    }
    return complete_sign_in(b, r, user_id, {"test"});
  }

  // The browser's session: single sign-on unless the request asks to authenticate again.
  std::optional<BrowserSession> session = current_session(b);
  // OIDC Core §3.1.2.1 max_age; 0 asks for a new sign-in as prompt=login does (OIDC issue #993),
  // also within the second of the last one (and on a frozen clock).
  bool too_old = session && r.max_age && (*r.max_age == 0 || now - session->auth_time > *r.max_age);
  // A login_hint naming another user than the session's asks for that user (OIDC Core §3.1.2.1).
  bool other_user = false;
  if (session && !r.login_hint.empty()) {
    auto hinted = env.users().find_by_hint(r.login_hint);
    other_user = hinted == nullptr || hinted->id != session->user_id;
  }
  if (session && !too_old && !other_user && !has_prompt(r, "login") && !has_prompt(r, "select_account")) {
    env.sessions().add_client(session->sid, r.client_id);
    return answer_with_code(env, r, SignIn{session->user_id, session->auth_time, session->amr, session->sid});
  }
  if (has_prompt(r, "none")) {
    std::string why = !session     ? "prompt=none and no session"
                      : other_user ? "login_hint names another user than the session's"
                                   : "the session is older than max_age";
    return send_answer(r, error_answer(r, oauth::login_required(why)));
  }

  // Delegated: the upstream's login page (or its auto mode) decides.
  if (b.delegation) return start_delegation(b, r);
  std::string mode = client && client->login_mode ? *client->login_mode : env.settings().login_mode;
  if (mode == "auto") {
    UserStore::Ptr user;
    if (!r.login_hint.empty()) {
      user = env.users().find_by_hint(r.login_hint);
    } else if (auto all = env.users().list(); !all.empty()) {
      user = all.front();
    }
    if (user == nullptr) {
      return send_answer(r, error_answer(r, oauth::login_required(
                                                           r.login_hint.empty() ? "no users to sign in (loginMode auto)"
                                                                                : "login_hint matches no user")));
    }
    return complete_sign_in(b, r, user->id, {"test"});
  }

  return show_login_page(b, r);
}

HttpResponse show_login_page(BrowserContext& b, const AuthorizationRequest& r, const std::string& device_user_code) {
  // Bound to this browser by a cookie and to its form by a CSRF value.
  HttpResponse cookies;
  PendingLogin p;
  std::string id = park_request(b, r, cookies, &p, device_user_code);
  HttpResponse res = login_page(b, p, id, 200);
  for (const auto& [k, v] : cookies.headers)
    res.add_header(k, v);
  return res;
}

HttpResponse login_submit(BrowserContext& b, const Params& form) {
  Environment& env = b.env;
  int64_t now = env.clock().now();
  auto id = form.get("request").value_or("");
  HttpResponse refusal;
  auto pending = bound_request(b, id, &refusal);
  if (!pending) return refusal;
  if (!constant_time_equal(form.get("csrf").value_or(""), pending->csrf)) {
    return browser_error(b.req, 403, "access_denied",
                         "This sign-in form was not opened in this browser (its cookie or CSRF value does not match): "
                         "start again from the application");
  }
  const AuthorizationRequest& r = pending->request;
  // The page again with a message (and what the any-subject form held).
  auto retry = [&](const std::string& message, int status) {
    PendingLogin p = *pending;
    p.error = message;
    env.authorizations().update_pending(id, p);
    bool anyone = form.get("action").value_or("") == "anyone";
    return login_page(b, p, id, status, anyone ? form.get("subject").value_or(" ") : "",
                      anyone ? form.get("claims").value_or("") : "");
  };
  std::string action = form.get("action").value_or("");
  const std::string& device = pending->device_user_code;
  if (action == "deny") {
    env.authorizations().take_pending(id, now);
    if (!device.empty()) {
      env.devices().decide(device, false, SignIn{}, now);
      return html_response(
          200, message_page_html("Request denied", "The device was not signed in. You can close this page."));
    }
    return send_answer(r, error_answer(r, oauth::access_denied("the user denied the request")));
  }
  std::string user_id;
  std::vector<std::string> amr{"test"};
  if (action == "password") {
    auto username = form.get("username").value_or("");
    auto password = form.get("password").value_or("");
    auto user = env.users().find_by_username(username);
    // Hash and compare even for an unknown user, so both failures take the same time.
    bool ok = constant_time_equal(hash_secret(password), user ? user->password_hash : std::string(44, '\0'));
    if (!user || !ok || user->password_hash.empty()) return retry("Wrong username or password.", 401);
    user_id = user->id;
    amr = {"pwd"};
  } else if (action == "user") {
    auto user = env.users().find(form.get("user").value_or(""));
    if (!user) return retry("That user no longer exists.", 400);
    user_id = user->id;
  } else if (action == "anyone") {
    if (!env.settings().sign_in_as_anyone) return retry("Signing in as any subject is turned off here.", 403);
    std::string subject = form.get("subject").value_or("");
    std::string text = form.get("claims").value_or("");
    if (subject.empty() || subject.size() > 255) return retry("The subject must be 1 to 255 characters.", 400);
    JsonObject claims;
    if (text.find_first_not_of(" \t\r\n") != std::string::npos) {
      std::string error;
      auto v = text.size() <= kMaxAnyoneClaims ? parse_json(text, &error) : std::nullopt;
      if (text.size() > kMaxAnyoneClaims) error = "longer than " + std::to_string(kMaxAnyoneClaims) + " bytes";
      if (!v || !v->is<JsonObject>()) {
        return retry("The claims must be a JSON object: " + (v ? std::string("got another JSON value") : error), 400);
      }
      claims = v->get<JsonObject>();
    }
    User u = anyone_user(subject, claims, env.settings().tokens.role_claim);
    if (auto why = add_anyone(env, u); !why.empty()) return retry(why, 409);
    user_id = u.id;
  } else {
    return retry("Choose a user, enter a password, or deny.", 400);
  }
  if (!env.authorizations().take_pending(id, now)) {
    return browser_error(b.req, 400, "invalid_request", "This sign-in page was already used: start again");
  }
  if (!device.empty()) { // back to the verification page, now with a session, to approve or deny
    HttpResponse res;
    start_session(b, user_id, amr, r.client_id, res);
    res.empty(303);
    res.set_header("Location", "device?user_code=" + display_user_code(device));
    res.set_header("Cache-Control", "no-store");
    return res;
  }
  return complete_sign_in(b, r, user_id, amr);
}

HttpResponse end_session(BrowserContext& b, const Params& params) {
  Environment& env = b.env;
  int64_t now = env.clock().now();
  // The hint identifies the user, client and session; an expired one still does (§2).
  std::string hint_sub, hint_sid;
  std::vector<std::string> hint_aud;
  if (auto hint = params.get("id_token_hint")) {
    std::string why;
    auto claims = env.verifier().verify_hint(*hint, &why);
    if (!claims) {
      return browser_error(b.req, 400, "invalid_request", "id_token_hint is not an ID token of this issuer: " + why);
    }
    hint_sub = find_string(*claims, "sub").value_or("");
    hint_sid = find_string(*claims, "sid").value_or("");
    hint_aud = audience_of(*claims);
  }
  std::string client_id = params.get("client_id").value_or(hint_aud.empty() ? "" : hint_aud.front());
  if (!hint_aud.empty() && std::find(hint_aud.begin(), hint_aud.end(), client_id) == hint_aud.end()) {
    return browser_error(b.req, 400, "invalid_request", "client_id is not the audience of id_token_hint");
  }
  ClientStore::Ptr client = client_id.empty() ? nullptr : env.clients().find(client_id);
  if (!client_id.empty() && client == nullptr) {
    return browser_error(b.req, 400, "invalid_request", "unknown client " + client_id);
  }
  auto target = params.get("post_logout_redirect_uri");
  if (target) {
    if (client == nullptr) {
      return browser_error(b.req, 400, "invalid_request",
                           "post_logout_redirect_uri needs client_id or id_token_hint to name the client");
    }
    // Matched as redirect URIs are: exactly, or on any port for http loopback IPs (RFC 8252 §7.3),
    // so a native app on an ephemeral port can come back after logout too.
    const auto& uris = client->post_logout_redirect_uris;
    if (std::none_of(uris.begin(), uris.end(),
                     [&](const std::string& u) { return redirect_uri_matches(u, *target); })) {
      return browser_error(b.req, 400, "invalid_request", "post_logout_redirect_uri invalid"); // Formance's words
    }
  }

  // The browser's session, and the hint's when it is the same user's.
  std::vector<BrowserSession> ended;
  if (auto cookie = b.req.cookie(session_cookie(b))) {
    if (auto s = env.sessions().find_by_cookie(*cookie)) ended.push_back(*s);
  }
  if (!hint_sid.empty()) {
    if (auto s = env.sessions().find(hint_sid); s && (hint_sub.empty() || s->user_id == hint_sub)) ended.push_back(*s);
  }
  std::string user_id = !hint_sub.empty() ? hint_sub : (ended.empty() ? "" : ended.front().user_id);
  // As Formance: the user's access tokens for the client (refresh tokens stay).
  std::vector<std::string> clients;
  if (client != nullptr) {
    clients.push_back(client->id);
  } else {
    for (const auto& s : ended)
      clients.insert(clients.end(), s.clients.begin(), s.clients.end());
  }
  if (!user_id.empty()) {
    for (const auto& c : clients)
      env.token_store().revoke_user_access(c, user_id, now);
  }
  for (const auto& s : ended)
    env.sessions().end(s.sid);

  HttpResponse res;
  if (target) {
    std::string location = *target;
    if (auto state = params.get("state")) {
      location += (location.find('?') == std::string::npos ? "?" : "&") + form_encode({{"state", *state}});
    }
    res.empty(302);
    res.set_header("Location", location);
    res.set_header("Cache-Control", "no-store");
  } else {
    res = html_response(200, message_page_html("Signed out", "You are signed out of " + b.label + "."));
  }
  clear_cookie(res, session_cookie(b), b.secure);
  return res;
}

} // namespace authemu
