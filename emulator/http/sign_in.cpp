#include "http/sign_in.h"

#include "base/base64.h"
#include "http/browser_binding.h"
#include "http/delegation.h"
#include "http/pages.h"
#include "jose/crypto.h"

namespace authemu {

namespace {

constexpr size_t kMaxPageUsers = 50; // one-click buttons on the login page

std::string session_cookie_name(const BrowserContext& b) {
  return "authemu_sid_" + b.label();
}

std::string login_cookie_name(const BrowserContext& b) {
  return "authemu_login_" + b.label();
}

HttpResponse login_page(BrowserContext& b, const PendingLogin& p, const std::string& request_id, int status,
                        const std::string& anyone_subject = "", const std::string& anyone_claims = "") {
  LoginPage page;
  if (!p.device_user_code.empty()) page.heading = "Sign in to approve a device";
  page.action = "login"; // relative: next to this /authorize, whatever prefix the browser used
  page.request_id = request_id;
  page.csrf = p.csrf;
  page.environment = b.label();
  auto client = b.env.clients().find(p.request.client_id);
  page.client = client && !client->name.empty() ? client->name : p.request.client_id;
  page.scope = p.request.scope;
  page.return_to = p.request.redirect_uri;
  page.login_hint = p.request.login_hint;
  page.error = p.error;
  page.anyone_subject = anyone_subject;
  page.anyone_claims = anyone_claims;
  page.sign_in_as_anyone = b.sign_in.sign_in_as_anyone;
  for (const auto& u : b.env.users().list()) {
    if (page.users.size() >= kMaxPageUsers) break;
    page.users.push_back(LoginPageUser{u->id, u->username, u->name, u->email});
  }
  return html_response(status, login_page_html(page));
}

std::optional<QueuedSignIn> take_queued(BrowserContext& b, const std::string& client_id) {
  auto q = b.queue.take(b.label(), client_id);
  if (!q) return std::nullopt;
  return QueuedSignIn{q->id, q->user, q->subject, q->claims, q->error, q->error_description};
}

} // namespace

std::optional<std::string> BrowserContext::session_cookie() const {
  return cookie_value(req, "authemu_sid_" + label());
}

void set_session_cookie(const BrowserContext& b, HttpResponse& res, const std::string& cookie) {
  set_cookie(res, session_cookie_name(b), cookie, b.secure);
}

HttpResponse send_answer(const AuthorizationRequest& r, const AnswerParams& params) {
  if (r.response_mode == "form_post") return html_response(200, form_post_html(r.redirect_uri, params), true);
  HttpResponse res;
  res.empty(302);
  res.set_header("Location", answer_location(r, params));
  res.set_header("Cache-Control", "no-store");
  return res;
}

HttpResponse respond(BrowserContext& b, const AuthorizationRequest& r, const AuthorizeOutcome& outcome) {
  switch (outcome.kind) {
  case AuthorizeOutcome::Kind::login_page:
    return show_login_page(b, r);
  case AuthorizeOutcome::Kind::delegate:
    return start_delegation(b, r);
  case AuthorizeOutcome::Kind::answer:
    break;
  }
  HttpResponse res = send_answer(r, outcome.answer);
  // The login cookie stays: other login pages of this browser may still be open.
  if (outcome.session_cookie) set_session_cookie(b, res, *outcome.session_cookie);
  return res;
}

HttpResponse authorize_request(BrowserContext& b, const AuthorizationRequest& r) {
  AuthorizeFacts facts;
  facts.queued = take_queued(b, r.client_id);
  facts.session_cookie = b.session_cookie();
  facts.delegated = b.delegation.has_value();
  return respond(b, r, decide_authorization(b.sign_in, r, facts));
}

std::string park_request(BrowserContext& b, const AuthorizationRequest& r, HttpResponse& res, PendingLogin* out,
                         const std::string& device_user_code) {
  int64_t now = b.sign_in.now();
  // The browser keeps one binding for all its pages, so that two sign-ins in two tabs both work.
  BrowserBinding binding = binding_of(b.req, login_cookie_name(b));
  PendingLogin p{r, base64url_encode(random_bytes(32)), sha256(binding.value), "", device_user_code};
  std::string id = b.env.authorizations().park(p, now + kLoginPageLifetime, now);
  set_cookie(res, login_cookie_name(b), binding.value, b.secure);
  if (out != nullptr) *out = p;
  return id;
}

std::optional<PendingLogin> bound_request(BrowserContext& b, const std::string& id, HttpResponse* refusal) {
  auto pending = b.env.authorizations().find_pending(id, b.sign_in.now());
  if (!pending) {
    *refusal = browser_error(b.req, 400, "invalid_request",
                             "This sign-in page is unknown or expired: start again from the application");
    return std::nullopt;
  }
  auto binding = cookie_value(b.req, login_cookie_name(b));
  if (!binding || !constant_time_equal(sha256(*binding), pending->browser)) {
    *refusal =
        browser_error(b.req, 403, "access_denied",
                      "This sign-in form was not opened in this browser (its cookie does not match): start again "
                      "from the application");
    return std::nullopt;
  }
  return pending;
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
  auto id = form.get("request").value_or("");
  HttpResponse refusal;
  auto pending = bound_request(b, id, &refusal);
  if (!pending) return refusal;
  if (!constant_time_equal(form.get("csrf").value_or(""), pending->csrf)) {
    return browser_error(b.req, 403, "access_denied",
                         "This sign-in form was not opened in this browser (its cookie or CSRF value does not match): "
                         "start again from the application");
  }
  LoginOutcome out = submit_login(b.sign_in, id, *pending, form, b.session_cookie());
  switch (out.kind) {
  case LoginOutcome::Kind::retry: { // the page again, with what the any-subject form held
    bool anyone = form.get("action").value_or("") == "anyone";
    return login_page(b, out.pending, id, out.status, anyone ? form.get("subject").value_or(" ") : "",
                      anyone ? form.get("claims").value_or("") : "");
  }
  case LoginOutcome::Kind::device_denied:
    return html_response(200,
                         message_page_html("Request denied", "The device was not signed in. You can close this page."));
  case LoginOutcome::Kind::used:
    return browser_error(b.req, 400, "invalid_request", "This sign-in page was already used: start again");
  case LoginOutcome::Kind::device_return: { // back to the verification page, now with a session
    HttpResponse res;
    set_session_cookie(b, res, *out.session_cookie);
    res.empty(303);
    res.set_header("Location", "device?user_code=" + display_user_code(pending->device_user_code));
    res.set_header("Cache-Control", "no-store");
    return res;
  }
  case LoginOutcome::Kind::answer:
    break;
  }
  return respond(b, pending->request, out.answer);
}

HttpResponse end_session_answer(BrowserContext& b, const Params& params) {
  EndSessionOutcome out = end_session(b.sign_in, params, b.session_cookie());
  HttpResponse res;
  if (out.location) {
    res.empty(302);
    res.set_header("Location", *out.location);
    res.set_header("Cache-Control", "no-store");
  } else {
    res = html_response(200, message_page_html("Signed out", "You are signed out of " + b.label() + "."));
  }
  clear_cookie(res, session_cookie_name(b), b.secure);
  return res;
}

} // namespace authemu
