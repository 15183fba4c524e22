#include "oauth/par.h"

namespace authemu {

PushedRequest push_authorization_request(const GrantContext& ctx, Params params, const Client& client,
                                         const std::string& issuer, const ExtraRedirect& extra) {
  if (params.has("request_uri")) throw oauth::invalid_request("request_uri is not allowed in a pushed request");
  if (auto id = params.get("client_id"); !id) {
    params.add("client_id", client.id);
  } else if (*id != client.id) {
    throw oauth::invalid_request("client_id is not the authenticated client");
  }
  AuthorizationRequest r = parse_authorization_request(params, ctx.clients, issuer, extra);
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
