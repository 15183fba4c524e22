// The only door to mbedTLS: hashing, randomness, constant-time compare and RSA keys.
// No mbedTLS type leaks out of this header; every failing mbedTLS call becomes a CryptoError
// that names the function and its -0x%04x code.
#pragma once
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

// Compares in time that depends on the lengths only, never on where the contents differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// An RSA key pair (RS256 = RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3).
// Signing is thread-safe and runs on as many threads at once as the machine has cores.
class RsaKey {
 public:
  // PEM text of a PKCS#1 ("RSA PRIVATE KEY") or PKCS#8 ("PRIVATE KEY") RSA key of >= 2048 bits.
  static RsaKey from_pem(std::string_view pem);
  static RsaKey generate(unsigned bits);

  RsaKey(RsaKey&&) noexcept;
  RsaKey& operator=(RsaKey&&) noexcept;
  ~RsaKey();

  std::string sign_rs256(std::string_view data) const;
  bool verify_rs256(std::string_view data, std::string_view signature) const;

  std::string modulus() const;   // big-endian, no leading zero bytes
  std::string exponent() const;  // big-endian, no leading zero bytes
  size_t bits() const;

 private:
  struct Impl;
  explicit RsaKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace authemu
