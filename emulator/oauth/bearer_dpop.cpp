// RFC 9449 §7: a DPoP-bound access token in an Authorization header with the DPoP scheme
// (case-insensitive), with a DPoP proof whose ath is the token's hash and whose key is the one
// the token is bound to (cnf jkt).
#include "base/http_types.h"
#include "jose/crypto.h"
#include "oauth/bearer_auth.h"

namespace authemu {

namespace {

std::optional<PresentedToken> find(const BearerRequest& r) {
  if (r.dpop == nullptr) return std::nullopt;
  return authorization_token(r.req, "DPoP");
}

std::optional<std::string> unbound(const BearerRequest& r, const std::string& token, const VerifiedToken& t) {
  const Json* cnf = find_member(t.claims, "cnf");
  const Json* jkt = cnf != nullptr && cnf->is<JsonObject>() ? find_member(cnf->get<JsonObject>(), "jkt") : nullptr;
  if (jkt == nullptr || !jkt->is<std::string>()) {
    return std::string("the token is not DPoP-bound (no cnf jkt): send it as Authorization: Bearer");
  }
  DpopCheck check = dpop_check(r.req, r.urls);
  check.access_token = &token;
  check.nonce_required = r.dpop_nonce;
  check.record_jti = false;
  DpopProof proof = r.dpop->check(check); // throws invalid_dpop_proof, use_dpop_nonce
  if (!constant_time_equal(proof.jkt, jkt->get<std::string>())) {
    return std::string("the DPoP proof is signed by another key than the one the token is bound to (cnf jkt)");
  }
  r.dpop->record(proof);
  return std::nullopt;
}

} // namespace

extern const BearerKind kBearerDpop = {"dpop", "with the DPoP scheme", find, unbound, true};

} // namespace authemu
