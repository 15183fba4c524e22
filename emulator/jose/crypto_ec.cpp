#include "jose/crypto_mbedtls.h"

namespace authemu {

using namespace crypto_detail;

struct EcKey::Impl {
  Slots slots;
  std::string x, y;

  static std::unique_ptr<Impl> from_pk(Pk& pk) {
    if (mbedtls_pk_get_type(&pk.ctx) != MBEDTLS_PK_ECKEY) throw CryptoError("not an EC key");
    const mbedtls_ecp_keypair* ec = mbedtls_pk_ec(pk.ctx);
    // RFC 7518 §3.4: ES256 is ECDSA on P-256 only.
    if (mbedtls_ecp_keypair_get_group_id(ec) != MBEDTLS_ECP_DP_SECP256R1) {
      throw CryptoError("EC key not on P-256; ES256 needs P-256");
    }
    unsigned char point[65];
    size_t len = 0;
    check(mbedtls_ecp_write_public_key(ec, MBEDTLS_ECP_PF_UNCOMPRESSED, &len, point, sizeof point),
          "mbedtls_ecp_write_public_key");
    auto impl = std::make_unique<Impl>();
    impl->x.assign(reinterpret_cast<const char*>(point + 1), 32);
    impl->y.assign(reinterpret_cast<const char*>(point + 33), 32);
    impl->slots = make_slots(private_der(pk));
    return impl;
  }
};

EcKey::EcKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EcKey::EcKey(EcKey&&) noexcept = default;
EcKey& EcKey::operator=(EcKey&&) noexcept = default;
EcKey::~EcKey() = default;

EcKey EcKey::from_pem(std::string_view pem) {
  Pk pk;
  parse_private_pem(pk, pem, "PKCS#8 or SEC1");
  return EcKey(Impl::from_pk(pk));
}

EcKey EcKey::from_components(std::string_view d, std::string_view x, std::string_view y) {
  if (d.size() != 32 || x.size() != 32 || y.size() != 32) {
    throw CryptoError("P-256 d, x and y must be 32 bytes each"); // RFC 7518 §6.2.1.2, §6.2.2.1
  }
  Pk pk;
  check(mbedtls_pk_setup(&pk.ctx, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), "mbedtls_pk_setup");
  mbedtls_ecp_keypair* ec = mbedtls_pk_ec(pk.ctx);
  check(mbedtls_ecp_read_key(MBEDTLS_ECP_DP_SECP256R1, ec, bytes(d), d.size()), "mbedtls_ecp_read_key");
  Drbg drbg;
  check(mbedtls_ecp_keypair_calc_public(ec, Drbg::callback, &drbg), "mbedtls_ecp_keypair_calc_public");
  auto impl = Impl::from_pk(pk);
  if (impl->x != x || impl->y != y) throw CryptoError("EC x and y are not the public point of d");
  return EcKey(std::move(impl));
}

EcKey EcKey::generate() {
  Drbg drbg;
  Pk pk;
  check(mbedtls_pk_setup(&pk.ctx, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), "mbedtls_pk_setup");
  check(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(pk.ctx), Drbg::callback, &drbg),
        "mbedtls_ecp_gen_key");
  return EcKey(Impl::from_pk(pk));
}

std::string EcKey::sign_es256(std::string_view data) const {
  std::string hash = sha256(data);
  unsigned char der[MBEDTLS_ECDSA_MAX_LEN];
  size_t der_len = 0;
  {
    std::unique_lock<std::mutex> lock;
    Slot& slot = take_slot(impl_->slots, lock);
    check(mbedtls_pk_sign(&slot.pk.ctx, MBEDTLS_MD_SHA256, bytes(hash), hash.size(), der, sizeof der, &der_len,
                          Drbg::callback, &slot.drbg),
          "mbedtls_pk_sign");
  }
  // RFC 7518 §3.4: the JWS signature is r and s as 32-byte big-endian integers, concatenated.
  std::string sig(64, '\0');
  size_t len = 0;
  check(mbedtls_ecdsa_der_to_raw(256, der, der_len, reinterpret_cast<unsigned char*>(sig.data()), sig.size(), &len),
        "mbedtls_ecdsa_der_to_raw");
  sig.resize(len);
  return sig;
}

bool EcKey::verify_es256(std::string_view data, std::string_view signature) const {
  if (signature.size() != 64) return false; // RFC 7518 §3.4: exactly 64 octets, never DER
  unsigned char der[MBEDTLS_ECDSA_MAX_LEN];
  size_t der_len = 0;
  if (mbedtls_ecdsa_raw_to_der(256, bytes(signature), signature.size(), der, sizeof der, &der_len) != 0) return false;
  std::string hash = sha256(data);
  std::unique_lock<std::mutex> lock;
  Slot& slot = take_slot(impl_->slots, lock);
  return mbedtls_pk_verify(&slot.pk.ctx, MBEDTLS_MD_SHA256, bytes(hash), hash.size(), der, der_len) == 0;
}

std::string EcKey::x() const {
  return impl_->x;
}
std::string EcKey::y() const {
  return impl_->y;
}

} // namespace authemu
