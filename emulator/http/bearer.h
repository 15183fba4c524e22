// The answers to refused bearer tokens (RFC 6750 §3): the WWW-Authenticate challenge (built only
// here), the RFC 6750 error answer, and a refusal in each area's shape. Which token a request
// carries and whether it holds is oauth/bearer_auth.h's.
#pragma once
#include <string>

#include "base/http_types.h"
#include "oauth/bearer_auth.h"

namespace authemu {

// RFC 6750 §3: `Bearer realm="authemu"`, then error and error_description when code is set
// (none when the request had no credentials), then `extra` (e.g. `, scope="…"`).
std::string bearer_challenge(const std::string& code, const std::string& description, const std::string& extra);
// RFC 9449 §7.1: `DPoP algs="ES256 …"`, with error and error_description first when code is set.
std::string dpop_challenge(const std::string& code, const std::string& description);
// The RFC 6750 §3 error answer: JSON body and the challenge.
HttpResponse& bearer_error(HttpResponse& res, int status, const std::string& code, const std::string& description,
                           const std::string& extra);

// How an area answers a refused token: go-libs auth's empty 401 with the challenge (the management
// API), or RFC 6750's JSON answers (400 malformed, 401, 403 insufficient_scope).
enum class BearerShape { formance, rfc6750 };
// The refusal of f, written over res (which may already carry headers, e.g. CORS).
// resource_metadata: the RFC 9728 metadata URL its 401s name (a stand-in service's), or empty.
HttpResponse bearer_refusal(BearerShape shape, const BearerFailure& f, HttpResponse res = {},
                            const std::string& resource_metadata = "");

} // namespace authemu
