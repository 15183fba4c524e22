// RFC 7009: token revocation of refresh tokens (with the access tokens of their grant) and of
// access tokens.
#include "oauth/oauth_error.h"
#include "oauth/token_service.h"

namespace authemu {

void TokenService::revoke(const Params& params, const AuthenticatedClient& auth) const {
  const Client& caller = *auth.client;
  auto token = params.get("token");
  if (!token) throw oauth::invalid_request("token missing");
  int64_t now = ctx_.clock.now();

  // §2.1: the hint is only where to look first; every type is searched.
  switch (ctx_.store.revoke_refresh(*token, caller.id, now)) {
  case TokenStore::Revoke::done:
    return;
  case TokenStore::Revoke::other_client:
    throw oauth::unauthorized_client("the token was issued to another client");
  case TokenStore::Revoke::unknown:
    break;
  }
  VerifyResult v = ctx_.verifier.verify_access_token(*token);
  if (!v.token) return; // §2.2: invalid, expired or unknown tokens get 200 too
  if (v.token->client_id != caller.id) throw oauth::unauthorized_client("the token was issued to another client");
  auto jti = find_string(v.token->claims, "jti");
  if (jti) ctx_.store.revoke_access(*jti, v.token->exp, now);
}

} // namespace authemu
