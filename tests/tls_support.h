// What the TLS tests share: a fixed clock, a generated CA and leaf, and mbedTLS's own verification
// of a chain (independent of the code under test, except for reading name constraints).
#pragma once
#include <string>

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

} // namespace authemu::test
