// RFC 6749 §4.4: the client credentials grant, with Formance's scope rule.
#include "oauth/oauth_error.h"
#include "oauth/scope.h"
#include "oauth/token_service.h"

namespace authemu {

std::string TokenService::client_credentials(const Params& params, const std::optional<std::string>& authorization,
                                             const std::string& issuer) const {
  auto found = client_for_grant(params, authorization, "client_credentials");
  const Client& client = *found;

  // Formance: granted = requested ∩ client scopes, in request order; nothing requested, nothing granted.
  auto requested_text = params.get("scope");
  auto requested = parse_scope(requested_text.value_or(""));
  std::string granted = join_scope(intersect_scope(requested, client.scopes));

  int64_t lifetime = client.access_token_lifetime.value_or(settings_.access_token_lifetime);
  // RFC 9068 §2.2: with no resource owner, sub identifies the client.
  Issued t = issue_access_token(issuer, client.id, client.id, audience_for(client, nullptr), granted, lifetime, JsonObject{});

  JsonObject body;
  body["access_token"] = json_string(t.token);
  body["token_type"] = json_string("Bearer");
  body["expires_in"] = json_int(t.expires_in);
  // RFC 6749 §5.1: scope is required when it differs from the request; sent whenever one was asked.
  if (requested_text || !granted.empty()) body["scope"] = json_string(granted);
  // §4.4.3: no refresh token.
  return dump_json(Json(body));
}

}  // namespace authemu
