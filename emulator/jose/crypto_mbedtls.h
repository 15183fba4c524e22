// Shared by the crypto*.cpp files of jose/ and by tls/ (the two folders that use mbedTLS): mbedTLS
// return checks, PSA's start, the DRBG, parsed key contexts and per-core signing slots. No type
// declared here leaves those two folders.
#pragma once
extern "C" {
#include <mbedtls/constant_time.h> // these two are declared without C++ linkage guards in 3.6
#include <mbedtls/psa_util.h>
}
#include <mbedtls/bignum.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "jose/crypto.h"

namespace authemu::crypto_detail {

// Throws CryptoError naming the function and its -0x%04x code when ret is not 0.
void check(int ret, const char* function);

// Starts PSA crypto (psa_crypto_init) once per process, on first need: TLS 1.3 and X.509 go
// through it; JWT signing does not, so a server without TLS never pays for its start.
void init_psa();

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
// PEM text parsed into pk, or a CryptoError saying it is no PEM private key. A published key's text
// is decoded without mbedTLS's constant-time base64 (the text is public).
void parse_private_pem(Pk& pk, std::string_view pem, const char* kinds, Secrecy secrecy = Secrecy::secret);
std::string private_der(Pk& pk);

struct Mpi {
  Mpi() { mbedtls_mpi_init(&v); }
  ~Mpi() { mbedtls_mpi_free(&v); }
  Mpi(const Mpi&) = delete;
  Mpi& operator=(const Mpi&) = delete;
  mbedtls_mpi v;
};

// An RSA private key as CRT values (RFC 8017 §3.2) and its Montgomery constants, read-only once
// built: shared by the slots and by a signature's helper thread. published: its signatures are
// not blinded (Secrecy::published).
struct RsaCrtKey {
  RsaCrtKey(const mbedtls_rsa_context* rsa, bool published);
  // Makes rn, rp and rq (~0.1 ms for RSA-2048: not at load, which start-up waits for); once, any thread.
  void make_montgomery() const;
  Mpi n, e, p, q, dp, dq, qp, p1, q1; // p1 = p - 1, q1 = q - 1
  // R^2 mod n, p and q. mutable only because mbedtls_mpi_exp_mod takes them by non-const pointer:
  // it writes one only when it is empty, which make_montgomery fills once before any other use.
  mutable Mpi rn, rp, rq;
  mutable std::once_flag montgomery;
  size_t len = 0; // modulus bytes
  bool published = false;
};

// One slot's blinding values (vf random, vi = vf^-e mod n): guarded by the slot's mutex.
struct RsaCrtState {
  Mpi vi, vf;
  bool blinded = false;
};

// Fresh blinding values for key into state (~1 ms for RSA-2048); for a published key only the
// key's Montgomery constants.
void rsa_prepare(const RsaCrtKey& key, RsaCrtState& state, Drbg& drbg);
// Starts the thread that runs the mod-p half of a lone signature (before the first one needs it).
void start_half_helper();
// RFC 8017 §8.2.1 RSASSA-PKCS1-v1_5 signature of a SHA-256 hash (RS256), with mbedTLS's
// countermeasures (base and exponent blinding unless the key is published; the result always
// checked with e before it leaves).
std::string rsa_sign_pkcs1_sha256(const std::shared_ptr<const RsaCrtKey>& key, RsaCrtState& state, Drbg& drbg,
                                  std::string_view hash);

// ES256: a slot's nonce made ahead of a signature, by the steps of mbedTLS 3.6's ecdsa_sign (SEC1
// §4.1.3 with its blinding t): r = x(kG) mod n, t, and (kt)^-1 mod n. Used by one signature only.
struct EcNonce {
  Mpi r, t, kt_inverse;
  bool made = false;
};

// Each signing slot has its own copy of the private key and its own generator (for RSA
// blinding and ECDSA nonces): mbedTLS contexts are not safe to share between threads without
// MBEDTLS_THREADING_C, and with it private operations on one context would run one at a time.
struct Slot {
  std::mutex mutex;
  Drbg drbg;
  Pk pk;
  RsaCrtState rsa;                // RS256 only
  EcNonce ec;                     // ES256 only
  std::atomic<bool> ready{false}; // prepared: no one-time cost left for the next signature (ES256: a nonce)
};
using Slots = std::vector<std::unique_ptr<Slot>>;

Slots make_slots(const std::string& der);
// A free slot, locked: the calling thread's usual one if free and ready, else any free ready one,
// else any free one, else wait for the usual one.
Slot& take_slot(const Slots& slots, std::unique_lock<std::mutex>& lock);
// How many of slots are ready now.
size_t ready_slots(const Slots& slots);

inline const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

} // namespace authemu::crypto_detail
