// RFC 7523 §2.1: the JWT bearer grant with a platform token as the assertion, as Formance Cloud
// turns a membership token into a stack token. Each failed check is invalid_grant saying which.
#include "oauth/client_auth.h"
#include "oauth/grant_context.h"
#include "oauth/oauth_error.h"
#include "oauth/scope.h"

namespace authemu {

namespace {

TokenResponse handle(const GrantContext& ctx, const GrantRequest& req) {
  // Client authentication is optional for this grant (fctl sends none); when sent, it must hold.
  std::string client_id = req.client != nullptr ? req.client->client->id : "";
  auto assertion = req.params.get("assertion");
  if (!assertion) throw oauth::invalid_request("assertion missing");

  const PlatformTrust& p = *ctx.platform_trust;
  // The platform's keys and issuers; RFC 7523 §3: aud must name this environment. Not revocation.
  TokenVerifier assertions(*p.keys, p.trusts_issuer, ctx.clock, nullptr,
                           [&ctx](const std::string& aud) { return ctx.verifier.trusts_issuer(aud); });
  VerifyResult v = assertions.verify(*assertion);
  using C = VerifyCode;
  if (v.code == C::malformed) throw oauth::invalid_grant("assertion is not a JWT: " + v.error);
  // RFC 7523 §3: the checks, in the order Formance makes them.
  if (v.has_failed({C::no_iss, C::untrusted_issuer})) {
    throw oauth::invalid_grant("assertion issuer " + v.iss.value_or("(none)") + " is not the platform issuer " +
                               p.issuer);
  }
  // RFC 8725 §3.1: the platform key decides the algorithm.
  if (v.key && v.has_failed({C::no_alg, C::alg_mismatch})) {
    throw oauth::invalid_grant("assertion alg " + v.alg.value_or("(none)") + " does not match the platform's key " +
                               v.key->kid() + " (" + algorithm_name(v.key->alg()) + ")");
  }
  if (v.has_failed({C::no_alg, C::unknown_kid, C::bad_signature})) {
    throw oauth::invalid_grant("assertion signature does not verify with the platform's key");
  }
  if (v.has_failed({C::wrong_audience})) {
    throw oauth::invalid_grant("assertion audience does not contain this environment's issuer " + req.issuer);
  }
  if (v.has_failed({C::no_exp, C::expired})) throw oauth::invalid_grant("assertion expired");
  if (v.has_failed({C::not_yet_valid})) throw oauth::invalid_grant("assertion not valid yet (nbf)");
  if (!v.token) throw oauth::invalid_grant("assertion refused: " + v.error); // a check this grant has no words for
  const VerifiedToken& t = *v.token;
  if (t.sub.empty()) throw oauth::invalid_grant("assertion has no sub");

  // Formance: the scope claim, less the OIDC userinfo scopes.
  std::vector<std::string> scopes;
  for (const auto& s : parse_scope(t.scope)) {
    if (s != "profile" && s != "email" && s != "address" && s != "phone") scopes.push_back(s);
  }
  std::string scope = join_scope(scopes);
  if (client_id.empty()) client_id = t.client_id;
  // An assertion without a user (sub is its client): the claims of that client of this environment.
  auto out = ctx.issue_access_token(req, client_id, t.sub, t.aud, scope, ctx.settings.user_token_lifetime,
                                    ctx.claims_without_user(client_id, t.sub == t.client_id ? client_id : ""));
  TokenResponse r{out.token, out.expires_in};
  r.scope = scope;
  return r;
}

bool with_platform_trust(const GrantContext& ctx) {
  return ctx.platform_trust.has_value();
}

} // namespace

extern const Grant kJwtBearerGrant = {"urn:ietf:params:oauth:grant-type:jwt-bearer",
                                      true,
                                      GrantDefault::nobody,
                                      with_platform_trust,
                                      handle,
                                      GrantClient::when_named};

} // namespace authemu
