// RFC 6750 §2.1: the token in an Authorization header with the Bearer scheme (case-insensitive),
// one b64token.
#include "oauth/bearer_auth.h"
#include "oauth/oauth_error.h"

namespace authemu {

namespace {

std::optional<PresentedToken> find(const BearerRequest& r) {
  return authorization_token(r.req, "Bearer");
}

// RFC 9449 §7.1: a DPoP-bound token goes with the DPoP scheme, and a proof with a DPoP-bound token.
std::optional<std::string> unbound(const BearerRequest& r, const std::string&, const VerifiedToken& t) {
  const Json* cnf = find_member(t.claims, "cnf");
  if (cnf != nullptr && cnf->is<JsonObject>() && find_member(cnf->get<JsonObject>(), "jkt")) {
    return std::string("the token is DPoP-bound (cnf jkt): send it as Authorization: DPoP with a DPoP proof");
  }
  // RFC 9449 §7.2: a proof with the Bearer scheme is a malformed request.
  if (r.req.header("DPoP")) {
    throw oauth::invalid_request("a DPoP proof came with a Bearer token: a bearer token is sent without one");
  }
  return std::nullopt;
}

} // namespace

extern const BearerKind kBearerHeader = {"header", "in the header", find, unbound};

} // namespace authemu
