// The authorization endpoint's decision (OIDC Core §3.1.2.3 – §3.1.2.6): from a validated request
// and what the browser brought (its session cookie, a test's queued entry), who signs in: a code
// (or error) for the client, the login page, or the delegated issuer. Unit-testable without
// sockets; the HTTP layer turns the outcome into cookies, pages and redirects.
#pragma once
#include <optional>
#include <string>

#include "base/json.h"
#include "oauth/sign_in.h"

namespace authemu {

// A test's queued answer for this authorization (the admin API's login queue): a user (id,
// username or email), any subject with claims, or an error.
struct QueuedSignIn {
  std::string id;
  std::string user;
  std::string subject;
  JsonObject claims;
  std::string error, error_description;
};

// What the request brought besides its parameters.
struct AuthorizeFacts {
  std::optional<std::string> session_cookie; // the browser's session cookie, as sent
  std::optional<QueuedSignIn> queued;        // taken from the queue for this request
  bool delegated = false;                    // the environment signs its users in at another issuer
};

AuthorizeOutcome decide_authorization(SignInContext& ctx, const AuthorizationRequest& r, const AuthorizeFacts& facts);

} // namespace authemu
