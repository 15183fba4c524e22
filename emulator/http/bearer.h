// Bearer tokens on resource requests (RFC 6750): reading the Authorization header, the error
// answer and its WWW-Authenticate challenge (built only here), and Formance's scope rule.
#pragma once
#include <optional>
#include <string>

#include "base/http_types.h"
#include "oauth/token_verifier.h"

namespace authemu {

// The token of an Authorization header (RFC 6750 §2.1, scheme case-insensitive).
struct BearerHeader {
  bool present = false;   // an Authorization header with the Bearer scheme
  bool malformed = false; // Bearer scheme but not one b64token
  std::string token;
};
BearerHeader bearer_of(const HttpRequest& req);

// RFC 6750 §3: `Bearer realm="authemu"`, then error and error_description when code is set
// (none when the request had no credentials), then `extra` (e.g. `, scope="…"`).
std::string bearer_challenge(const std::string& code, const std::string& description, const std::string& extra);
// The RFC 6750 §3 error answer: JSON body and the challenge.
HttpResponse& bearer_error(HttpResponse& res, int status, const std::string& code, const std::string& description,
                           const std::string& extra);

// The Formance scope rule (go-libs auth, the gateway): reads (GET, HEAD, OPTIONS, TRACE) need
// <service>:read or <service>:write, anything else <service>:write. Returns the scope a refused
// request lacks, nothing when allowed.
std::optional<std::string> missing_scope(const VerifiedToken& t, const std::string& service, const std::string& method);

} // namespace authemu
