// RFC 6750 §2.2: the token as the access_token parameter of a POST's form body, where the resource
// takes it there (UserInfo).
#include "oauth/bearer_auth.h"

namespace authemu {

namespace {

std::optional<PresentedToken> find(const BearerRequest& r) {
  const HttpRequest& req = r.req;
  if (!r.form_token || req.method != "POST" || req.body.empty() || !req.is_form_urlencoded()) return std::nullopt;
  auto t = r.form.body().get("access_token"); // throws OAuthError for a malformed body
  if (!t) return std::nullopt;
  return PresentedToken{*t, false};
}

} // namespace

extern const BearerKind kBearerForm = {"form", "in the body", find};

} // namespace authemu
