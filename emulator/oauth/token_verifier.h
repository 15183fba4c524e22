// Decides whether a bearer JWT was issued by a trusted issuer with one of a KeyStore's keys and is
// live: a known kid, the alg of that key, a valid signature, a trusted issuer, optionally an
// accepted audience, exp in the future, nbf reached, not revoked. verify() never requires typ
// (RFC 7523 assertions carry none); verify_access_token() also requires typ at+jwt (RFC 9068 §4).
// Reads keys and the clock; never writes state.
#pragma once
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "jose/key_store.h"
#include "store/token_store.h"

namespace authemu {

struct VerifiedToken {
  JsonObject claims;
  std::string sub;
  std::string client_id;
  std::string scope; // space-delimited, may be empty
  std::string iss;
  std::vector<std::string> aud;
  int64_t exp = 0;
  int64_t iat = 0;

  bool has_scope(std::string_view s) const;
};

// One code per check, so callers can word refusals their own way and in their own order.
enum class VerifyCode {
  ok,
  malformed,        // not a compact JWS (decode failed)
  no_alg,           // header without alg
  unknown_kid,      // kid names no key (or no kid and no active key)
  alg_mismatch,     // alg is not the key's
  bad_signature,    // the key does not verify the signature
  no_iss,           // no iss claim
  untrusted_issuer, // iss not trusted
  wrong_audience,   // no aud accepted (only with an audience check)
  no_exp,           // no numeric exp
  expired,          // now >= exp
  not_yet_valid,    // now < nbf
  revoked,          // jti revoked (only with a revocation store)
  not_access_token, // typ is not at+jwt (only in verify_access_token)
};

struct VerifyResult {
  std::optional<VerifiedToken> token;
  std::string error; // why the token was refused (its first failed check), safe to show (never the token)
  VerifyCode code = VerifyCode::malformed; // ok, or the code of the first failed check
  // Every failed check in the verifier's order; after a malformed token, only malformed.
  std::vector<VerifyCode> failed{};
  // What a decoded token states, unverified, and the key its kid chose: for callers' messages.
  // (Braces: {token, error} stays a complete aggregate initializer.)
  std::optional<std::string> alg{};
  std::optional<std::string> iss{};
  std::optional<SigningKey> key{};

  bool has_failed(std::initializer_list<VerifyCode> codes) const;
};

// The aud claim as a list: a string is a list of one (RFC 7519 §4.1.3); other values are skipped.
std::vector<std::string> audience_of(const JsonObject& claims);

// RFC 9068 §4: whether a JWT says it is an access token, by its header's typ (at+jwt). With
// jwt_typed (--access-token-type JWT, as the Formance service types them), also typ JWT with the
// claims only access tokens have (client_id and scope) and not an ID token's azp.
bool is_access_token(const JsonObject& header, const JsonObject& claims, bool jwt_typed);

class TokenVerifier {
public:
  using IssuerCheck = std::function<bool(const std::string&)>;
  using AudienceCheck = std::function<bool(const std::string&)>;
  // revocations, when given, refuses the access tokens revoked there (RFC 7009).
  TokenVerifier(const KeyStore& keys, std::vector<std::string> issuers, const Clock& clock,
                const TokenStore* revocations = nullptr);
  // The same with trusted issuers decided by a function (an environment's published issuers).
  // audience, when given, requires an aud value it accepts (RFC 7523 §3 assertions).
  TokenVerifier(const KeyStore& keys, IssuerCheck trusts, const Clock& clock, const TokenStore* revocations,
                AudienceCheck audience = nullptr);

  // Runs every check that can run; the token is set only when none failed.
  VerifyResult verify(std::string_view token) const;
  // verify() for a token presented as a bearer access token: an ID token or any other JWT of a
  // trusted issuer is refused unless its header says it is an access token (RFC 9068 §4).
  VerifyResult verify_access_token(std::string_view token) const;
  // The claims of an id_token_hint (OIDC Core §3.1.2.1, RP-Initiated Logout §2): every check of
  // verify() but exp and nbf, as an expired hint still names its user. Nothing, with *error set to
  // the first failed check, otherwise.
  std::optional<JsonObject> verify_hint(std::string_view token, std::string* error) const;
  bool trusts_issuer(const std::string& iss) const { return trusts_(iss); }
  // Access tokens typed JWT (--access-token-type JWT): verify_access_token then takes what
  // is_access_token takes with jwt_typed.
  void accept_jwt_typed_access_tokens(bool yes) { jwt_typed_access_ = yes; }

private:
  VerifyResult run(std::string_view token, bool access_token) const;

  const KeyStore& keys_;
  IssuerCheck trusts_;
  const Clock& clock_;
  const TokenStore* revocations_;
  AudienceCheck audience_;
  bool jwt_typed_access_ = false;
};

} // namespace authemu
