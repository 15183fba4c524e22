// RFC 7523 §2.1: the JWT bearer grant with a platform token as the assertion, as Formance Cloud
// turns a membership token into a stack token. Each failed check is invalid_grant saying which.
#include <algorithm>

#include "oauth/client_auth.h"
#include "jose/jwt.h"
#include "oauth/oauth_error.h"
#include "oauth/scope.h"
#include "oauth/grant_context.h"

namespace authemu {

namespace {

TokenResponse handle(const GrantContext& ctx, const GrantRequest& req) {
  const Params& params = req.params;
  const std::string& issuer = req.issuer;
  // Client authentication is optional for this grant (fctl sends none); when sent, it must hold.
  std::string client_id;
  auto basic = parse_basic(req.authorization);
  if (basic || params.has("client_id")) client_id = authenticate_client(ctx.clients, params, basic).client->id;
  auto assertion = params.get("assertion");
  if (!assertion) throw oauth::invalid_request("assertion missing");

  std::string why;
  auto jwt = decode_jwt(*assertion, &why);
  if (!jwt) throw oauth::invalid_grant("assertion is not a JWT: " + why);
  const PlatformTrust& p = *ctx.platform_trust;
  // RFC 7523 §3: the checks, in the order Formance makes them.
  auto iss = find_string(jwt->claims, "iss");
  if (!iss || !p.trusts_issuer(*iss)) {
    throw oauth::invalid_grant("assertion issuer " + iss.value_or("(none)") + " is not the platform issuer " + p.issuer);
  }
  auto kid = find_string(jwt->header, "kid");
  std::optional<SigningKey> key = kid ? p.keys->find(*kid) : p.keys->active();
  auto alg = find_string(jwt->header, "alg");
  // RFC 8725 §3.1: the platform key decides the algorithm.
  if (key && alg.value_or("") != algorithm_name(key->alg())) {
    throw oauth::invalid_grant("assertion alg " + alg.value_or("(none)") + " does not match the platform's key " +
                               key->kid() + " (" + algorithm_name(key->alg()) + ")");
  }
  if (!key || !key->verify(jwt->signing_input, jwt->signature)) {
    throw oauth::invalid_grant("assertion signature does not verify with the platform's key");
  }
  std::vector<std::string> aud;
  if (const Json* a = find_member(jwt->claims, "aud")) {
    if (a->is<std::string>()) aud.push_back(a->get<std::string>());
    if (a->is<JsonArray>()) {
      for (const auto& x : a->get<JsonArray>()) {
        if (x.is<std::string>()) aud.push_back(x.get<std::string>());
      }
    }
  }
  if (std::none_of(aud.begin(), aud.end(), [&](const std::string& a) { return ctx.verifier.trusts_issuer(a); })) {
    throw oauth::invalid_grant("assertion audience does not contain this environment's issuer " + issuer);
  }
  int64_t now = ctx.clock.now();
  auto exp = find_int(jwt->claims, "exp");
  if (!exp || now >= *exp) throw oauth::invalid_grant("assertion expired");
  if (auto nbf = find_int(jwt->claims, "nbf"); nbf && now < *nbf) throw oauth::invalid_grant("assertion not valid yet (nbf)");
  auto sub = find_string(jwt->claims, "sub");
  if (!sub || sub->empty()) throw oauth::invalid_grant("assertion has no sub");

  // Formance: the scope claim, less the OIDC userinfo scopes.
  std::vector<std::string> scopes;
  for (const auto& s : parse_scope(find_string(jwt->claims, "scope").value_or(""))) {
    if (s != "profile" && s != "email" && s != "address" && s != "phone") scopes.push_back(s);
  }
  std::string scope = join_scope(scopes);
  if (client_id.empty()) client_id = find_string(jwt->claims, "client_id").value_or("");
  auto t = ctx.issue_access_token(issuer, client_id, *sub, aud, scope, ctx.settings.user_token_lifetime, JsonObject{});
  TokenResponse r{t.token, t.expires_in};
  r.scope = scope;
  return r;
}

bool with_platform_trust(const GrantContext& ctx) { return ctx.platform_trust.has_value(); }

}  // namespace

extern const Grant kJwtBearerGrant = {"urn:ietf:params:oauth:grant-type:jwt-bearer", true, GrantDefault::nobody,
                                      with_platform_trust, handle};

}  // namespace authemu
