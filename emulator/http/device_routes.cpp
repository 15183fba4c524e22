#include "http/device_routes.h"

#include "base/base64.h"
#include "http/app.h"
#include "http/browser_binding.h"
#include "http/browser_routes.h"
#include "http/oauth_json.h"
#include "http/pages.h"
#include "jose/crypto.h"
#include "oauth/device_flow.h"

namespace authemu {

namespace {

// The verification page's browser binding (its own cookie): its hash keys the rate limit and the
// forms' anti-CSRF value is derived from it.
std::string binding_cookie(const BrowserContext& b) {
  return "authemu_device_" + b.label();
}

std::string csrf_of(const BrowserBinding& binding) {
  return base64url_encode(sha256("authemu device page:" + binding.value));
}

HttpResponse page(const BrowserContext& b, const BrowserBinding& binding, int status, std::string html) {
  HttpResponse res = html_response(status, std::move(html));
  if (binding.fresh) set_cookie(res, binding_cookie(b), binding.value, b.secure);
  return res;
}

HttpResponse message(const std::string& title, const std::string& text) {
  return html_response(200, message_page_html(title, text));
}

// The page once the code names a pending request r: deny, sign in (again, or as another user),
// consent, approve.
HttpResponse answer_request(RouteCall& c, BrowserContext& b, const BrowserBinding& binding, DevicePage& p,
                            const std::string& action, const DeviceRequest& r) {
  Environment& env = b.env;
  int64_t now = env.clock().now();
  auto session = session_of(b.sign_in, b.session_cookie());
  if (action == "deny") {
    env.devices().decide(r.user_code, false, SignIn{session ? session->user_id : "", now, {}, ""}, now);
    return message("Request denied", "The device was not signed in. You can close this page.");
  }
  auto user = session ? env.users().find(session->user_id) : nullptr;
  if (action == "switch" || user == nullptr) {
    AuthorizationRequest login;
    login.client_id = r.client_id;
    login.scope = r.scope;
    login.issuer = c.issuer();
    if (auto hinted = env.users().find(r.hint_user)) login.login_hint = hinted->username;
    return show_login_page(b, login, r.user_code);
  }
  p.user = user->name.empty() ? user->username : user->name + " (" + user->username + ")";
  if (action != "approve") return page(b, binding, 200, device_consent_html(p));

  if (auto why = device_approval_refusal(env.tokens().context(), r, *user)) {
    p.error = *why + ": sign in as another user.";
    return page(b, binding, 403, device_consent_html(p));
  }
  if (env.devices().decide(r.user_code, true, SignIn{user->id, session->auth_time, session->amr, session->sid}, now) !=
      DeviceStore::Decide::done) {
    p.error = "This code was already used: start again on your device.";
    return page(b, binding, 400, device_entry_html(p));
  }
  env.sessions().add_client(session->sid, r.client_id);
  return message("Device approved",
                 p.client + " is signed in as " + user->username + ". You can return to your device.");
}

} // namespace

HttpResponse device_authorization_route(RouteCall& c) {
  std::string issuer = c.issuer(); // the form and the client are the row's
  HttpResponse res;
  res.json(200, device_authorization_json(device_authorization(c.env().tokens().context(), *c.form, c.client->get(),
                                                               issuer, issuer + "/device")));
  return res;
}

HttpResponse device_route(RouteCall& c) {
  BrowserContext b = context(c);
  Environment& env = b.env;
  int64_t now = env.clock().now();
  bool post = c.req.method == "POST";
  Params params;
  try {
    if (post && !c.req.is_form_urlencoded()) {
      return browser_error(c.req, 415, "invalid_request", "the device page posts application/x-www-form-urlencoded");
    }
    params = post ? c.parsed->body() : c.parsed->query();
  } catch (const OAuthError& e) {
    return browser_error(c.req, 400, e.code(), e.description());
  }
  BrowserBinding binding = binding_of(c.req, binding_cookie(b));
  DevicePage p;
  p.action = "device"; // relative: next to this page, whatever prefix the browser used
  p.csrf = csrf_of(binding);
  p.environment = b.label();
  std::string action = post ? params.get("action").value_or("") : params.has("user_code") ? "code" : "";
  if (post && (binding.fresh || !constant_time_equal(params.get("csrf").value_or(""), p.csrf))) {
    return browser_error(c.req, 403, "access_denied",
                         "This form was not opened in this browser (its cookie or CSRF value does not match): open "
                         "the verification page again");
  }
  if (action.empty()) return page(b, binding, 200, device_entry_html(p));

  // RFC 8628 §5.1: wrong codes are limited per browser and for the whole environment.
  std::string key = sha256(binding.value);
  std::string typed = params.get("user_code").value_or("");
  p.user_code = typed.size() <= 64 ? typed : "";
  if (!env.devices().may_enter(key, now)) {
    p.error = "Too many wrong codes: wait a minute, then try again.";
    return page(b, binding, 429, device_entry_html(p));
  }
  auto code = normalize_user_code(typed);
  auto r = code ? env.devices().find_by_user_code(*code, now) : std::nullopt;
  if (!r) {
    env.devices().note_wrong_entry(key, now);
    p.error = code ? "No request has this code, or it has expired: check the code on your device."
                   : "A code is 8 letters, such as BCDF-GHJK.";
    return page(b, binding, 400, device_entry_html(p));
  }
  p.user_code = display_user_code(*code);
  if (r->state != DeviceState::pending) {
    p.error = "This code was already used: start again on your device.";
    return page(b, binding, 400, device_entry_html(p));
  }
  auto client = env.clients().find(r->client_id);
  p.client = client && !client->name.empty() ? client->name : r->client_id;
  p.scope = r->scope;
  return answer_request(c, b, binding, p, action, *r);
}

} // namespace authemu
