// What the TLS tests share: a fixed clock, a generated CA and leaf, mbedTLS's own verification
// of a chain (independent of the code under test, except for reading name constraints), and
// certificates made with mbedTLS's writer directly (self-signed client certificates).
#pragma once
#include <mbedtls/oid.h>
#include <mbedtls/x509_crt.h>

#include <string>

#include "base/base64.h"
#include "base/clock.h"
#include "tls/certificate_authority.h"
#include "tls/tls_mbedtls.h"

namespace authemu::test {

// Flags of mbedtls_x509_crt_verify for chain_pem's first certificate against ca_pem, for host
// (empty: no name check); 0 when it verifies.
inline uint32_t verify_flags(const std::string& chain_pem, const std::string& ca_pem, const std::string& host) {
  tls_detail::Crt chain, ca;
  tls_detail::parse_pem_certificates(chain, chain_pem);
  tls_detail::parse_pem_certificates(ca, ca_pem);
  uint32_t flags = 0;
  mbedtls_x509_crt_verify(&chain.chain, &ca.chain, nullptr, host.empty() ? nullptr : host.c_str(), &flags, nullptr,
                          nullptr);
  return flags;
}

// The DER of PEM text's first certificate, decoded here (not by tls/).
inline std::string der_of(const std::string& pem) {
  size_t begin = pem.find('\n', pem.find("-----BEGIN CERTIFICATE-----")) + 1;
  std::string body;
  for (size_t i = begin; i < pem.find("-----END CERTIFICATE-----"); ++i)
    if (pem[i] != '\n' && pem[i] != '\r') body += pem[i];
  return base64_decode(body).value_or("");
}

// base64url(SHA-256(DER)), RFC 8705 §3.1, with mbedTLS's SHA-256 called here.
inline std::string thumbprint_of(const std::string& der) {
  unsigned char hash[32];
  mbedtls_sha256(reinterpret_cast<const unsigned char*>(der.data()), der.size(), hash, 0);
  return base64url_encode(std::string(reinterpret_cast<char*>(hash), sizeof hash));
}

// A self-signed certificate "CN=<cn>" (no extensions but basicConstraints cA=false) with a new key,
// P-256 or RSA-2048, valid a day around now, written by mbedTLS's writer here; key in PEM.
inline PemCredentials self_signed(const std::string& cn, bool rsa = false) {
  using tls_detail::check;
  crypto_detail::init_psa();
  tls_detail::Pk key;
  tls_detail::Drbg& drbg = tls_detail::tls_random();
  if (rsa) {
    check(mbedtls_pk_setup(&key.ctx, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)), "mbedtls_pk_setup");
    check(mbedtls_rsa_gen_key(mbedtls_pk_rsa(key.ctx), tls_detail::Drbg::callback, &drbg, 2048, 65537),
          "mbedtls_rsa_gen_key");
  } else {
    check(mbedtls_pk_setup(&key.ctx, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), "mbedtls_pk_setup");
    check(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key.ctx), tls_detail::Drbg::callback, &drbg),
          "mbedtls_ecp_gen_key");
  }
  mbedtls_x509write_cert w;
  mbedtls_x509write_crt_init(&w);
  std::string name = "CN=" + cn;
  int64_t now = SystemClock().now();
  const unsigned char serial[] = {0x01};
  mbedtls_x509write_crt_set_version(&w, MBEDTLS_X509_CRT_VERSION_3);
  mbedtls_x509write_crt_set_md_alg(&w, MBEDTLS_MD_SHA256);
  check(mbedtls_x509write_crt_set_serial_raw(&w, const_cast<unsigned char*>(serial), 1), "set_serial_raw");
  check(mbedtls_x509write_crt_set_validity(&w, format_utc(now - 3600, "%Y%m%d%H%M%S").c_str(),
                                           format_utc(now + 86400, "%Y%m%d%H%M%S").c_str()),
        "set_validity");
  check(mbedtls_x509write_crt_set_subject_name(&w, name.c_str()), "set_subject_name");
  check(mbedtls_x509write_crt_set_issuer_name(&w, name.c_str()), "set_issuer_name");
  mbedtls_x509write_crt_set_subject_key(&w, &key.ctx);
  mbedtls_x509write_crt_set_issuer_key(&w, &key.ctx);
  check(mbedtls_x509write_crt_set_basic_constraints(&w, 0, -1), "set_basic_constraints");
  unsigned char buf[4096];
  int ret = mbedtls_x509write_crt_pem(&w, buf, sizeof buf, tls_detail::Drbg::callback, &drbg);
  mbedtls_x509write_crt_free(&w);
  check(ret, "mbedtls_x509write_crt_pem");
  PemCredentials out;
  out.chain = reinterpret_cast<char*>(buf);
  check(mbedtls_pk_write_key_pem(&key.ctx, buf, sizeof buf), "mbedtls_pk_write_key_pem");
  out.key = reinterpret_cast<char*>(buf);
  return out;
}

} // namespace authemu::test
