// The JSON bodies of the OAuth endpoints' successful answers: oauth/ returns values, and they
// become bytes here and nowhere else. Members in picojson's order (by name), as always sent.
#pragma once
#include <string>

#include "base/json.h"
#include "oauth/device_flow.h"
#include "oauth/grant.h"
#include "oauth/token_service.h"

namespace authemu {

std::string token_response_json(const TokenResponse& r);             // RFC 6749 §5.1
std::string introspection_json(const Introspection& i);              // RFC 7662 §2.2
std::string device_authorization_json(const DeviceAuthorization& d); // RFC 8628 §3.2
std::string userinfo_json(const JsonObject& claims);                 // OIDC Core §5.3.2

} // namespace authemu
