#include "jose/crypto_mbedtls.h"

#include <optional>

namespace authemu {

using namespace crypto_detail;

namespace {

// A fresh nonce for the key of slot, whose lock the caller holds.
void make_nonce(Slot& slot) {
  mbedtls_ecp_group& grp = mbedtls_pk_ec(slot.pk.ctx)->MBEDTLS_PRIVATE(grp);
  EcNonce& n = slot.ec;
  Mpi k;
  mbedtls_ecp_point R;
  mbedtls_ecp_point_init(&R);
  struct PointFree {
    mbedtls_ecp_point* p;
    ~PointFree() { mbedtls_ecp_point_free(p); }
  } free_r{&R};
  do {
    check(mbedtls_ecp_gen_privkey(&grp, &k.v, Drbg::callback, &slot.drbg), "mbedtls_ecp_gen_privkey");
    check(mbedtls_ecp_mul(&grp, &R, &k.v, &grp.G, Drbg::callback, &slot.drbg), "mbedtls_ecp_mul");
    check(mbedtls_mpi_mod_mpi(&n.r.v, &R.MBEDTLS_PRIVATE(X), &grp.N), "mbedtls_mpi_mod_mpi");
  } while (mbedtls_mpi_cmp_int(&n.r.v, 0) == 0);
  check(mbedtls_ecp_gen_privkey(&grp, &n.t.v, Drbg::callback, &slot.drbg), "mbedtls_ecp_gen_privkey");
  check(mbedtls_mpi_mul_mpi(&k.v, &k.v, &n.t.v), "mbedtls_mpi_mul_mpi");
  check(mbedtls_mpi_mod_mpi(&k.v, &k.v, &grp.N), "mbedtls_mpi_mod_mpi");
  check(mbedtls_mpi_inv_mod(&n.kt_inverse.v, &k.v, &grp.N), "mbedtls_mpi_inv_mod");
  n.made = true;
}

// r‖s of hash with slot's nonce, which it uses up: s = (e + r d) t (kt)^-1 mod n. Nothing when s is
// 0 (a chance of 2^-256): the caller then signs the usual way.
std::optional<std::string> sign_with_nonce(Slot& slot, std::string_view hash) {
  const mbedtls_ecp_keypair* key = mbedtls_pk_ec(slot.pk.ctx);
  const mbedtls_ecp_group& grp = key->MBEDTLS_PRIVATE(grp);
  const mbedtls_mpi& d = key->MBEDTLS_PRIVATE(d);
  EcNonce& n = slot.ec;
  n.made = false;
  slot.ready.store(false, std::memory_order_release);
  // e: the hash as an integer below n (SEC1 §4.1.3 step 5; P-256 and SHA-256 are both 256 bits).
  Mpi e, s;
  check(mbedtls_mpi_read_binary(&e.v, bytes(hash), hash.size()), "mbedtls_mpi_read_binary");
  if (mbedtls_mpi_cmp_mpi(&e.v, &grp.N) >= 0) check(mbedtls_mpi_sub_mpi(&e.v, &e.v, &grp.N), "mbedtls_mpi_sub_mpi");
  check(mbedtls_mpi_mul_mpi(&s.v, &n.r.v, &d), "mbedtls_mpi_mul_mpi");
  check(mbedtls_mpi_add_mpi(&e.v, &e.v, &s.v), "mbedtls_mpi_add_mpi");
  check(mbedtls_mpi_mul_mpi(&e.v, &e.v, &n.t.v), "mbedtls_mpi_mul_mpi");
  check(mbedtls_mpi_mul_mpi(&s.v, &n.kt_inverse.v, &e.v), "mbedtls_mpi_mul_mpi");
  check(mbedtls_mpi_mod_mpi(&s.v, &s.v, &grp.N), "mbedtls_mpi_mod_mpi");
  if (mbedtls_mpi_cmp_int(&s.v, 0) == 0) return std::nullopt;
  std::string sig(64, '\0');
  auto* out = reinterpret_cast<unsigned char*>(sig.data());
  check(mbedtls_mpi_write_binary(&n.r.v, out, 32), "mbedtls_mpi_write_binary");
  check(mbedtls_mpi_write_binary(&s.v, out + 32, 32), "mbedtls_mpi_write_binary");
  return sig;
}

} // namespace

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

bool EcKey::prepare_slot(size_t i) const {
  if (i >= impl_->slots.size()) return false;
  Slot& slot = *impl_->slots[i];
  // Under the slot's lock (the nonce uses the slot's group and generator); a slot in use is skipped.
  std::unique_lock<std::mutex> lock(slot.mutex, std::try_to_lock);
  if (lock.owns_lock() && !slot.ec.made) {
    make_nonce(slot);
    slot.ready.store(true, std::memory_order_release);
  }
  return true;
}

size_t EcKey::prepared_slots() const {
  return ready_slots(impl_->slots);
}

std::string EcKey::sign_es256(std::string_view data) const {
  std::string hash = sha256(data);
  unsigned char der[MBEDTLS_ECDSA_MAX_LEN];
  size_t der_len = 0;
  {
    std::unique_lock<std::mutex> lock;
    Slot& slot = take_slot(impl_->slots, lock);
    if (slot.ec.made) {
      if (auto sig = sign_with_nonce(slot, hash)) return *sig;
    }
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
  // Verification takes a slot too: an EC context is only known to be safe while one thread uses it.
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
