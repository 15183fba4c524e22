// The login page's form (a browser sign-in step): what each action does with a parked request that
// the HTTP layer found and checked against this browser (cookie binding, CSRF value). Actions:
// `user` (a user's button), `password`, `anyone` (any subject with claims) and `deny`. No HTML here:
// the outcome says what the page or the client gets.
#pragma once
#include <optional>
#include <string>

#include "oauth/form.h"
#include "oauth/sign_in.h"

namespace authemu {

// Bytes of the any-subject form's claims JSON.
constexpr size_t kMaxAnyoneClaims = 8192;

struct LoginOutcome {
  enum class Kind {
    retry,         // the page again, with `message` and `status`
    answer,        // `answer` goes to the client
    device_denied, // a device request was denied: a message page
    device_return, // signed in for a device request: back to its verification page, with a session
    used,          // the parked request was used meanwhile (another tab)
  };
  Kind kind = Kind::retry;
  int status = 200;
  std::string message;
  PendingLogin pending;                      // retry: the request, with its message, as the page shows it again
  AuthorizeOutcome answer;                   // answer
  std::optional<std::string> session_cookie; // device_return: the browser's new session
};

// id: the parked request's id; pending: its record, bound to this browser.
LoginOutcome submit_login(SignInContext& ctx, const std::string& id, const PendingLogin& pending, const Params& form,
                          const std::optional<std::string>& session_cookie);

} // namespace authemu
