// Pushed authorization requests (RFC 9126): the PAR endpoint's rules (an authenticated client pushes
// the parameters of an authorization request, validated as /authorize validates them, and gets a
// single-use request_uri) and their redemption at /authorize. Throws OAuthError; no HTTP here.
#pragma once
#include <cstdint>
#include <string>

#include "oauth/authorize.h"
#include "oauth/grant_context.h"

namespace authemu {

constexpr char kRequestUriPrefix[] = "urn:ietf:params:oauth:request_uri:";
constexpr int64_t kPushedLifetime = 60;

struct PushedRequest {
  std::string request_uri;
  int64_t expires_in = kPushedLifetime;
};

// RFC 9126 §2: client is the authenticated client; a redirect error is thrown as the
// AuthorizeRedirectError it is (an OAuthError of the PAR endpoint).
PushedRequest push_authorization_request(const GrantContext& ctx, Params params, const Client& client,
                                         const std::string& issuer, const ExtraRedirect& extra,
                                         const std::string& proof_jkt = "");

// RFC 9126 §4: the pushed request a request_uri names; only the pushed parameters count, and
// client_id must repeat the pusher's. Throws OAuthError invalid_request / invalid_request_uri.
AuthorizationRequest redeem_request_uri(const GrantContext& ctx, const Params& params);

} // namespace authemu
