// RFC 6750 §2.1: the token in an Authorization header with the Bearer scheme (case-insensitive),
// one b64token.
#include <cctype>

#include "oauth/bearer_auth.h"

namespace authemu {

namespace {

std::optional<PresentedToken> find(const BearerRequest& r) {
  auto h = r.req.header("Authorization");
  if (!h || h->size() < 6 || !iequals(std::string_view(*h).substr(0, 6), "Bearer")) return std::nullopt;
  if (h->size() > 6 && (*h)[6] != ' ') return std::nullopt; // "Bearerx…" is another scheme
  PresentedToken t;
  size_t start = h->find_first_not_of(' ', 6);
  if (start == std::string::npos) {
    t.malformed = true;
    return t;
  }
  size_t end = h->find_last_not_of(' ');
  t.token = h->substr(start, end - start + 1);
  for (char c : t.token) {
    bool b64token = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~' ||
                    c == '+' || c == '/' || c == '=';
    if (!b64token) t.malformed = true;
  }
  return t;
}

// RFC 9449 §7.1: a DPoP-bound token goes with the DPoP scheme, and a proof with a DPoP-bound token.
std::optional<std::string> unbound(const BearerRequest& r, const std::string&, const VerifiedToken& t) {
  const Json* cnf = find_member(t.claims, "cnf");
  if (cnf != nullptr && cnf->is<JsonObject>() && find_member(cnf->get<JsonObject>(), "jkt")) {
    return std::string("the token is DPoP-bound (cnf jkt): send it as Authorization: DPoP with a DPoP proof");
  }
  if (r.req.header("DPoP")) {
    return std::string("a DPoP proof came with a Bearer token: a bearer token is sent without one");
  }
  return std::nullopt;
}

} // namespace

extern const BearerKind kBearerHeader = {"header", "in the header", find, unbound};

} // namespace authemu
