// Decides whether a bearer JWT was issued by this server and is live: a known kid, the alg of that
// key, a valid signature, a trusted issuer, exp in the future and nbf reached. Reads keys and the
// clock; never writes state.
#pragma once
#include <functional>
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
  std::string scope;  // space-delimited, may be empty
  std::string iss;
  std::vector<std::string> aud;
  int64_t exp = 0;
  int64_t iat = 0;

  bool has_scope(std::string_view s) const;
};

struct VerifyResult {
  std::optional<VerifiedToken> token;
  std::string error;  // why the token was refused, safe to show (never contains the token)
};

class TokenVerifier {
 public:
  using IssuerCheck = std::function<bool(const std::string&)>;
  // revocations, when given, refuses the access tokens revoked there (RFC 7009).
  TokenVerifier(const KeyStore& keys, std::vector<std::string> issuers, const Clock& clock,
                const TokenStore* revocations = nullptr);
  // The same with trusted issuers decided by a function (an environment's published issuers).
  TokenVerifier(const KeyStore& keys, IssuerCheck trusts, const Clock& clock, const TokenStore* revocations);

  VerifyResult verify(std::string_view token) const;
  bool trusts_issuer(const std::string& iss) const { return trusts_(iss); }

 private:
  const KeyStore& keys_;
  IssuerCheck trusts_;
  const Clock& clock_;
  const TokenStore* revocations_;
};

}  // namespace authemu
