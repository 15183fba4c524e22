// The device authorization endpoint (RFC 8628 §3.1, §3.2) and who may approve a device request:
// the client as at the token endpoint, scope, and fctl's prompt, organization_id, id_token_hint and
// resource (stack://<organization>/<environment>|<scopes> at the platform). Throws OAuthError;
// the verification page is the HTTP layer's, the token request grant_device_code's.
#pragma once
#include <optional>
#include <string>

#include "oauth/client_auth.h"
#include "oauth/form.h"
#include "oauth/grant_context.h"

namespace authemu {

// The grant_type of RFC 8628 §3.4.
constexpr char kDeviceCodeGrantType[] = "urn:ietf:params:oauth:grant-type:device_code";

// RFC 8628 §3.2: the device authorization response.
struct DeviceAuthorization {
  std::string device_code, user_code; // user_code as people type it (BCDF-GHJK)
  std::string verification_uri, verification_uri_complete;
  int64_t expires_in = 0, interval = 0;
};

// Makes a device request of the authenticated client. verification_uri: the page people open
// (<issuer>/device).
DeviceAuthorization device_authorization(const GrantContext& ctx, const Params& params, const AuthenticatedClient& auth,
                                         const std::string& issuer, const std::string& verification_uri);

// Why user may not approve r (its resource names an environment the user may not access), or
// nothing when they may.
std::optional<std::string> device_approval_refusal(const GrantContext& ctx, const DeviceRequest& r, const User& user);

} // namespace authemu
