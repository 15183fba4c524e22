// RFC 6749 §4.4: the client credentials grant, with Formance's scope rule.
#include "oauth/client_claims.h"
#include "oauth/grant_context.h"
#include "oauth/resource.h"
#include "oauth/scope.h"

namespace authemu {

namespace {

TokenResponse handle(const GrantContext& ctx, const GrantRequest& req) {
  auto found = ctx.client_for_grant(req);
  const Client& client = *found;

  // Formance: granted = requested ∩ client scopes, in request order; nothing requested, nothing granted.
  auto requested_text = req.params.get("scope");
  auto requested = parse_scope(requested_text.value_or(""));
  // A registered client without a scope list may ask for any (RFC 7591 §2: scope is optional).
  std::string granted = join_scope(client.any_scope ? requested : intersect_scope(requested, client.scopes));
  // RFC 8707 §2: the resources asked for are the token's audience, verbatim.
  std::vector<std::string> resources = read_resources(req.params, client);

  int64_t lifetime = client.access_token_lifetime.value_or(ctx.settings.access_token_lifetime);
  // RFC 9068 §2.2: with no resource owner, sub identifies the client.
  auto t = ctx.issue_access_token(req, client.id, client.id, resources.empty() ? ctx.audience_for(client, nullptr) : resources,
                                  granted, lifetime, client_claims(client, ctx.settings.role_claim));

  TokenResponse r{t.token, t.expires_in};
  // RFC 6749 §5.1: scope is required when it differs from the request; sent whenever one was asked.
  if (requested_text || !granted.empty()) r.scope = granted;
  return r; // §4.4.3: no refresh token.
}

} // namespace

// Formance: public clients are not given client_credentials, whatever their grant list says.
extern const Grant kClientCredentialsGrant = {"client_credentials", false, GrantDefault::confidential_clients, nullptr,
                                              handle};

} // namespace authemu
