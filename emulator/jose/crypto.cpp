#include "jose/crypto.h"

extern "C" {
#include <mbedtls/constant_time.h>  // these two are declared without C++ linkage guards in 3.6
#include <mbedtls/psa_util.h>
}
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace authemu {

namespace {

void check(int ret, const char* function) {
  if (ret != 0) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "%s failed: -0x%04x", function, static_cast<unsigned>(-ret));
    throw CryptoError(buf);
  }
}

// One entropy source and deterministic generator, each owned by whoever holds it.
class Drbg {
 public:
  Drbg() {
    mbedtls_entropy_init(&entropy_);
    mbedtls_ctr_drbg_init(&drbg_);
    static const char kPersonal[] = "authemu";
    check(mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_,
                                reinterpret_cast<const unsigned char*>(kPersonal),
                                sizeof kPersonal - 1),
          "mbedtls_ctr_drbg_seed");
  }
  ~Drbg() {
    mbedtls_ctr_drbg_free(&drbg_);
    mbedtls_entropy_free(&entropy_);
  }
  Drbg(const Drbg&) = delete;
  Drbg& operator=(const Drbg&) = delete;

  static int callback(void* self, unsigned char* out, size_t len) {
    return mbedtls_ctr_drbg_random(&static_cast<Drbg*>(self)->drbg_, out, len);
  }

 private:
  mbedtls_entropy_context entropy_;
  mbedtls_ctr_drbg_context drbg_;
};

struct SharedDrbg {
  std::mutex mutex;
  Drbg drbg;
};

SharedDrbg& shared_drbg() {
  static SharedDrbg instance;
  return instance;
}

struct Pk {
  Pk() { mbedtls_pk_init(&ctx); }
  ~Pk() { mbedtls_pk_free(&ctx); }
  Pk(const Pk&) = delete;
  Pk& operator=(const Pk&) = delete;
  mbedtls_pk_context ctx;
};

std::string mpi_bytes(const mbedtls_mpi& n) {
  std::string out(mbedtls_mpi_size(&n), '\0');
  check(mbedtls_mpi_write_binary(&n, reinterpret_cast<unsigned char*>(out.data()), out.size()),
        "mbedtls_mpi_write_binary");
  return out;
}

void parse_private_der(Pk& pk, const std::string& der, Drbg& drbg) {
  check(mbedtls_pk_parse_key(&pk.ctx, reinterpret_cast<const unsigned char*>(der.data()), der.size(),
                             nullptr, 0, Drbg::callback, &drbg),
        "mbedtls_pk_parse_key");
}

// PEM text parsed into pk, or a CryptoError saying it is no PEM private key.
void parse_private_pem(Pk& pk, std::string_view pem, const char* kinds) {
  std::string text(pem);  // mbedTLS wants PEM NUL-terminated, with the NUL counted
  Drbg drbg;
  int ret = mbedtls_pk_parse_key(&pk.ctx, reinterpret_cast<const unsigned char*>(text.c_str()), text.size() + 1,
                                 nullptr, 0, Drbg::callback, &drbg);
  if (ret != 0) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "not a %s PEM private key (mbedtls_pk_parse_key: -0x%04x)", kinds,
                  static_cast<unsigned>(-ret));
    throw CryptoError(buf);
  }
}

std::string private_der(Pk& pk) {
  std::string der(8192, '\0');
  int len = mbedtls_pk_write_key_der(&pk.ctx, reinterpret_cast<unsigned char*>(der.data()), der.size());
  if (len < 0) check(len, "mbedtls_pk_write_key_der");
  return der.substr(der.size() - size_t(len));
}

// Each signing slot has its own copy of the private key and its own generator (for RSA
// blinding and ECDSA nonces): mbedTLS contexts are not safe to share between threads without
// MBEDTLS_THREADING_C, and with it private operations on one context would run one at a time.
struct Slot {
  std::mutex mutex;
  Drbg drbg;
  Pk pk;
};
using Slots = std::vector<std::unique_ptr<Slot>>;

Slots make_slots(const std::string& der) {
  Slots slots;
  unsigned count = std::clamp(std::thread::hardware_concurrency(), 1u, 16u);
  for (unsigned i = 0; i < count; ++i) {
    auto slot = std::make_unique<Slot>();
    parse_private_der(slot->pk, der, slot->drbg);
    slots.push_back(std::move(slot));
  }
  return slots;
}

// A free slot, locked: the calling thread's usual one if free, else any free one, else wait.
Slot& take_slot(const Slots& slots, std::unique_lock<std::mutex>& lock) {
  size_t start = std::hash<std::thread::id>()(std::this_thread::get_id()) % slots.size();
  for (size_t i = 0; i < slots.size(); ++i) {
    Slot* candidate = slots[(start + i) % slots.size()].get();
    std::unique_lock<std::mutex> attempt(candidate->mutex, std::try_to_lock);
    if (attempt.owns_lock()) {
      lock = std::move(attempt);
      return *candidate;
    }
  }
  lock = std::unique_lock<std::mutex>(slots[start]->mutex);
  return *slots[start];
}

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

std::string sha256(std::string_view data) {
  std::string out(32, '\0');
  check(mbedtls_sha256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                       reinterpret_cast<unsigned char*>(out.data()), 0),
        "mbedtls_sha256");
  return out;
}

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  auto& shared = shared_drbg();
  std::lock_guard<std::mutex> lock(shared.mutex);
  check(Drbg::callback(&shared.drbg, reinterpret_cast<unsigned char*>(out.data()), n),
        "mbedtls_ctr_drbg_random");
  return out;
}

std::string uuid_v4() {
  std::string b = random_bytes(16);
  b[6] = char((uint8_t(b[6]) & 0x0f) | 0x40);  // version 4
  b[8] = char((uint8_t(b[8]) & 0x3f) | 0x80);  // variant 10
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[uint8_t(b[i]) >> 4];
    out += kHex[uint8_t(b[i]) & 15];
  }
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::string out(32, '\0');
  check(mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), bytes(key), key.size(), bytes(data), data.size(),
                        reinterpret_cast<unsigned char*>(out.data())),
        "mbedtls_md_hmac");
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return mbedtls_ct_memcmp(a.data(), b.data(), a.size()) == 0;
}

struct RsaKey::Impl {
  Slots slots;
  Pk public_key;  // verification only; read-only once warmed up (see warm_up)
  std::once_flag warmed;
  std::string n, e;
  size_t bits = 0;

  static std::unique_ptr<Impl> from_private_der(const std::string& der) {
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

    check(mbedtls_pk_setup(&impl->public_key.ctx, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)),
          "mbedtls_pk_setup");
    mbedtls_rsa_context* pub = mbedtls_pk_rsa(impl->public_key.ctx);
    check(mbedtls_rsa_import_raw(pub, bytes(impl->n), impl->n.size(), nullptr, 0, nullptr, 0, nullptr, 0,
                                 bytes(impl->e), impl->e.size()),
          "mbedtls_rsa_import_raw");
    check(mbedtls_rsa_complete(pub), "mbedtls_rsa_complete");
    return impl;
  }

  // A checked private key of >= 2048 bits in pk, copied into the signing slots.
  static std::unique_ptr<Impl> from_pk(Pk& pk) {
    size_t bits = mbedtls_pk_get_bitlen(&pk.ctx);
    if (bits < 2048) {
      // RFC 7518 §3.3 and §3.5: RS256 and PS256 keys must be at least 2048 bits.
      throw CryptoError("RSA key of " + std::to_string(bits) + " bits; RS256 needs at least 2048");
    }
    check(mbedtls_rsa_check_privkey(mbedtls_pk_rsa(pk.ctx)), "mbedtls_rsa_check_privkey");
    return from_private_der(private_der(pk));
  }

  // The public context for concurrent verification. The first public operation on a context
  // caches a Montgomery constant in it: one operation under call_once keeps every later,
  // concurrent verification read-only. (Signing slots cache theirs under their own mutex.)
  // Done on first use, not at load: most keys of a fixture's environments are never used for
  // verification, and each costs ~1.1 M instructions.
  mbedtls_rsa_context* verifier() {
    std::call_once(warmed, [this] {
      std::string one(n.size(), '\0');
      one.back() = 1;  // below any modulus, so the exponentiation runs; its result does not matter
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

RsaKey RsaKey::from_pem(std::string_view pem) {
  Pk pk;
  parse_private_pem(pk, pem, "PKCS#1 or PKCS#8");
  if (mbedtls_pk_get_type(&pk.ctx) != MBEDTLS_PK_RSA) throw CryptoError("not an RSA key");
  return RsaKey(Impl::from_pk(pk));
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
  return RsaKey(Impl::from_pk(pk));
}

RsaKey RsaKey::generate(unsigned bits) {
  Drbg drbg;
  Pk pk;
  check(mbedtls_pk_setup(&pk.ctx, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)), "mbedtls_pk_setup");
  check(mbedtls_rsa_gen_key(mbedtls_pk_rsa(pk.ctx), Drbg::callback, &drbg, bits, 65537),
        "mbedtls_rsa_gen_key");
  return RsaKey(Impl::from_private_der(private_der(pk)));
}

std::string RsaKey::sign_rs256(std::string_view data) const {
  std::string hash = sha256(data);
  std::unique_lock<std::mutex> lock;
  Slot& slot = take_slot(impl_->slots, lock);
  std::string sig(MBEDTLS_PK_SIGNATURE_MAX_SIZE, '\0');
  size_t len = 0;
  check(mbedtls_pk_sign(&slot.pk.ctx, MBEDTLS_MD_SHA256, bytes(hash), hash.size(),
                        reinterpret_cast<unsigned char*>(sig.data()), sig.size(), &len, Drbg::callback, &slot.drbg),
        "mbedtls_pk_sign");
  sig.resize(len);
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
  int ret = mbedtls_rsa_rsassa_pss_sign_ext(rsa, Drbg::callback, &slot.drbg, MBEDTLS_MD_SHA256, unsigned(hash.size()),
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

std::string RsaKey::modulus() const { return impl_->n; }
std::string RsaKey::exponent() const { return impl_->e; }
size_t RsaKey::bits() const { return impl_->bits; }

// Verification takes a slot too: an EC context is only known to be safe while one thread uses it.
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
    throw CryptoError("P-256 d, x and y must be 32 bytes each");  // RFC 7518 §6.2.1.2, §6.2.2.1
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
  if (signature.size() != 64) return false;  // RFC 7518 §3.4: exactly 64 octets, never DER
  unsigned char der[MBEDTLS_ECDSA_MAX_LEN];
  size_t der_len = 0;
  if (mbedtls_ecdsa_raw_to_der(256, bytes(signature), signature.size(), der, sizeof der, &der_len) != 0) return false;
  std::string hash = sha256(data);
  std::unique_lock<std::mutex> lock;
  Slot& slot = take_slot(impl_->slots, lock);
  return mbedtls_pk_verify(&slot.pk.ctx, MBEDTLS_MD_SHA256, bytes(hash), hash.size(), der, der_len) == 0;
}

std::string EcKey::x() const { return impl_->x; }
std::string EcKey::y() const { return impl_->y; }

}  // namespace authemu
