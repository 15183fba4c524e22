// What every browser sign-in step shares (authorize, the login form, the device page, the delegated
// login's callback): the environment's stores and settings as one context, the browser's session,
// who a sign-in stands for (fixture users, any subject, a delegated upstream's user), and the answer
// that carries a new code. Knows no HTTP: cookies arrive and leave as plain values.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "oauth/authorize.h"
#include "oauth/grant_context.h"
#include "store/session_store.h"
#include "store/user_store.h"

namespace authemu {

// How long a parked sign-in (the login page, a delegated login) stays valid.
constexpr int64_t kLoginPageLifetime = 1800;

struct SignInContext {
  const GrantContext& grants; // clients, authorizations, devices, tokens, verifier, clock, settings
  UserStore& users;           // run-time users are added here
  SessionStore& sessions;
  std::string login_mode; // "page" or "auto" (a client's loginMode wins)
  bool sign_in_as_anyone; // the login page's any-subject form
  std::string label;      // the environment's name, "default" for the default one
  int64_t now() const { return grants.clock.now(); }
};

// A user for any subject with any claims: the login page's "sign in as anyone" and queued
// entries. Standard claims fill the record's fields; all of them stay claims too.
User anyone_user(const std::string& subject, const JsonObject& claims, const std::string& role_claim);
// Stores an any-subject user; the message when its id or username belongs to another user.
std::string add_anyone(SignInContext& ctx, const User& u);
// The user of a delegated login's upstream (iss, sub): found, or made as Formance makes it (id
// UUIDv5(iss + " " + sub)). Throws std::runtime_error when the store is full.
std::string delegated_user(SignInContext& ctx, const std::string& issuer, const std::string& sub,
                           const std::string& email, const std::string& name, const std::string& username);

// The session a session cookie names, when its user still exists.
std::optional<BrowserSession> session_of(const SignInContext& ctx, const std::optional<std::string>& cookie);

// A browser's sign-in now: the session it starts (the browser's earlier one, named by old_cookie,
// ends) and the cookie value that names it.
struct NewSession {
  BrowserSession session;
  std::string cookie;
};
NewSession start_session(SignInContext& ctx, const std::optional<std::string>& old_cookie, const std::string& user_id,
                         std::vector<std::string> amr, const std::string& client_id);

// Where an authorization request goes next.
struct AuthorizeOutcome {
  enum class Kind {
    answer,     // send `answer` to the client (a code or an error)
    login_page, // show the login page
    delegate,   // send the browser to the delegated issuer
  };
  Kind kind = Kind::answer;
  AnswerParams answer;
  std::optional<std::string> session_cookie; // a session started: the browser's new cookie
};

// r answered with a new code for si (RFC 6749 §4.1.2), valid for the environment's code lifetime.
AuthorizeOutcome answer_with_code(SignInContext& ctx, const AuthorizationRequest& r, const SignIn& si);
// r answered with an error (RFC 6749 §4.1.2.1).
AuthorizeOutcome answer_with_error(const AuthorizationRequest& r, const OAuthError& e);
// Starts a session for the user (ending the browser's earlier one) and answers r with a code.
AuthorizeOutcome complete_sign_in(SignInContext& ctx, const AuthorizationRequest& r,
                                  const std::optional<std::string>& old_cookie, const std::string& user_id,
                                  std::vector<std::string> amr);

} // namespace authemu
