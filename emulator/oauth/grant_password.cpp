// RFC 6749 §4.3: the resource owner password credentials grant (TIBCO FTL and EMS clients).
#include "oauth/grant_context.h"
#include "oauth/oauth_error.h"
#include "oauth/resource.h"
#include "oauth/scope.h"

namespace authemu {

namespace {

TokenResponse handle(const GrantContext& ctx, const GrantRequest& req) {
  auto found = ctx.client_for_grant(req);
  const Client& client = *found;
  auto username = req.params.get("username");
  auto password = req.params.get("password");
  if (!username) throw oauth::invalid_request("username missing");
  if (!password) throw oauth::invalid_request("password missing");

  auto user = ctx.users.check_password(*username, *password);
  // RFC 6749 §5.2: wrong user credentials are invalid_grant, not invalid_client.
  if (user == nullptr) throw oauth::invalid_grant("invalid username or password");

  auto requested_text = req.params.get("scope");
  std::vector<std::string> allowed = client.scopes;
  allowed.insert(allowed.end(), kUserScopes.begin(), kUserScopes.end());
  auto requested = parse_scope(requested_text.value_or(""));
  std::string granted = join_scope(client.any_scope ? requested : intersect_scope(requested, allowed));

  RefreshGrant grant;
  grant.scope = granted;
  grant.audience = read_resources(req.params, client); // RFC 8707 §2: empty: the client's audience
  grant.auth_time = ctx.clock.now();
  return ctx.user_token_response(req, client, *user, granted, requested_text.has_value(), grant);
}

} // namespace

// Not in Formance's defaults: a client must list it.
extern const Grant kPasswordGrant = {"password", true, GrantDefault::nobody, nullptr, handle};

} // namespace authemu
