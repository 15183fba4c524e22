// Shared by the crypto*.cpp files of jose/ only: mbedTLS return checks, the DRBG, parsed key
// contexts and per-core signing slots. No type declared here leaves jose/.
#pragma once
extern "C" {
#include <mbedtls/constant_time.h> // these two are declared without C++ linkage guards in 3.6
#include <mbedtls/psa_util.h>
}
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "jose/crypto.h"

namespace authemu::crypto_detail {

// Throws CryptoError naming the function and its -0x%04x code when ret is not 0.
void check(int ret, const char* function);

// One entropy source and deterministic generator, each owned by whoever holds it.
class Drbg {
public:
  Drbg() {
    mbedtls_entropy_init(&entropy_);
    mbedtls_ctr_drbg_init(&drbg_);
    static const char kPersonal[] = "authemu";
    check(mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_,
                                reinterpret_cast<const unsigned char*>(kPersonal), sizeof kPersonal - 1),
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
SharedDrbg& shared_drbg();

struct Pk {
  Pk() { mbedtls_pk_init(&ctx); }
  ~Pk() { mbedtls_pk_free(&ctx); }
  Pk(const Pk&) = delete;
  Pk& operator=(const Pk&) = delete;
  mbedtls_pk_context ctx;
};

std::string mpi_bytes(const mbedtls_mpi& n);
void parse_private_der(Pk& pk, const std::string& der, Drbg& drbg);
// PEM text parsed into pk, or a CryptoError saying it is no PEM private key.
void parse_private_pem(Pk& pk, std::string_view pem, const char* kinds);
std::string private_der(Pk& pk);

// Each signing slot has its own copy of the private key and its own generator (for RSA
// blinding and ECDSA nonces): mbedTLS contexts are not safe to share between threads without
// MBEDTLS_THREADING_C, and with it private operations on one context would run one at a time.
struct Slot {
  std::mutex mutex;
  Drbg drbg;
  Pk pk;
};
using Slots = std::vector<std::unique_ptr<Slot>>;

Slots make_slots(const std::string& der);
// A free slot, locked: the calling thread's usual one if free, else any free one, else wait.
Slot& take_slot(const Slots& slots, std::unique_lock<std::mutex>& lock);

inline const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

} // namespace authemu::crypto_detail
