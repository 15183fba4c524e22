// Resource indicators (RFC 8707): the resource parameters of an authorization or token request,
// checked (absolute URI, no fragment, one the client may ask for) and kept verbatim in request
// order; they become the access token's aud. Formance's stack:// targets of the platform's token
// exchange, device flow and jwt-bearer are read by those grants, not here.
#pragma once
#include <string>
#include <vector>

#include "oauth/form.h"
#include "store/client_store.h"

namespace authemu {

constexpr size_t kMaxResources = 10;

// Every resource of params, in order; empty when there is none. Throws OAuthError invalid_target.
std::vector<std::string> read_resources(const Params& params, const Client& client);

// RFC 8707 §2.2: requested must lie within granted (a code's or refresh token's resources) when
// granted is not empty; throws invalid_target naming the first that does not.
void check_within(const std::vector<std::string>& requested, const std::vector<std::string>& granted);

} // namespace authemu
