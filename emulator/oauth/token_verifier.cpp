#include "oauth/token_verifier.h"

#include <algorithm>

#include "base/http_types.h"
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

bool VerifyResult::has_failed(std::initializer_list<VerifyCode> codes) const {
  return std::any_of(codes.begin(), codes.end(),
                     [&](VerifyCode c) { return std::find(failed.begin(), failed.end(), c) != failed.end(); });
}

TokenVerifier::TokenVerifier(const KeyStore& keys, std::vector<std::string> issuers, const Clock& clock,
                             const TokenStore* revocations)
    : TokenVerifier(
          keys,
          [issuers = std::move(issuers)](const std::string& iss) {
            return std::find(issuers.begin(), issuers.end(), iss) != issuers.end();
          },
          clock, revocations) {}

TokenVerifier::TokenVerifier(const KeyStore& keys, IssuerCheck trusts, const Clock& clock,
                             const TokenStore* revocations, AudienceCheck audience)
    : keys_(keys), trusts_(std::move(trusts)), clock_(clock), revocations_(revocations),
      audience_(std::move(audience)) {}

namespace {

// Records a failed check; the first one is the result's code and error.
void refuse(VerifyResult& r, VerifyCode code, std::string why) {
  if (r.failed.empty()) {
    r.code = code;
    r.error = std::move(why);
  }
  r.failed.push_back(code);
}


} // namespace

bool is_access_token(const JsonObject& header, const JsonObject& claims, bool jwt_typed) {
  auto typ = find_string(header, "typ");
  if (!typ) return false;
  // RFC 9068 §2.1: "at+jwt", or the full media type "application/at+jwt"; media types compare
  // case-insensitively (RFC 7515 §4.1.9, RFC 8725 §3.11).
  if (iequals(*typ, "at+jwt") || iequals(*typ, "application/at+jwt")) return true;
  return jwt_typed && iequals(*typ, "JWT") && find_string(claims, "client_id") && find_string(claims, "scope") &&
         !find_member(claims, "azp");
}

std::vector<std::string> audience_of(const JsonObject& claims) {
  std::vector<std::string> aud;
  if (const Json* a = find_member(claims, "aud")) {
    if (a->is<std::string>()) aud.push_back(a->get<std::string>());
    if (a->is<JsonArray>()) {
      for (const auto& x : a->get<JsonArray>()) {
        if (x.is<std::string>()) aud.push_back(x.get<std::string>());
      }
    }
  }
  return aud;
}

VerifyResult TokenVerifier::verify(std::string_view token) const {
  return run(token, false);
}

std::optional<JsonObject> TokenVerifier::verify_hint(std::string_view token, std::string* error) const {
  VerifyResult v = verify(token);
  // Time checks aside, every check passed: expiry does not matter for a hint.
  bool only_time = std::all_of(v.failed.begin(), v.failed.end(),
                               [](VerifyCode c) { return c == VerifyCode::expired || c == VerifyCode::not_yet_valid; });
  std::string reason;
  std::optional<DecodedJwt> decoded = only_time ? decode_jwt(token, &reason) : std::nullopt;
  if (!decoded) {
    *error = v.error;
    return std::nullopt;
  }
  return decoded->claims;
}

VerifyResult TokenVerifier::verify_access_token(std::string_view token) const {
  return run(token, true);
}

VerifyResult TokenVerifier::run(std::string_view token, bool access_token) const {
  VerifyResult r;
  std::string reason;
  auto jwt = decode_jwt(token, &reason);
  if (!jwt) {
    refuse(r, VerifyCode::malformed, reason);
    return r;
  }

  r.alg = find_string(jwt->header, "alg");
  if (!r.alg) refuse(r, VerifyCode::no_alg, "JWT header has no alg");
  auto kid = find_string(jwt->header, "kid");
  r.key = kid ? keys_.find(*kid) : keys_.active();
  if (!r.key) {
    refuse(r, VerifyCode::unknown_kid, "JWT kid is not a key of this server");
  } else if (r.alg && *r.alg != algorithm_name(r.key->alg())) {
    // RFC 8725 §3.1: the key decides the algorithm, never the token ("none" matches no key).
    refuse(r, VerifyCode::alg_mismatch,
           "JWT alg " + *r.alg + " does not match key " + r.key->kid() + " (" + algorithm_name(r.key->alg()) + ")");
  } else if (r.alg && !r.key->verify(jwt->signing_input, jwt->signature)) {
    refuse(r, VerifyCode::bad_signature, "JWT signature is invalid");
  }

  const JsonObject& claims = jwt->claims;
  r.iss = find_string(claims, "iss");
  if (!r.iss) {
    refuse(r, VerifyCode::no_iss, "JWT has no iss");
  } else if (!trusts_(*r.iss)) {
    refuse(r, VerifyCode::untrusted_issuer, "JWT issuer " + *r.iss + " is not trusted here");
  }
  std::vector<std::string> aud = audience_of(claims);
  // RFC 7523 §3: the assertion's aud must name this server.
  if (audience_ && std::none_of(aud.begin(), aud.end(), audience_)) {
    refuse(r, VerifyCode::wrong_audience, "JWT audience does not contain this server's issuer");
  }
  auto exp = find_int(claims, "exp");
  int64_t now = clock_.now();
  if (!exp) {
    refuse(r, VerifyCode::no_exp, "JWT has no numeric exp");
  } else if (now >= *exp) {
    refuse(r, VerifyCode::expired, "JWT expired"); // RFC 7519 §4.1.4: on or after exp
  }
  if (auto nbf = find_int(claims, "nbf"); nbf && now < *nbf)
    refuse(r, VerifyCode::not_yet_valid, "JWT not valid yet (nbf)");
  if (revocations_ != nullptr) {
    if (auto jti = find_string(claims, "jti"); jti && revocations_->is_access_revoked(*jti)) {
      refuse(r, VerifyCode::revoked, "JWT revoked");
    }
  }
  // RFC 9068 §4: a bearer access token must say it is one, so an ID token is not one. Checked
  // last: a token that also fails on its own account (expired, untrusted) says that first.
  if (access_token) {
    auto typ = find_string(jwt->header, "typ");
    if (!typ) {
      refuse(r, VerifyCode::not_access_token, "JWT has no typ: not an access token (at+jwt)");
    } else if (!is_access_token(jwt->header, jwt->claims, jwt_typed_access_)) {
      refuse(r, VerifyCode::not_access_token, "JWT typ " + *typ + " is not at+jwt: not an access token");
    }
  }
  if (!r.failed.empty()) return r;

  VerifiedToken t;
  t.claims = std::move(jwt->claims);
  t.iss = *r.iss;
  t.exp = *exp;
  t.iat = find_int(t.claims, "iat").value_or(0);
  t.sub = find_string(t.claims, "sub").value_or("");
  t.client_id = find_string(t.claims, "client_id").value_or("");
  t.scope = find_string(t.claims, "scope").value_or("");
  t.aud = std::move(aud);
  r.token = std::move(t);
  r.code = VerifyCode::ok;
  return r;
}

} // namespace authemu
