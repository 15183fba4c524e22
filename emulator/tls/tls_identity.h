// What a TLS server presents: its certificate chain and private key (PEM, RSA or EC), loaded from
// files or text and checked once at start-up. Every failure is one ConfigError naming the file and
// what is wrong. Read-only once loaded: any number of configurations and threads may share it.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "tls/tls_names.h"

namespace authemu {

class TlsIdentity {
public:
  // Reads both files: unreadable, not PEM, a key that is not the first certificate's, a first
  // certificate not valid at clock's now: ConfigError "<file>: <what>".
  static TlsIdentity from_files(const std::string& cert_file, const std::string& key_file, const Clock& clock);
  // The same from text; cert_where and key_where stand for the files in messages.
  static TlsIdentity from_pem(std::string_view chain_pem, std::string_view key_pem, const std::string& cert_where,
                              const std::string& key_where, const Clock& clock);
  // A certificate and key this process has just issued (CertificateAuthority::issue): parsed, but
  // neither the pair nor the validity is checked, as both are known. The EC pair check is a scalar
  // multiplication, a quarter of what --tls adds to a start (bench-tls: server_config).
  static TlsIdentity issued(std::string_view chain_pem, std::string_view key_pem);

  // The names the first certificate is for: its subject alternative names (dNSName, iPAddress), or
  // its subject's CN when it has none (an `openssl req -x509` certificate without -addext).
  TlsNames names() const;
  // Throws ConfigError "<cert file>: the certificate does not cover a.example, 10.0.0.1" (RFC 6125
  // §6.4: exact names; a "*." name covers one label).
  void check_covers(const TlsNames& required) const;

  struct Impl;
  const std::shared_ptr<const Impl>& impl() const { return impl_; } // for tls/'s configurations

private:
  explicit TlsIdentity(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// The whole of a file, or ConfigError "<path>: cannot read (<reason>)".
std::string read_text_file(const std::string& path);

} // namespace authemu
