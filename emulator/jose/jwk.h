// Other parties' keys as JWKs (RFC 7517, RFC 7518 §6) and the JWS algorithms they sign with
// (RFC 7518 §3: HS, RS, PS and ES with SHA-256/384/512): public keys that verify client assertions
// and DPoP proofs, private keys that sign the ones tests make (mint). No EdDSA: mbedTLS 3.6 has no
// EdDSA signatures. The server's own signing keys are key_store.h's.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"

namespace authemu {

enum class JwsFamily { hmac, rsa_pkcs1, rsa_pss, ecdsa };

struct JwsAlgorithm {
  std::string_view name;  // "RS256"
  JwsFamily family;
  int hash_bits;          // 256, 384, 512
  std::string_view curve; // ES: "P-256", "P-384", "P-521"; else empty
};

// RFC 7518 §3.1's algorithms this server signs and verifies with; nullptr for any other name
// ("none", "EdDSA", unknown).
const JwsAlgorithm* find_jws_algorithm(std::string_view name);
// The asymmetric ones (RS*, PS*, ES*), in discovery's order; the symmetric ones (HS*).
std::vector<std::string> asymmetric_jws_algorithm_names();
std::vector<std::string> hmac_jws_algorithm_names();

constexpr size_t kMinClientRsaBits = 2048; // RFC 7518 §3.3: 2048 or larger
constexpr size_t kMaxClientRsaBits = 8192;

// HMAC with SHA-256/384/512 (RFC 7518 §3.2), raw bytes.
std::string hmac_sha(int hash_bits, std::string_view key, std::string_view data);
// SHA-256 of data, base64url (RFC 9449 §4.2 ath, RFC 7638 thumbprints).
std::string sha256_base64url(std::string_view data);

// A public key read from a JWK. Cheap to copy; thread-safe.
class PublicJwk {
public:
  // kty RSA (n, e; 2048 to 8192 bits) or EC (crv P-256, P-384 or P-521; x and y a point of it).
  // Nothing, and *reason, when jwk is none of these ("kty OKP: EdDSA keys are not supported (mbedTLS
  // 3.6 has no EdDSA)", "RSA key of 1024 bits: at least 2048 are required", ...).
  static std::optional<PublicJwk> parse(const JsonObject& jwk, std::string* reason);

  const std::string& kty() const;
  // Whether the key signs with alg: RSA with RS and PS, EC with the ES of its curve.
  bool fits(const JwsAlgorithm& alg) const;
  // Whether signature is alg's signature of input by this key (false when alg does not fit).
  bool verify(const JwsAlgorithm& alg, std::string_view input, std::string_view signature) const;
  // RFC 7638 §3: SHA-256 of the required members, base64url.
  const std::string& thumbprint() const;
  // The required public members (RFC 7638 §3.2), as a JWK.
  JsonObject members() const;

private:
  struct Impl;
  explicit PublicJwk(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// A private key read from a JWK or generated, for signing what tests make. Thread-safe.
class PrivateJwk {
public:
  // RSA-2048 for RS and PS, EC of the curve for ES; throws CryptoError for HS.
  static PrivateJwk generate(const JwsAlgorithm& alg);
  // kty RSA (n, e, d, p, q) or EC (crv, x, y, d). Nothing, and *reason, when it is not one.
  static std::optional<PrivateJwk> parse(const JsonObject& jwk, std::string* reason);

  const PublicJwk& public_key() const;
  bool fits(const JwsAlgorithm& alg) const { return public_key().fits(alg); }
  // alg's signature of input (JOSE form: r‖s for ECDSA). Throws CryptoError when alg does not fit.
  std::string sign(const JwsAlgorithm& alg, std::string_view input) const;
  // The whole key as a JWK (private members too), with "kid" (its thumbprint) and "alg".
  JsonObject private_members(const JwsAlgorithm& alg) const;

private:
  struct Impl;
  explicit PrivateJwk(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

// A compact JWS of header and claims, signed with alg by key (asymmetric) or by secret (HS).
std::string sign_jws_with(const JwsAlgorithm& alg, const PrivateJwk* key, std::string_view secret,
                          const JsonObject& header, const JsonObject& claims);

} // namespace authemu
