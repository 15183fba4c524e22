// RFC 6749 §6: the refresh token grant, with rotation and reuse detection (OAuth 2.0 Security BCP
// §4.14.2).
#include <algorithm>

#include "oauth/grant_context.h"
#include "oauth/oauth_error.h"
#include "oauth/resource.h"
#include "oauth/scope.h"

namespace authemu {

namespace {

TokenResponse handle(const GrantContext& ctx, const GrantRequest& req) {
  auto found = ctx.client_for_grant(req);
  const Client& client = *found;
  auto token = req.params.get("refresh_token");
  if (!token) throw oauth::invalid_request("refresh_token missing");
  int64_t now = ctx.clock.now();

  // The scope check comes before the token is used up: a refused request changes nothing.
  auto requested_text = req.params.get("scope");
  std::optional<std::vector<std::string>> requested;
  if (requested_text) requested = parse_scope(*requested_text);
  auto peek = ctx.store.find_refresh(*token, now);
  // RFC 8705 §4: a bound refresh token comes with the certificate it is bound to.
  if (peek && peek->client_id == client.id && !peek->x5t.empty() &&
      (req.certificate == nullptr || req.certificate->thumbprint != peek->x5t)) {
    throw oauth::invalid_grant(std::string("refresh token is bound to a client certificate (RFC 8705 section 4): ") +
                               (req.certificate ? "this request presents another one" : "this request presents none"));
  }
  // RFC 9449 §5: a public client's DPoP-bound refresh token comes with a proof by its key.
  if (peek && peek->client_id == client.id && !peek->jkt.empty() && req.jkt != peek->jkt) {
    throw oauth::invalid_grant(std::string("refresh token is bound to a DPoP key (RFC 9449 section 5): ") +
                               (req.jkt.empty() ? "this request has no DPoP proof" : "this request's proof is signed by another key"));
  }
  if (peek && peek->client_id == client.id && requested) {
    auto original = parse_scope(peek->scope);
    for (const auto& s : *requested) {
      if (std::find(original.begin(), original.end(), s) == original.end()) {
        throw oauth::invalid_scope("scope " + s + " was not granted originally; a refresh can only narrow scope");
      }
    }
  }

  RefreshGrant grant;
  switch (ctx.store.use_refresh(*token, client.id, now, &grant)) {
  case TokenStore::Use::ok:
    break;
  case TokenStore::Use::unknown:
    throw oauth::invalid_grant("refresh token unknown, expired or revoked");
  case TokenStore::Use::other_client:
    throw oauth::invalid_grant("refresh token was issued to another client");
  case TokenStore::Use::reused:
    throw oauth::invalid_grant("refresh token already used: the grant is revoked, as a rotated token came back");
  }
  auto user = ctx.users.find(grant.user_id);
  if (user == nullptr) throw oauth::invalid_grant("the refresh token's user no longer exists");

  std::string scope = requested ? join_scope(*requested) : grant.scope;
  UserTokenOptions options;
  // RFC 8707 §2.2: a refresh may narrow the grant's resources for this access token, never widen them.
  if (auto resources = read_resources(req.params, client); !resources.empty()) {
    check_within(resources, grant.audience);
    options.audience = resources;
  }
  // The new refresh token keeps the original grant's scope as its ceiling (RFC 6749 §6).
  return ctx.user_token_response(req, client, *user, scope, requested.has_value(), grant, options);
}

} // namespace

extern const Grant kRefreshTokenGrant = {"refresh_token", true, GrantDefault::all_clients, nullptr, handle};

} // namespace authemu
