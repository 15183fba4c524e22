// The only door to mbedTLS: hashing, HMAC, randomness, constant-time compare, RSA and P-256 keys.
// No mbedTLS type leaks out of this header; every failing mbedTLS call becomes a CryptoError
// that names the function and its -0x%04x code.
#pragma once
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace authemu {

class CryptoError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

std::string sha256(std::string_view data);  // 32 raw bytes
std::string random_bytes(size_t n);         // from a CTR-DRBG seeded by the OS
std::string uuid_v4();                      // RFC 9562 §5.4 text form
std::string uuid_v5(std::string_view name); // RFC 9562 §5.5, URL namespace: the same name, the same id

std::string hmac_sha256(std::string_view key, std::string_view data); // 32 raw bytes (RFC 2104)

// Compares in time that depends on the lengths only, never on where the contents differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// Whether a private key is a secret. A published key's private half is public (the embedded TEST
// keys, in the source and in the binary): the countermeasures that keep a private key secret
// (RSA base and exponent blinding) protect nothing there, so its RS256 signatures skip them.
// Outside jose/'s tests, only SigningKey::embedded_test_key (jose/key_store.h) asks for it.
enum class Secrecy { secret, published };

// An RSA key pair (RS256 = RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3; PS256 = RSASSA-PSS
// with SHA-256, §3.5). Signing is thread-safe and runs on as many threads at once as the machine
// has cores.
class RsaKey {
public:
  // PEM text of a PKCS#1 ("RSA PRIVATE KEY") or PKCS#8 ("PRIVATE KEY") RSA key of >= 2048 bits.
  static RsaKey from_pem(std::string_view pem, Secrecy secrecy = Secrecy::secret);
  // Big-endian integers, as a JWK's n, e, d, p, q (RFC 7518 §6.3.2); the rest is derived.
  static RsaKey from_components(std::string_view n, std::string_view e, std::string_view d, std::string_view p,
                                std::string_view q);
  static RsaKey generate(unsigned bits);

  RsaKey(RsaKey&&) noexcept;
  RsaKey& operator=(RsaKey&&) noexcept;
  ~RsaKey();

  // Makes signing slot i's one-time values (RS256 blinding: ~1 ms for RSA-2048; for a published
  // key only the key's Montgomery constants, ~0.1 ms, once) that its first signature would
  // otherwise make; false when there is no slot i. Optional; any thread.
  bool prepare_slot(size_t i) const;
  // How many slots hold their one-time values now, made by prepare_slot or a signature (for tests).
  size_t prepared_slots() const;

  // RS256 runs the two CRT halves of a lone signature on two cores (jose/crypto_rsa_crt.cpp).
  std::string sign_rs256(std::string_view data) const;
  bool verify_rs256(std::string_view data, std::string_view signature) const;
  std::string sign_ps256(std::string_view data) const;
  bool verify_ps256(std::string_view data, std::string_view signature) const;

  std::string modulus() const;  // big-endian, no leading zero bytes
  std::string exponent() const; // big-endian, no leading zero bytes
  size_t bits() const;

private:
  struct Impl;
  explicit RsaKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A P-256 key pair for ES256 (ECDSA with SHA-256, RFC 7518 §3.4). Signatures are JOSE r‖s,
// 64 bytes, not DER. Thread-safe like RsaKey.
class EcKey {
public:
  // PEM text of a PKCS#8 ("PRIVATE KEY") or SEC1 ("EC PRIVATE KEY") key on P-256.
  static EcKey from_pem(std::string_view pem);
  // 32-byte big-endian d, x and y, as a JWK's (RFC 7518 §6.2); x and y must be d's public point.
  static EcKey from_components(std::string_view d, std::string_view x, std::string_view y);
  static EcKey generate();

  EcKey(EcKey&&) noexcept;
  EcKey& operator=(EcKey&&) noexcept;
  ~EcKey();

  // Makes signing slot i's nonce for its next signature, which then costs two multiplications mod n
  // instead of a scalar multiplication (~0.2 ms); a later signature makes its own. False when there
  // is no slot i. Optional; any thread.
  bool prepare_slot(size_t i) const;
  // How many slots hold a nonce now, made by prepare_slot (for tests).
  size_t prepared_slots() const;
  std::string sign_es256(std::string_view data) const; // r‖s, 64 bytes
  bool verify_es256(std::string_view data, std::string_view signature) const;

  std::string x() const; // 32 bytes, big-endian
  std::string y() const; // 32 bytes, big-endian

private:
  struct Impl;
  explicit EcKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace authemu
