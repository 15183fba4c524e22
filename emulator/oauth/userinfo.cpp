// OpenID Connect Core §5.3: the UserInfo claims of an access token, by scope (§5.4).
#include "oauth/oauth_error.h"
#include "oauth/token_service.h"

namespace authemu {

JsonObject TokenService::userinfo(const VerifiedToken& token) const {
  // User tokens carry preferred_username; a client credentials token's sub is its client.
  auto user = find_string(token.claims, "preferred_username") ? ctx_.users.find(token.sub) : nullptr;
  if (user == nullptr) throw oauth::insufficient_scope("the token has no user (client credentials?)");
  if (!token.has_scope("openid")) throw oauth::insufficient_scope("the token lacks scope openid");
  JsonObject o;
  o["sub"] = json_string(user->id);
  if (token.has_scope("profile")) {
    o["preferred_username"] = json_string(user->username);
    if (!user->name.empty()) o["name"] = json_string(user->name);
    o[ctx_.settings.role_claim] = json_string_array(user->groups);
    for (const auto& [k, v] : user->claims) {
      if (o.count(k) == 0) o[k] = v;
    }
  }
  if (token.has_scope("email") && !user->email.empty()) {
    o["email"] = json_string(user->email);
    o["email_verified"] = Json(true);
  }
  return o;
}

} // namespace authemu
