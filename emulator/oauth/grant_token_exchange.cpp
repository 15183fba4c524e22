// RFC 8693: token exchange at the platform issuer. A platform access token (subject_token) becomes
// a platform token bound to one environment (audience), which that environment's jwt-bearer
// grant accepts, as older fctl versions did before calling the stack.
#include <algorithm>

#include "oauth/client_auth.h"
#include "oauth/grant_context.h"
#include "oauth/oauth_error.h"
#include "oauth/scope.h"
#include "oauth/stack_target.h"

namespace authemu {

namespace {

constexpr char kAccessTokenType[] = "urn:ietf:params:oauth:token-type:access_token";
constexpr char kJwtTokenType[] = "urn:ietf:params:oauth:token-type:jwt";

TokenResponse handle(const GrantContext& ctx, const GrantRequest& req) {
  const Params& params = req.params;
  if (req.client != nullptr) ctx.client_for_grant(req); // a client only when one is named
  auto subject = params.get("subject_token");
  auto subject_type = params.get("subject_token_type");
  // §2.1: subject_token and subject_token_type are required; actor_token is not supported here.
  if (!subject) throw oauth::invalid_request("subject_token missing");
  if (!subject_type) throw oauth::invalid_request("subject_token_type missing");
  if (*subject_type != kAccessTokenType && *subject_type != kJwtTokenType) {
    throw oauth::invalid_request("subject_token_type " + *subject_type + " is not supported (access_token or jwt)");
  }
  if (params.has("actor_token")) throw oauth::invalid_request("actor_token is not supported");
  if (auto requested = params.get("requested_token_type"); requested && *requested != kAccessTokenType) {
    throw oauth::invalid_request("requested_token_type " + *requested + " is not supported (access_token)");
  }
  VerifyResult v = ctx.verifier.verify(*subject);
  if (!v.token) throw oauth::invalid_request("subject_token is invalid: " + v.error); // §2.2.2
  const VerifiedToken& t = *v.token;

  // The target: an environment name, its issuer, or fctl's stack://<organization>/<stack>.
  auto audience = params.get("audience");
  if (!audience) audience = params.get("resource");
  if (!audience) throw oauth::invalid_target("audience missing: name the environment to exchange for");
  std::string env_issuer = stack_target_issuer(ctx.settings, *audience, "");
  if (std::find(t.aud.begin(), t.aud.end(), env_issuer) == t.aud.end()) {
    throw oauth::invalid_target("the subject token is not valid for environment " + *audience);
  }
  auto granted = parse_scope(t.scope);
  std::vector<std::string> scopes = granted;
  if (auto requested = params.get("scope")) {
    scopes = parse_scope(*requested);
    for (const auto& s : scopes) {
      if (std::find(granted.begin(), granted.end(), s) == granted.end()) {
        throw oauth::invalid_scope("scope " + s + " is not in the subject token");
      }
    }
  }
  int64_t lifetime = std::min(ctx.settings.user_token_lifetime, t.exp - ctx.clock.now());
  // A subject token without a user (sub is its client) carries that client's claims; one with a
  // user, the user's names.
  JsonObject extra = ctx.claims_without_user(t.client_id, t.sub);
  for (const char* claim : {"preferred_username", "email", "name"}) {
    if (auto c = find_string(t.claims, claim)) extra[claim] = json_string(*c);
  }
  auto out = ctx.issue_access_token(req, t.client_id, t.sub, {env_issuer}, join_scope(scopes), lifetime, extra);
  TokenResponse r{out.token, out.expires_in};
  r.issued_token_type = kAccessTokenType; // §2.2.1
  r.scope = join_scope(scopes);
  return r;
}

bool on_platform(const GrantContext& ctx) {
  return ctx.settings.platform;
}

} // namespace

extern const Grant kTokenExchangeGrant = {"urn:ietf:params:oauth:grant-type:token-exchange",
                                          true,
                                          GrantDefault::nobody,
                                          on_platform,
                                          handle,
                                          GrantClient::when_named};

} // namespace authemu
