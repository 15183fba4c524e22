#include "crypto.h"

extern "C" {
#include <mbedtls/constant_time.h>  // declared without C++ linkage guards in 3.6
}
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
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

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return mbedtls_ct_memcmp(a.data(), b.data(), a.size()) == 0;
}

// Each signing slot has its own copy of the private key and its own generator (for RSA
// blinding): mbedTLS contexts are not safe to share between threads without MBEDTLS_THREADING_C,
// and with it RSA private operations on one context would run one at a time.
struct RsaKey::Impl {
  struct Slot {
    std::mutex mutex;
    Drbg drbg;
    Pk pk;
  };
  std::vector<std::unique_ptr<Slot>> slots;
  Pk public_key;  // verification only; read-only once warmed up (see warm_up)
  std::once_flag warmed;
  std::string n, e;
  size_t bits = 0;

  static std::unique_ptr<Impl> from_private_der(const std::string& der) {
    auto impl = std::make_unique<Impl>();
    unsigned count = std::clamp(std::thread::hardware_concurrency(), 1u, 16u);
    for (unsigned i = 0; i < count; ++i) {
      auto slot = std::make_unique<Slot>();
      parse_private_der(slot->pk, der, slot->drbg);
      impl->slots.push_back(std::move(slot));
    }
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
    const auto* n = reinterpret_cast<const unsigned char*>(impl->n.data());
    const auto* e = reinterpret_cast<const unsigned char*>(impl->e.data());
    check(mbedtls_rsa_import_raw(pub, n, impl->n.size(), nullptr, 0, nullptr, 0, nullptr, 0, e,
                                 impl->e.size()),
          "mbedtls_rsa_import_raw");
    check(mbedtls_rsa_complete(pub), "mbedtls_rsa_complete");
    return impl;
  }
};

RsaKey::RsaKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RsaKey::RsaKey(RsaKey&&) noexcept = default;
RsaKey& RsaKey::operator=(RsaKey&&) noexcept = default;
RsaKey::~RsaKey() = default;

RsaKey RsaKey::from_pem(std::string_view pem) {
  std::string text(pem);  // mbedTLS wants PEM NUL-terminated, with the NUL counted
  Drbg drbg;
  Pk pk;
  int ret = mbedtls_pk_parse_key(&pk.ctx, reinterpret_cast<const unsigned char*>(text.c_str()),
                                 text.size() + 1, nullptr, 0, Drbg::callback, &drbg);
  if (ret != 0) {
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "not a PKCS#1 or PKCS#8 PEM private key (mbedtls_pk_parse_key: -0x%04x)",
                  static_cast<unsigned>(-ret));
    throw CryptoError(buf);
  }
  if (mbedtls_pk_get_type(&pk.ctx) != MBEDTLS_PK_RSA) throw CryptoError("not an RSA key");
  size_t bits = mbedtls_pk_get_bitlen(&pk.ctx);
  if (bits < 2048) {
    // RFC 7518 §3.3: RS256 keys must be at least 2048 bits.
    throw CryptoError("RSA key of " + std::to_string(bits) + " bits; RS256 needs at least 2048");
  }
  check(mbedtls_rsa_check_privkey(mbedtls_pk_rsa(pk.ctx)), "mbedtls_rsa_check_privkey");
  std::string der(8192, '\0');
  int len = mbedtls_pk_write_key_der(&pk.ctx, reinterpret_cast<unsigned char*>(der.data()), der.size());
  if (len < 0) check(len, "mbedtls_pk_write_key_der");
  return RsaKey(Impl::from_private_der(der.substr(der.size() - size_t(len))));
}

RsaKey RsaKey::generate(unsigned bits) {
  Drbg drbg;
  Pk pk;
  check(mbedtls_pk_setup(&pk.ctx, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)), "mbedtls_pk_setup");
  check(mbedtls_rsa_gen_key(mbedtls_pk_rsa(pk.ctx), Drbg::callback, &drbg, bits, 65537),
        "mbedtls_rsa_gen_key");
  std::string der(8192, '\0');
  int len = mbedtls_pk_write_key_der(&pk.ctx, reinterpret_cast<unsigned char*>(der.data()), der.size());
  if (len < 0) check(len, "mbedtls_pk_write_key_der");
  return RsaKey(Impl::from_private_der(der.substr(der.size() - size_t(len))));
}

std::string RsaKey::sign_rs256(std::string_view data) const {
  std::string hash = sha256(data);
  auto& slots = impl_->slots;
  size_t start = std::hash<std::thread::id>()(std::this_thread::get_id()) % slots.size();
  Impl::Slot* slot = nullptr;
  std::unique_lock<std::mutex> lock;
  for (size_t i = 0; i < slots.size() && slot == nullptr; ++i) {
    Impl::Slot* candidate = slots[(start + i) % slots.size()].get();
    std::unique_lock<std::mutex> attempt(candidate->mutex, std::try_to_lock);
    if (attempt.owns_lock()) {
      slot = candidate;
      lock = std::move(attempt);
    }
  }
  if (slot == nullptr) {
    slot = slots[start].get();
    lock = std::unique_lock<std::mutex>(slot->mutex);
  }
  std::string sig(MBEDTLS_PK_SIGNATURE_MAX_SIZE, '\0');
  size_t len = 0;
  check(mbedtls_pk_sign(&slot->pk.ctx, MBEDTLS_MD_SHA256,
                        reinterpret_cast<const unsigned char*>(hash.data()), hash.size(),
                        reinterpret_cast<unsigned char*>(sig.data()), sig.size(), &len,
                        Drbg::callback, &slot->drbg),
        "mbedtls_pk_sign");
  sig.resize(len);
  return sig;
}

bool RsaKey::verify_rs256(std::string_view data, std::string_view signature) const {
  // RFC 7518 §3.3: the signature is exactly k octets, k the modulus length.
  if (signature.size() != impl_->n.size()) return false;
  // The first public operation on a context caches a Montgomery constant in it: one operation
  // under call_once keeps every later, concurrent verification read-only. (Signing slots cache
  // theirs under their own mutex.) Done on first use, not at load: most keys of a fixture's
  // environments are never used for verification, and each costs ~1.1 M instructions.
  std::call_once(impl_->warmed, [this] {
    std::string one(impl_->n.size(), '\0');
    one.back() = 1;  // below any modulus, so the exponentiation runs; its result does not matter
    std::string h = sha256("warm-up");
    mbedtls_pk_verify(&impl_->public_key.ctx, MBEDTLS_MD_SHA256, reinterpret_cast<const unsigned char*>(h.data()),
                      h.size(), reinterpret_cast<const unsigned char*>(one.data()), one.size());
  });
  std::string hash = sha256(data);
  return mbedtls_pk_verify(const_cast<mbedtls_pk_context*>(&impl_->public_key.ctx), MBEDTLS_MD_SHA256,
                           reinterpret_cast<const unsigned char*>(hash.data()), hash.size(),
                           reinterpret_cast<const unsigned char*>(signature.data()),
                           signature.size()) == 0;
}

std::string RsaKey::modulus() const { return impl_->n; }
std::string RsaKey::exponent() const { return impl_->e; }
size_t RsaKey::bits() const { return impl_->bits; }

}  // namespace authemu
