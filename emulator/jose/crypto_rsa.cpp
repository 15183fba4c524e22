#include "jose/crypto_mbedtls.h"

namespace authemu {

using namespace crypto_detail;

struct RsaKey::Impl {
  Slots slots;
  std::shared_ptr<const RsaCrtKey> crt; // RS256's private values, shared by the slots
  Pk public_key;                        // verification only; read-only once warmed up (see warm_up)
  std::once_flag warmed;
  std::string n, e;
  size_t bits = 0;

  static std::unique_ptr<Impl> from_private_der(const std::string& der, Secrecy secrecy) {
    auto impl = std::make_unique<Impl>();
    impl->slots = make_slots(der);
    const mbedtls_rsa_context* rsa = mbedtls_pk_rsa(impl->slots[0]->pk.ctx);
    mbedtls_mpi N, E;
    mbedtls_mpi_init(&N);
    mbedtls_mpi_init(&E);
    int ret = mbedtls_rsa_export(rsa, &N, nullptr, nullptr, nullptr, &E);
    if (ret == 0) {
      impl->n = mpi_bytes(N);
      impl->e = mpi_bytes(E);
    }
    mbedtls_mpi_free(&N);
    mbedtls_mpi_free(&E);
    check(ret, "mbedtls_rsa_export");
    impl->bits = mbedtls_pk_get_bitlen(&impl->slots[0]->pk.ctx);
    impl->crt = std::make_shared<const RsaCrtKey>(rsa, secrecy == Secrecy::published);

    check(mbedtls_pk_setup(&impl->public_key.ctx, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)), "mbedtls_pk_setup");
    mbedtls_rsa_context* pub = mbedtls_pk_rsa(impl->public_key.ctx);
    check(mbedtls_rsa_import_raw(pub, bytes(impl->n), impl->n.size(), nullptr, 0, nullptr, 0, nullptr, 0,
                                 bytes(impl->e), impl->e.size()),
          "mbedtls_rsa_import_raw");
    check(mbedtls_rsa_complete(pub), "mbedtls_rsa_complete");
    return impl;
  }

  // A checked private key of >= 2048 bits in pk, copied into the signing slots.
  static std::unique_ptr<Impl> from_pk(Pk& pk, Secrecy secrecy) {
    size_t bits = mbedtls_pk_get_bitlen(&pk.ctx);
    if (bits < 2048) {
      // RFC 7518 §3.3 and §3.5: RS256 and PS256 keys must be at least 2048 bits.
      throw CryptoError("RSA key of " + std::to_string(bits) + " bits; RS256 needs at least 2048");
    }
    check(mbedtls_rsa_check_privkey(mbedtls_pk_rsa(pk.ctx)), "mbedtls_rsa_check_privkey");
    return from_private_der(private_der(pk), secrecy);
  }

  // The public context for concurrent verification. The first public operation on a context
  // caches a Montgomery constant in it: one operation under call_once keeps every later,
  // concurrent verification read-only. (Signing slots cache theirs under their own mutex.)
  // Done on first use, not at load: most keys of a fixture's environments are never used for
  // verification, and each costs ~1.1 M instructions.
  mbedtls_rsa_context* verifier() {
    std::call_once(warmed, [this] {
      std::string one(n.size(), '\0');
      one.back() = 1; // below any modulus, so the exponentiation runs; its result does not matter
      std::string h = sha256("warm-up");
      mbedtls_pk_verify(&public_key.ctx, MBEDTLS_MD_SHA256, bytes(h), h.size(), bytes(one), one.size());
    });
    return mbedtls_pk_rsa(public_key.ctx);
  }
};

RsaKey::RsaKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RsaKey::RsaKey(RsaKey&&) noexcept = default;
RsaKey& RsaKey::operator=(RsaKey&&) noexcept = default;
RsaKey::~RsaKey() = default;

RsaKey RsaKey::from_pem(std::string_view pem, Secrecy secrecy) {
  Pk pk;
  parse_private_pem(pk, pem, "PKCS#1 or PKCS#8", secrecy);
  if (mbedtls_pk_get_type(&pk.ctx) != MBEDTLS_PK_RSA) throw CryptoError("not an RSA key");
  return RsaKey(Impl::from_pk(pk, secrecy));
}

RsaKey RsaKey::from_components(std::string_view n, std::string_view e, std::string_view d, std::string_view p,
                               std::string_view q) {
  Pk pk;
  check(mbedtls_pk_setup(&pk.ctx, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)), "mbedtls_pk_setup");
  mbedtls_rsa_context* rsa = mbedtls_pk_rsa(pk.ctx);
  check(mbedtls_rsa_import_raw(rsa, bytes(n), n.size(), bytes(p), p.size(), bytes(q), q.size(), bytes(d), d.size(),
                               bytes(e), e.size()),
        "mbedtls_rsa_import_raw");
  check(mbedtls_rsa_complete(rsa), "mbedtls_rsa_complete");
  return RsaKey(Impl::from_pk(pk, Secrecy::secret));
}

RsaKey RsaKey::generate(unsigned bits) {
  Drbg drbg;
  Pk pk;
  check(mbedtls_pk_setup(&pk.ctx, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)), "mbedtls_pk_setup");
  check(mbedtls_rsa_gen_key(mbedtls_pk_rsa(pk.ctx), Drbg::callback, &drbg, bits, 65537), "mbedtls_rsa_gen_key");
  return RsaKey(Impl::from_private_der(private_der(pk), Secrecy::secret));
}

bool RsaKey::prepare_slot(size_t i) const {
  if (i >= impl_->slots.size()) return false;
  Slot& slot = *impl_->slots[i];
  if (slot.ready.load(std::memory_order_acquire)) return true;
  if (impl_->crt->published) {
    impl_->crt->make_montgomery(); // all a published key's slot needs, shared by every slot
    slot.ready.store(true, std::memory_order_release);
    start_half_helper();
    return true;
  }
  // Made outside the slot's lock: a signature that comes meanwhile takes the slot, not a wait.
  Drbg drbg;
  RsaCrtState fresh;
  rsa_prepare(*impl_->crt, fresh, drbg);
  std::lock_guard<std::mutex> lock(slot.mutex);
  if (!slot.rsa.blinded) {
    mbedtls_mpi_swap(&slot.rsa.vi.v, &fresh.vi.v);
    mbedtls_mpi_swap(&slot.rsa.vf.v, &fresh.vf.v);
    slot.rsa.blinded = true;
  }
  slot.ready.store(true, std::memory_order_release);
  start_half_helper();
  return true;
}

size_t RsaKey::prepared_slots() const {
  return ready_slots(impl_->slots);
}

std::string RsaKey::sign_rs256(std::string_view data) const {
  std::string hash = sha256(data);
  std::unique_lock<std::mutex> lock;
  Slot& slot = take_slot(impl_->slots, lock);
  std::string sig = rsa_sign_pkcs1_sha256(impl_->crt, slot.rsa, slot.drbg, hash);
  slot.ready.store(true, std::memory_order_release);
  return sig;
}

bool RsaKey::verify_rs256(std::string_view data, std::string_view signature) const {
  // RFC 7518 §3.3: the signature is exactly k octets, k the modulus length.
  if (signature.size() != impl_->n.size()) return false;
  std::string hash = sha256(data);
  return mbedtls_rsa_pkcs1_verify(impl_->verifier(), MBEDTLS_MD_SHA256, unsigned(hash.size()), bytes(hash),
                                  bytes(signature)) == 0;
}

std::string RsaKey::sign_ps256(std::string_view data) const {
  std::string hash = sha256(data);
  std::unique_lock<std::mutex> lock;
  Slot& slot = take_slot(impl_->slots, lock);
  mbedtls_rsa_context* rsa = mbedtls_pk_rsa(slot.pk.ctx);
  std::string sig(impl_->n.size(), '\0');
  // PSS padding for this operation only: the slot's context signs RS256 (PKCS#1 v1.5) otherwise.
  check(mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256), "mbedtls_rsa_set_padding");
  // RFC 7518 §3.5: MGF1 with SHA-256 and a salt as long as the hash (32 bytes).
  int ret =
      mbedtls_rsa_rsassa_pss_sign_ext(rsa, Drbg::callback, &slot.drbg, MBEDTLS_MD_SHA256, unsigned(hash.size()),
                                      bytes(hash), int(hash.size()), reinterpret_cast<unsigned char*>(sig.data()));
  mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
  check(ret, "mbedtls_rsa_rsassa_pss_sign_ext");
  return sig;
}

bool RsaKey::verify_ps256(std::string_view data, std::string_view signature) const {
  if (signature.size() != impl_->n.size()) return false;
  std::string hash = sha256(data);
  // RFC 7518 §3.5: MGF1 SHA-256, salt length 32 exactly.
  return mbedtls_rsa_rsassa_pss_verify_ext(impl_->verifier(), MBEDTLS_MD_SHA256, unsigned(hash.size()), bytes(hash),
                                           MBEDTLS_MD_SHA256, int(hash.size()), bytes(signature)) == 0;
}

std::string RsaKey::modulus() const {
  return impl_->n;
}
std::string RsaKey::exponent() const {
  return impl_->e;
}
size_t RsaKey::bits() const {
  return impl_->bits;
}

} // namespace authemu
