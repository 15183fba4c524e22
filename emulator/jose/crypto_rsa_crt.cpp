// The RSA private-key operation of RS256 on mbedTLS's big numbers, so that a lone signature can run
// its two CRT halves on two cores and a slot's blinding values can be made before its first use.
// The steps and countermeasures are mbedTLS 3.6's mbedtls_rsa_private: base blinding (vi, vf),
// exponent blinding, CRT, and the result checked with e before it is unblinded. Two differences:
// the check, whose exponent e is public, uses the exponentiation that is constant time in all but
// the exponent (as mbedTLS's public operation); and a published key (Secrecy::published) is not
// blinded and its halves use that exponentiation too, as its dp and dq are public as well.
#include <mbedtls/bignum.h>
#include <mbedtls/build_info.h>
#include <sched.h>
extern "C" {
// mbedtls_mpi_exp_mod_unsafe, X = A^E mod N constant time in A and N but not in E (what mbedTLS's
// RSA public operation uses), through mbedTLS's own declaration: its library/ folder is on this
// file's include path only (Makefile, MBEDTLS_INTERNAL), since the header is not installed.
#include <bignum_internal.h>
}

#include <chrono>
#include <condition_variable>
#include <thread>

#include "base/cpu.h"
#include "jose/crypto_mbedtls.h"

// The steps below follow mbedTLS 3.6's mbedtls_rsa_private (library/rsa.c): review them against a
// new version's before building with it (MBEDTLS_VERSION in scripts/deps.env pins the exact one).
static_assert(MBEDTLS_VERSION_MAJOR == 3 && MBEDTLS_VERSION_MINOR == 6,
              "jose/crypto_rsa_crt.cpp follows mbedTLS 3.6's mbedtls_rsa_private");

namespace authemu::crypto_detail {

namespace {

constexpr size_t kExponentBlindingBytes = 28; // as mbedTLS's RSA_EXPONENT_BLINDING

using ExpMod = int (*)(mbedtls_mpi*, const mbedtls_mpi*, const mbedtls_mpi*, const mbedtls_mpi*, mbedtls_mpi*);

// The exponentiation for key's private exponents: constant time in them unless they are published.
ExpMod exp_mod_private(const RsaCrtKey& key) {
  return key.published ? mbedtls_mpi_exp_mod_unsafe : mbedtls_mpi_exp_mod;
}

// The mod-p half of a lone signature, with its own copies of what it reads: a signature that stops
// waiting for it leaves nothing behind that the helper could still touch.
struct HalfJob {
  std::shared_ptr<const RsaCrtKey> key;
  Mpi t, d, out;
  int ret = 0;
};

// The second core for the mod-p half of a lone signature: one thread, made before the first
// signature, one job at a time. Never destroyed, so that no waiting thread outlives its condition
// variables at exit.
class HalfHelper {
public:
  static HalfHelper& instance() {
    static HalfHelper* helper = new HalfHelper;
    return *helper;
  }

  void start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (started_) return;
    std::thread helper([this] { run(); });
    thread_ = helper.native_handle();
    helper.detach();
    started_ = true;
  }

  // Hands job over unless the helper is busy (another signature's half, or one it gave up on) or
  // there is no second CPU for it. It wakes on a CPU other than the caller's: woken onto the
  // caller's, it would wait there until the caller's half is done.
  bool try_start(std::shared_ptr<HalfJob> job) {
    if (usable_cpus() < 2) return false;
    std::lock_guard<std::mutex> lock(mutex_);
    if (!started_ || job_ || running_) return false;
    int cpu = current_cpu();
    if (cpu != avoided_cpu_ && keep_off_cpu(thread_, cpu)) avoided_cpu_ = cpu;
    job_ = std::move(job);
    wake_.notify_one();
    return true;
  }

  // True once job has run, waiting at most patience for it; false if the helper had not begun it
  // (taken back) or is still at it then (a busy machine): the caller then runs the half itself.
  // It polls rather than sleeps on a condition variable: measured on the 2-core VM with other
  // builds running (2026-12-06, bench-sign), polling gave 490-600 signatures/s and 1.21 ms for a
  // first signature (median of 21), a condition variable's wait_until 420-510/s and 1.39 ms.
  bool finish(const std::shared_ptr<HalfJob>& job, std::chrono::nanoseconds patience) {
    auto deadline = std::chrono::steady_clock::now() + patience;
    std::unique_lock<std::mutex> lock(mutex_);
    if (job_ == job) {
      job_ = nullptr;
      return false;
    }
    while (done_ != job) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      lock.unlock();
      std::this_thread::yield();
      lock.lock();
    }
    return true;
  }

private:
  void run() {
    // Whoever started it (KeyPreparer's thread may be kept off a CPU, or at idle priority later)
    // passes on its affinity and policy: the helper wants neither.
    allow_all_cpus(pthread_self());
    sched_param normal{};
    sched_setscheduler(0, SCHED_OTHER, &normal);
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return job_ != nullptr; });
      std::shared_ptr<HalfJob> job = std::move(job_);
      job_ = nullptr;
      running_ = true;
      lock.unlock();
      job->ret = exp_mod_private(*job->key)(&job->out.v, &job->t.v, &job->d.v, &job->key->p.v, &job->key->rp.v);
      lock.lock();
      running_ = false;
      done_ = std::move(job);
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::shared_ptr<HalfJob> job_, done_; // waiting to run; the last one run
  bool started_ = false, running_ = false;
  pthread_t thread_{};
  int avoided_cpu_ = -1; // the CPU the helper's affinity leaves out
};

std::atomic<int> signing{0}; // signatures in progress, all keys

class SigningCount {
public:
  SigningCount() : alone_(signing.fetch_add(1, std::memory_order_acq_rel) == 0) {}
  ~SigningCount() { signing.fetch_sub(1, std::memory_order_acq_rel); }
  bool alone() const { return alone_; }

private:
  bool alone_;
};

// RFC 8017 §9.2 EMSA-PKCS1-v1_5 with SHA-256: 00 01 FF…FF 00, the DigestInfo prefix, the hash.
std::string emsa_pkcs1_sha256(std::string_view hash, size_t len) {
  static const unsigned char kDigestInfo[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                              0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
  size_t tail = sizeof kDigestInfo + hash.size();
  if (hash.size() != 32 || len < tail + 11) throw CryptoError("RSA key too small for RS256");
  std::string em(len, '\xff');
  em[0] = 0x00;
  em[1] = 0x01;
  em[len - tail - 1] = 0x00;
  em.replace(len - tail, sizeof kDigestInfo, reinterpret_cast<const char*>(kDigestInfo), sizeof kDigestInfo);
  em.replace(len - hash.size(), hash.size(), hash);
  return em;
}

// x = (y * z) mod m
void mul_mod(mbedtls_mpi* x, const mbedtls_mpi* y, const mbedtls_mpi* z, const mbedtls_mpi* m) {
  check(mbedtls_mpi_mul_mpi(x, y, z), "mbedtls_mpi_mul_mpi");
  check(mbedtls_mpi_mod_mpi(x, x, m), "mbedtls_mpi_mod_mpi");
}

// t = ((tp - tq) * qp mod p) * q + tq: the value that is tp mod p and tq mod q (as rsa_apply_crt).
void apply_crt(mbedtls_mpi* t, const mbedtls_mpi* tp, const mbedtls_mpi* tq, const RsaCrtKey& key) {
  check(mbedtls_mpi_sub_mpi(t, tp, tq), "mbedtls_mpi_sub_mpi");
  mul_mod(t, t, &key.qp.v, &key.p.v);
  check(mbedtls_mpi_mul_mpi(t, t, &key.q.v), "mbedtls_mpi_mul_mpi");
  check(mbedtls_mpi_add_mpi(t, t, tq), "mbedtls_mpi_add_mpi");
}

// A random r in [1, m) and its inverse mod m (m prime).
void random_with_inverse(mbedtls_mpi* r, mbedtls_mpi* inverse, const mbedtls_mpi* m, Drbg& drbg) {
  check(mbedtls_mpi_random(r, 1, m, Drbg::callback, &drbg), "mbedtls_mpi_random");
  check(mbedtls_mpi_inv_mod(inverse, r, m), "mbedtls_mpi_inv_mod");
}

// (p - 1) * r + d, r random of kExponentBlindingBytes: the same result mod p - 1, another exponent.
void blind_exponent(mbedtls_mpi* out, const mbedtls_mpi* p1, const mbedtls_mpi* d, Drbg& drbg) {
  Mpi r;
  check(mbedtls_mpi_fill_random(&r.v, kExponentBlindingBytes, Drbg::callback, &drbg), "mbedtls_mpi_fill_random");
  check(mbedtls_mpi_mul_mpi(out, p1, &r.v), "mbedtls_mpi_mul_mpi");
  check(mbedtls_mpi_add_mpi(out, out, d), "mbedtls_mpi_add_mpi");
}

} // namespace

RsaCrtKey::RsaCrtKey(const mbedtls_rsa_context* rsa, bool is_published) : published(is_published) {
  check(mbedtls_rsa_export(rsa, &n.v, &p.v, &q.v, nullptr, &e.v), "mbedtls_rsa_export");
  check(mbedtls_rsa_export_crt(rsa, &dp.v, &dq.v, &qp.v), "mbedtls_rsa_export_crt");
  check(mbedtls_mpi_sub_int(&p1.v, &p.v, 1), "mbedtls_mpi_sub_int");
  check(mbedtls_mpi_sub_int(&q1.v, &q.v, 1), "mbedtls_mpi_sub_int");
  len = mbedtls_mpi_size(&n.v);
}

void RsaCrtKey::make_montgomery() const {
  std::call_once(montgomery, [this] {
    // The first exponentiation mod each modulus stores its Montgomery constant; later ones read it.
    // 1^1, public: the public-exponent exponentiation does little more than make the constant
    // (0.5 M instructions for the three, against 5.6 M for the constant-time one's 64-bit pass).
    Mpi one, unused;
    check(mbedtls_mpi_lset(&one.v, 1), "mbedtls_mpi_lset");
    for (auto [m, r] : {std::pair{&n, &rn}, {&p, &rp}, {&q, &rq}})
      check(mbedtls_mpi_exp_mod_unsafe(&unused.v, &one.v, &one.v, &m->v, &r->v), "mbedtls_mpi_exp_mod");
  });
}

void rsa_prepare(const RsaCrtKey& key, RsaCrtState& state, Drbg& drbg) {
  key.make_montgomery();
  if (key.published) {
    state.blinded = true; // nothing to blind
    return;
  }
  // vf and its inverse mod p and mod q, joined by the CRT (as mbedTLS's rsa_gen_rand_with_inverse).
  Mpi ap, bp, aq, bq;
  random_with_inverse(&ap.v, &bp.v, &key.p.v, drbg);
  random_with_inverse(&aq.v, &bq.v, &key.q.v, drbg);
  apply_crt(&state.vf.v, &ap.v, &aq.v, key);
  apply_crt(&state.vi.v, &bp.v, &bq.v, key);
  check(mbedtls_mpi_exp_mod_unsafe(&state.vi.v, &state.vi.v, &key.e.v, &key.n.v, &key.rn.v), "mbedtls_mpi_exp_mod");
  state.blinded = true;
}

void start_half_helper() {
  HalfHelper::instance().start();
}

std::string rsa_sign_pkcs1_sha256(const std::shared_ptr<const RsaCrtKey>& key_ptr, RsaCrtState& state, Drbg& drbg,
                                  std::string_view hash) {
  const RsaCrtKey& key = *key_ptr;
  std::string em = emsa_pkcs1_sha256(hash, key.len);
  Mpi t, blinded, dq, tq, check_value;
  check(mbedtls_mpi_read_binary(&t.v, reinterpret_cast<const unsigned char*>(em.data()), em.size()),
        "mbedtls_mpi_read_binary");
  if (!state.blinded) {
    rsa_prepare(key, state, drbg); // and the key's Montgomery constants: every use below follows it
  } else if (!key.published) {
    // New blinding values from the last ones, by squaring (as mbedTLS's rsa_prepare_blinding).
    mul_mod(&state.vi.v, &state.vi.v, &state.vi.v, &key.n.v);
    mul_mod(&state.vf.v, &state.vf.v, &state.vf.v, &key.n.v);
  }
  if (!key.published) mul_mod(&t.v, &t.v, &state.vi.v, &key.n.v);
  check(mbedtls_mpi_copy(&blinded.v, &t.v), "mbedtls_mpi_copy");
  auto half = std::make_shared<HalfJob>();
  half->key = key_ptr;
  check(mbedtls_mpi_copy(&half->t.v, &t.v), "mbedtls_mpi_copy");
  if (key.published) {
    check(mbedtls_mpi_copy(&half->d.v, &key.dp.v), "mbedtls_mpi_copy");
    check(mbedtls_mpi_copy(&dq.v, &key.dq.v), "mbedtls_mpi_copy");
  } else {
    blind_exponent(&half->d.v, &key.p1.v, &key.dp.v, drbg);
    blind_exponent(&dq.v, &key.q1.v, &key.dq.v, drbg);
  }

  // t^dp mod p and t^dq mod q: on two cores when no other signature runs and the helper keeps up.
  SigningCount count;
  bool handed = count.alone() && HalfHelper::instance().try_start(half);
  auto start = std::chrono::steady_clock::now();
  ExpMod exp_mod = exp_mod_private(key);
  check(exp_mod(&tq.v, &t.v, &dq.v, &key.q.v, &key.rq.v), "mbedtls_mpi_exp_mod");
  auto patience = (std::chrono::steady_clock::now() - start) / 2;
  Mpi tp;
  if (handed && HalfHelper::instance().finish(half, patience)) {
    check(half->ret, "mbedtls_mpi_exp_mod");
    mbedtls_mpi_swap(&tp.v, &half->out.v);
  } else {
    // Into tp, not half->out: a helper that was given up on may still be writing that.
    check(exp_mod(&tp.v, &t.v, &half->d.v, &key.p.v, &key.rp.v), "mbedtls_mpi_exp_mod");
  }
  apply_crt(&t.v, &tp.v, &tq.v, key);

  // A fault in either half would reveal a factor of n (Boneh, DeMillo, Lipton): check t^e first.
  check(mbedtls_mpi_exp_mod_unsafe(&check_value.v, &t.v, &key.e.v, &key.n.v, &key.rn.v), "mbedtls_mpi_exp_mod");
  if (mbedtls_mpi_cmp_mpi(&check_value.v, &blinded.v) != 0) throw CryptoError("RSA signature failed its check");
  if (!key.published) mul_mod(&t.v, &t.v, &state.vf.v, &key.n.v);
  std::string sig(key.len, '\0');
  check(mbedtls_mpi_write_binary(&t.v, reinterpret_cast<unsigned char*>(sig.data()), sig.size()),
        "mbedtls_mpi_write_binary");
  return sig;
}

} // namespace authemu::crypto_detail
