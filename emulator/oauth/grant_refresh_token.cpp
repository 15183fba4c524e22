// RFC 6749 §6: the refresh token grant, with rotation and reuse detection (OAuth 2.0 Security BCP
// §4.14.2).
#include <algorithm>

#include "oauth/oauth_error.h"
#include "oauth/scope.h"
#include "oauth/token_service.h"

namespace authemu {

std::string TokenService::refresh_token(const Params& params, const std::optional<std::string>& authorization,
                                        const std::string& issuer) const {
  auto found = client_for_grant(params, authorization, "refresh_token");
  const Client& client = *found;
  auto token = params.get("refresh_token");
  if (!token) throw oauth::invalid_request("refresh_token missing");
  int64_t now = clock_.now();

  // The scope check comes before the token is used up: a refused request changes nothing.
  auto requested_text = params.get("scope");
  std::optional<std::vector<std::string>> requested;
  if (requested_text) requested = parse_scope(*requested_text);
  if (auto peek = store_.find_refresh(*token, now); peek && peek->client_id == client.id && requested) {
    auto original = parse_scope(peek->scope);
    for (const auto& s : *requested) {
      if (std::find(original.begin(), original.end(), s) == original.end()) {
        throw oauth::invalid_scope("scope " + s + " was not granted originally; a refresh can only narrow scope");
      }
    }
  }

  RefreshGrant grant;
  switch (store_.use_refresh(*token, client.id, now, &grant)) {
    case TokenStore::Use::ok: break;
    case TokenStore::Use::unknown: throw oauth::invalid_grant("refresh token unknown, expired or revoked");
    case TokenStore::Use::other_client: throw oauth::invalid_grant("refresh token was issued to another client");
    case TokenStore::Use::reused:
      throw oauth::invalid_grant("refresh token already used: the grant is revoked, as a rotated token came back");
  }
  const User* user = users_.find(grant.user_id);
  if (user == nullptr) throw oauth::invalid_grant("the refresh token's user no longer exists");

  std::string scope = requested ? join_scope(*requested) : grant.scope;
  // The new refresh token keeps the original grant's scope as its ceiling (RFC 6749 §6).
  return user_token_response(issuer, client, *user, scope, requested.has_value(), grant);
}

}  // namespace authemu
