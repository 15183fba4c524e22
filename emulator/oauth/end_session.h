// RP-Initiated Logout 1.0 §2, §3 (the end_session endpoint's rules): which client and user the
// request names (id_token_hint, expired or not; client_id), whether post_logout_redirect_uri is
// registered, which sessions end and, as Formance, that the user's access tokens for the client are
// revoked (refresh tokens stay). Throws OAuthError invalid_request, shown on a page; no HTTP here.
#pragma once
#include <optional>
#include <string>

#include "oauth/form.h"
#include "oauth/sign_in.h"

namespace authemu {

struct EndSessionOutcome {
  std::optional<std::string> location; // the registered post_logout_redirect_uri, with state; none: a page
};

// session_cookie: the browser's session cookie, as sent.
EndSessionOutcome end_session(SignInContext& ctx, const Params& params,
                              const std::optional<std::string>& session_cookie);

} // namespace authemu
