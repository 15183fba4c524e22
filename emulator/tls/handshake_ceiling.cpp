#include "tls/handshake_ceiling.h"

#include <psa/crypto.h>

#include <time.h>

#include <chrono>
#include <functional>

#include "tls/tls_identity_impl.h"

namespace authemu {

using namespace tls_detail;

namespace {

struct PsaKey {
  ~PsaKey() { psa_destroy_key(id); }
  psa_key_id_t id = 0;
};

// A new ephemeral key pair of group, as a TLS 1.3 key_share is made (RFC 8446 §4.2.8), and its
// public half.
void generate(TlsGroup group, PsaKey& key, unsigned char* pub, size_t pub_size, size_t& pub_len) {
  psa_key_attributes_t attributes = PSA_KEY_ATTRIBUTES_INIT;
  psa_set_key_usage_flags(&attributes, PSA_KEY_USAGE_DERIVE);
  psa_set_key_algorithm(&attributes, PSA_ALG_ECDH);
  psa_set_key_type(&attributes, PSA_KEY_TYPE_ECC_KEY_PAIR(group == TlsGroup::x25519 ? PSA_ECC_FAMILY_MONTGOMERY
                                                                                     : PSA_ECC_FAMILY_SECP_R1));
  psa_set_key_bits(&attributes, group == TlsGroup::x25519 ? 255 : 256);
  check(psa_generate_key(&attributes, &key.id), "psa_generate_key");
  check(psa_export_public_key(key.id, pub, pub_size, &pub_len), "psa_export_public_key");
}

double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
}

// Microseconds of this thread's CPU time per call of op, run for `seconds` of wall time and at
// least once: CPU time, as the handshakes' server side is counted, so that other processes taking
// the core meanwhile do not count.
double time_each(double seconds, const std::function<void()>& op) {
  using Clock = std::chrono::steady_clock;
  auto until = Clock::now() + std::chrono::duration<double>(seconds);
  double start = thread_cpu_us();
  long count = 0;
  do {
    op();
    ++count;
  } while (Clock::now() < until);
  return (thread_cpu_us() - start) / double(count);
}

} // namespace

const char* group_name(TlsGroup group) {
  return group == TlsGroup::x25519 ? "x25519" : "secp256r1";
}

double HandshakeCeiling::per_second() const {
  double sum = key_generation_us + shared_secret_us + sign_us;
  return sum > 0 ? 1e6 / sum : 0;
}

HandshakeCeiling measure_handshake_ceiling(const TlsIdentity& identity, TlsGroup group, double seconds) {
  crypto_detail::init_psa();
  HandshakeCeiling out;
  out.group = group_name(group);
  double each = seconds / 3;
  unsigned char pub[PSA_EXPORT_PUBLIC_KEY_MAX_SIZE], peer[PSA_EXPORT_PUBLIC_KEY_MAX_SIZE];
  size_t pub_len = 0, peer_len = 0;
  out.key_generation_us = time_each(each, [&] {
    PsaKey key;
    generate(group, key, pub, sizeof pub, pub_len);
  });
  PsaKey mine, theirs;
  generate(group, mine, pub, sizeof pub, pub_len);
  generate(group, theirs, peer, sizeof peer, peer_len);
  out.shared_secret_us = time_each(each, [&] {
    unsigned char secret[PSA_RAW_KEY_AGREEMENT_OUTPUT_MAX_SIZE];
    size_t len = 0;
    check(psa_raw_key_agreement(PSA_ALG_ECDH, mine.id, peer, peer_len, secret, sizeof secret, &len),
          "psa_raw_key_agreement");
  });
  unsigned char hash[32] = {1};
  out.sign_us = time_each(each, [&] {
    unsigned char sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
    size_t len = 0;
    check(mbedtls_pk_sign(&identity.impl()->key.ctx, MBEDTLS_MD_SHA256, hash, sizeof hash, sig, sizeof sig, &len,
                          Drbg::callback, &tls_random()),
          "mbedtls_pk_sign");
  });
  return out;
}

} // namespace authemu
