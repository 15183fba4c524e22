// Browser sign-in at one environment, on the wire: the cookies (the session cookie
// authemu_sid_<environment>, the login page's binding authemu_login_<environment>), the login
// page, and the answers that carry a code or an error back to the client. Who signs in is decided
// in oauth/ (authorize_decision, login_form, end_session); this file turns those values into
// responses.
#pragma once
#include <optional>
#include <string>

#include "base/fetcher.h"
#include "base/http_types.h"
#include "http/responses.h"
#include "oauth/authorize_decision.h"
#include "oauth/end_session.h"
#include "oauth/form.h"
#include "oauth/login_form.h"
#include "oauth/sign_in.h"
#include "stack/environment.h"
#include "testkit/login_queue.h"

namespace authemu {

// Formance's delegated login: the environment's users sign in at another issuer (an environment of
// this process, or an external OpenID provider) through a client of theirs.
struct Delegation {
  std::string issuer; // the upstream's iss, as the users it creates name it
  std::string client_id, client_secret;
  std::string callback;            // <this environment's issuer>/authorize/callback
  Environment* upstream = nullptr; // an environment of this process; nullptr: the issuer over HTTP
  Fetcher* fetcher = nullptr;      // how the issuer over HTTP is reached (App's)
};

struct BrowserContext {
  const HttpRequest& req;
  Environment& env;
  LoginQueue& queue;
  bool secure; // the issuer is https: cookies get Secure
  std::optional<Delegation> delegation;
  SignInContext sign_in; // the environment's sign-in rules
  const std::string& label() const { return sign_in.label; }
  // The browser's session cookie, as sent.
  std::optional<std::string> session_cookie() const;
};

// The answer to a validated authorization request: a code (or error) redirect, the login page, or
// the delegated issuer.
HttpResponse authorize_request(BrowserContext& b, const AuthorizationRequest& r);
// The login page's form posts (action: user, password, anyone, deny).
HttpResponse login_submit(BrowserContext& b, const Params& form);
// RP-Initiated Logout: oauth/end_session's outcome, and the session cookie cleared.
HttpResponse end_session_answer(BrowserContext& b, const Params& params);

// An outcome of a sign-in step as a response: the answer to the client (with the new session's
// cookie), the login page, or the delegated issuer.
HttpResponse respond(BrowserContext& b, const AuthorizationRequest& r, const AuthorizeOutcome& outcome);
// The login page for r, parked and bound to this browser. device_user_code: a device request's,
// whose verification page a sign-in returns to.
HttpResponse show_login_page(BrowserContext& b, const AuthorizationRequest& r,
                             const std::string& device_user_code = "");
// Sets the session cookie for a session oauth/ started.
void set_session_cookie(const BrowserContext& b, HttpResponse& res, const std::string& cookie);

// Parks r while the browser is away (login page or delegated issuer), bound to this browser by the
// authemu_login_<environment> cookie that res then sets. Returns the request's id.
std::string park_request(BrowserContext& b, const AuthorizationRequest& r, HttpResponse& res, PendingLogin* out,
                         const std::string& device_user_code = "");
// The parked request id names, if this browser parked it; else the error page to show.
std::optional<PendingLogin> bound_request(BrowserContext& b, const std::string& id, HttpResponse* refusal);

// An answer sent to the client: 302 to the redirect URI (query or fragment), or the form_post page.
HttpResponse send_answer(const AuthorizationRequest& r, const AnswerParams& params);

} // namespace authemu
