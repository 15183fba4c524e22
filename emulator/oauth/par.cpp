#include "oauth/par.h"

namespace authemu {

PushedRequest push_authorization_request(const GrantContext& ctx, Params params, const Client& client,
                                         const std::string& issuer, const ExtraRedirect& extra,
                                         const std::string& proof_jkt) {
  if (params.has("request_uri")) throw oauth::invalid_request("request_uri is not allowed in a pushed request");
  if (auto id = params.get("client_id"); !id) {
    params.add("client_id", client.id);
  } else if (*id != client.id) {
    throw oauth::invalid_request("client_id is not the authenticated client");
  }
  AuthorizationRequest r = parse_authorization_request(ctx.authorize_rules, params, ctx.clients, issuer, extra);
  // RFC 9449 §10.1: a DPoP proof on the pushed request binds the code to its key, as dpop_jkt does.
  if (!proof_jkt.empty()) {
    if (!r.dpop_jkt.empty() && r.dpop_jkt != proof_jkt) {
      throw oauth::invalid_dpop_proof("dpop_jkt is not the thumbprint of the DPoP proof's key");
    }
    r.dpop_jkt = proof_jkt;
  }
  int64_t now = ctx.clock.now();
  PushedRequest out;
  out.request_uri = kRequestUriPrefix + ctx.authorizations.push(r, now + kPushedLifetime, now);
  return out;
}

AuthorizationRequest redeem_request_uri(const GrantContext& ctx, const Params& params) {
  auto uri = params.get("request_uri");
  auto client_id = params.get("client_id");
  if (!client_id) throw oauth::invalid_request("client_id missing");
  std::string prefix = kRequestUriPrefix;
  auto pushed = uri && uri->compare(0, prefix.size(), prefix) == 0
                    ? ctx.authorizations.take_pushed(uri->substr(prefix.size()), *client_id, ctx.clock.now())
                    : std::nullopt;
  if (!pushed) throw oauth::invalid_request_uri("request_uri unknown, expired, used or another client's");
  return *pushed;
}

} // namespace authemu
