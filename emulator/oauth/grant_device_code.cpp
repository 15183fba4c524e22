// RFC 8628 §3.4, §3.5: the device code grant. The device polls until the person approves or denies
// on the verification page (or a test does through the admin API); one success per device code.
// Tokens as the authorization code grant gives them.
#include "oauth/grant_context.h"
#include "oauth/oauth_error.h"

namespace authemu {

namespace {

TokenResponse handle(const GrantContext& ctx, const GrantRequest& req) {
  auto found = ctx.client_for_grant(req);
  const Client& client = *found;
  auto device_code = req.params.get("device_code");
  if (!device_code) throw oauth::invalid_request("device_code missing");
  DeviceRequest r;
  using P = DeviceStore::Poll;
  switch (ctx.devices.poll(*device_code, client.id, ctx.clock.now(), monotonic_us(), &r)) {
  case P::unknown:
    throw oauth::invalid_grant("device code unknown");
  case P::other_client:
    throw oauth::invalid_grant("device code was issued to another client");
  case P::used:
    throw oauth::invalid_grant("device code already used");
  case P::expired:
    throw oauth::expired_token("the device code has expired: start a new device authorization");
  case P::pending:
    throw oauth::authorization_pending("the user has not approved or denied the request yet");
  case P::slow_down:
    // RFC 8628 §3.5: the interval to use from now on, also as a member.
    throw oauth::slow_down("polling too fast: wait " + std::to_string(r.interval) + " seconds between requests",
                           r.interval);
  case P::denied:
    throw oauth::access_denied("the user denied the request");
  case P::approved:
    break;
  }
  if (auto resource = req.params.get("resource"); resource && *resource != r.resource) {
    throw oauth::invalid_target("resource differs from the device authorization request's");
  }
  auto user = ctx.users.find(r.sign_in.user_id);
  if (user == nullptr) throw oauth::invalid_grant("the user who approved no longer exists");

  RefreshGrant grant = sign_in_grant(r.sign_in, r.scope);
  grant.audience = r.audience; // a stack:// resource binds every token of the grant to that environment
  UserTokenOptions options;
  options.refresh_token = offline_refresh(client, r.scope); // as the code grant
  return ctx.user_token_response(req, client, *user, r.scope, true, grant, options);
}

} // namespace

extern const Grant kDeviceCodeGrant = {"urn:ietf:params:oauth:grant-type:device_code", true, GrantDefault::all_clients,
                                       nullptr, handle};

} // namespace authemu
