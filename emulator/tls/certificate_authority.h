// A certificate authority for test HTTPS: generates an ECDSA P-256 CA limited by a critical
// name-constraints extension to the names it is made for, reads a stored one (this server's or
// mkcert's), and issues P-256 server certificates. Files and their places are the caller's.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "tls/name_constraints.h"
#include "tls/tls_names.h"

namespace authemu {

// A certificate chain (leaf first) and its private key, PEM text.
struct PemCredentials {
  std::string chain;
  std::string key;
};

// What a client certificate is for (RFC 8705 §2.1.2's names): subject CN=cn and these subject
// alternative names; lifetime in seconds.
struct ClientCertificateRequest {
  std::string cn;
  std::vector<std::string> dns, uris, ips, emails; // ips as text: 10.0.0.1, ::1
  int64_t lifetime = 30 * 86400;
};

// An issued client certificate: its PEM (chain: the leaf alone) and key, its RFC 8705 §3.1
// thumbprint (x5t#S256) and its validity (Unix seconds).
struct IssuedClientCertificate : PemCredentials {
  std::string thumbprint;
  int64_t not_before = 0, not_after = 0;
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
  // The issuer of issue_client's certificates: this CA's key in a self-signed certificate of another
  // name ("authemu client CA <key tag>", the same run after run), without name constraints. A TLS
  // listener's client roots hold it.
  const std::string& client_ca_pem() const;
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

  // Input limits of issue_client.
  static constexpr size_t kMaxCnLength = 64;  // RFC 5280 Appendix A: ub-common-name, in characters
  static constexpr size_t kMaxNames = 20;     // subject alternative names, all types together
  static constexpr size_t kMaxDnsLength = 253; // RFC 1035 §2.3.4, without the final dot
  static constexpr size_t kMaxEmailLength = 254; // RFC 5321 §4.5.3.1.3's path less its brackets
  static constexpr size_t kMaxUriLength = 2048;
  static constexpr int64_t kMaxClientLifetime = kCaLifetime;

  // A TLS client certificate (RFC 8705 §2.1 tls_client_auth) issued by client_ca_pem(): subject
  // CN=cn (a UTF8String, as given: no RFC 4514 escaping), the request's SANs, extendedKeyUsage
  // clientAuth, keyUsage digitalSignature, not-before kBackdate ago, not-after after the lifetime
  // or at the CA's own notAfter if that comes first, a new P-256 key. The chain is the leaf alone:
  // the server holds its issuer. It does not chain to certificate_pem(), whose name constraints
  // (its server names) would otherwise bind it too. Throws std::invalid_argument with the exact
  // reason for a bad request ("cn: …", "dns: …", "lifetime: …").
  IssuedClientCertificate issue_client(const ClientCertificateRequest& request, const Clock& clock) const;

private:
  struct Impl;
  explicit CertificateAuthority(std::unique_ptr<Impl> impl);
  static void make_client_ca(Impl& impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace authemu
