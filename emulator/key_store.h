// The server's signing keys: which key signs new tokens, which public keys the JWKS publishes,
// and signature checks by kid. Holds keys only; claim rules live in TokenVerifier.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "crypto.h"
#include "json.h"

namespace authemu {

struct SigningKey {
  std::string kid;
  RsaKey key;
};

// RFC 7638 JWK thumbprint (SHA-256, base64url) of an RSA public key: a kid that is stable for
// a given key and differs between keys.
std::string rsa_thumbprint(const RsaKey& key);

class KeyStore {
 public:
  explicit KeyStore(SigningKey active);

  const SigningKey& active() const { return keys_.front(); }
  // The key with this kid, or nothing.
  const SigningKey* find(std::string_view kid) const;

  // Signs claims with the active key; header {"alg":"RS256","kid":…,"typ":<typ>}.
  std::string sign(const JsonObject& claims, const std::string& typ) const;

  // RFC 7517 §5 JWK Set with public members only.
  const std::string& jwks_json() const { return jwks_; }

 private:
  std::vector<SigningKey> keys_;
  std::string jwks_;
};

}  // namespace authemu
