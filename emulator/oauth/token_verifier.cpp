#include "oauth/token_verifier.h"

#include <algorithm>

#include "jose/jwt.h"

namespace authemu {

bool VerifiedToken::has_scope(std::string_view s) const {
  size_t pos = 0;
  while (pos <= scope.size()) {
    size_t end = scope.find(' ', pos);
    if (end == std::string::npos) end = scope.size();
    if (std::string_view(scope).substr(pos, end - pos) == s) return true;
    pos = end + 1;
  }
  return false;
}

TokenVerifier::TokenVerifier(const KeyStore& keys, std::vector<std::string> issuers, const Clock& clock,
                             const TokenStore* revocations)
    : TokenVerifier(keys,
                    [issuers = std::move(issuers)](const std::string& iss) {
                      return std::find(issuers.begin(), issuers.end(), iss) != issuers.end();
                    },
                    clock, revocations) {}

TokenVerifier::TokenVerifier(const KeyStore& keys, IssuerCheck trusts, const Clock& clock, const TokenStore* revocations)
    : keys_(keys), trusts_(std::move(trusts)), clock_(clock), revocations_(revocations) {}

namespace {

VerifyResult refuse(std::string why) { return VerifyResult{std::nullopt, std::move(why)}; }

}  // namespace

VerifyResult TokenVerifier::verify(std::string_view token) const {
  std::string reason;
  auto jwt = decode_jwt(token, &reason);
  if (!jwt) return refuse(reason);

  auto alg = find_string(jwt->header, "alg");
  if (!alg) return refuse("JWT header has no alg");
  auto kid = find_string(jwt->header, "kid");
  std::optional<SigningKey> key = kid ? keys_.find(*kid) : keys_.active();
  if (!key) return refuse("JWT kid is not a key of this server");
  // RFC 8725 §3.1: the key decides the algorithm, never the token ("none" matches no key).
  if (*alg != algorithm_name(key->alg())) {
    return refuse("JWT alg " + *alg + " does not match key " + key->kid() + " (" + algorithm_name(key->alg()) + ")");
  }
  if (!key->verify(jwt->signing_input, jwt->signature)) return refuse("JWT signature is invalid");

  VerifiedToken t;
  t.claims = std::move(jwt->claims);
  auto iss = find_string(t.claims, "iss");
  if (!iss) return refuse("JWT has no iss");
  if (!trusts_(*iss)) {
    return refuse("JWT issuer " + *iss + " is not trusted here");
  }
  t.iss = *iss;
  auto exp = find_int(t.claims, "exp");
  if (!exp) return refuse("JWT has no numeric exp");
  int64_t now = clock_.now();
  if (now >= *exp) return refuse("JWT expired");  // RFC 7519 §4.1.4: on or after exp
  if (auto nbf = find_int(t.claims, "nbf"); nbf && now < *nbf) return refuse("JWT not valid yet (nbf)");
  if (revocations_ != nullptr) {
    if (auto jti = find_string(t.claims, "jti"); jti && revocations_->is_access_revoked(*jti)) return refuse("JWT revoked");
  }
  t.exp = *exp;
  t.iat = find_int(t.claims, "iat").value_or(0);
  t.sub = find_string(t.claims, "sub").value_or("");
  t.client_id = find_string(t.claims, "client_id").value_or("");
  t.scope = find_string(t.claims, "scope").value_or("");
  if (const Json* aud = find_member(t.claims, "aud")) {
    if (aud->is<std::string>()) t.aud.push_back(aud->get<std::string>());
    if (aud->is<JsonArray>()) {
      for (const auto& a : aud->get<JsonArray>()) {
        if (a.is<std::string>()) t.aud.push_back(a.get<std::string>());
      }
    }
  }
  return VerifyResult{std::move(t), ""};
}

}  // namespace authemu
