// A certificate authority for test HTTPS: generates an ECDSA P-256 CA limited by a critical
// name-constraints extension to the names it is made for, reads a stored one (this server's or
// mkcert's), and issues P-256 server certificates. Files and their places are the caller's.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "tls/name_constraints.h"
#include "tls/tls_names.h"

namespace authemu {

// A certificate chain (leaf first) and its private key, PEM text.
struct PemCredentials {
  std::string chain;
  std::string key;
};

class CertificateAuthority {
public:
  static constexpr int64_t kCaLifetime = 10 * 365 * 86400;
  static constexpr int64_t kLeafLifetime = 365 * 86400;
  static constexpr int64_t kBackdate = 3600; // not-before an hour back: a peer's clock may lag

  // A new CA whose name constraints permit exactly `names` (RFC 5280 §4.2.1.10), valid 10 years.
  static CertificateAuthority generate(const TlsNames& names, const Clock& clock);
  // A stored CA: the first certificate of cert_pem (a CA certificate) and its key (PEM, EC or RSA).
  // cert_where and key_where name them in errors; throws ConfigError "where: what".
  static CertificateAuthority from_pem(std::string_view cert_pem, std::string_view key_pem,
                                       const std::string& cert_where, const std::string& key_where,
                                       const Clock& clock);

  CertificateAuthority(CertificateAuthority&&) noexcept;
  CertificateAuthority& operator=(CertificateAuthority&&) noexcept;
  ~CertificateAuthority();

  const std::string& certificate_pem() const;
  const std::string& key_pem() const;
  // Its name constraints; nothing when it has none (it may sign for any name).
  const std::optional<NameConstraints>& name_constraints() const;
  // Throws ConfigError "<cert_where>: the CA's name constraints do not cover a.example, 10.0.0.1".
  void check_covers(const TlsNames& names) const;

  // A server certificate for names (subject alternative names, serverAuth), valid a year, with a
  // new P-256 key. The chain is the leaf alone: a client that trusts the CA holds it already (RFC
  // 8446 §4.4.2 lets a server leave the root out), and an mbedTLS client could not even parse it
  // (its name constraints are an unknown critical extension there).
  PemCredentials issue(const TlsNames& names, const Clock& clock) const;

private:
  struct Impl;
  explicit CertificateAuthority(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace authemu
