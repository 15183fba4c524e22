// Browser sign-in at one environment: who an authorization request signs in (a queued test
// entry, the browser's session, auto mode or the login page) and the answer that carries the
// code back to the client. Owns the cookies: the session cookie authemu_sid_<environment>
// (HttpOnly, SameSite=Lax, Path=/) and the login page's browser binding authemu_login_<environment>.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "base/fetcher.h"
#include "base/http_types.h"
#include "http/responses.h"
#include "oauth/authorize.h"
#include "oauth/form.h"
#include "stack/environment.h"
#include "testkit/login_queue.h"

namespace authemu {

// How long a login page stays valid.
constexpr int64_t kLoginPageLifetime = 1800;

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
  std::string label; // the environment's name, "default" for the default one
  bool secure;       // the issuer is https: cookies get Secure
  std::optional<Delegation> delegation;
};

// The answer to a validated authorization request: a code (or error) redirect, or the login page.
HttpResponse authorize_request(BrowserContext& b, const AuthorizationRequest& r);
// The login page's form posts (action: user, password, anyone, deny).
HttpResponse login_submit(BrowserContext& b, const Params& form);
// RP-Initiated Logout 1.0 §2, §3: ends the session and, as Formance, revokes the user's access
// tokens for the client.
HttpResponse end_session(BrowserContext& b, const Params& params);

// The session the browser's cookie names, when its user still exists.
std::optional<BrowserSession> current_session(const BrowserContext& b);
// Starts a session for the user (ending the browser's earlier one), records the client, and sets
// the session cookie on res.
BrowserSession start_session(BrowserContext& b, const std::string& user_id, std::vector<std::string> amr,
                             const std::string& client_id, HttpResponse& res);
// The login page for r, parked and bound to this browser. device_user_code: a device request's,
// whose verification page a sign-in returns to.
HttpResponse show_login_page(BrowserContext& b, const AuthorizationRequest& r,
                             const std::string& device_user_code = "");

// Parks r while the browser is away (login page or delegated issuer), bound to this browser by the
// authemu_login_<environment> cookie that res then sets. Returns the request's id.
std::string park_request(BrowserContext& b, const AuthorizationRequest& r, HttpResponse& res, PendingLogin* out,
                         const std::string& device_user_code = "");
// The parked request id names, if this browser parked it; else the error page to show.
std::optional<PendingLogin> bound_request(BrowserContext& b, const std::string& id, HttpResponse* refusal);
// Starts a session for the user (ending the browser's earlier one) and answers r with a code.
HttpResponse complete_sign_in(BrowserContext& b, const AuthorizationRequest& r, const std::string& user_id,
                              std::vector<std::string> amr);

// An answer sent to the client: 302 to the redirect URI (query or fragment), or the form_post page.
HttpResponse send_answer(const AuthorizationRequest& r, const AnswerParams& params);

} // namespace authemu
