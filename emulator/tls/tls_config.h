// TLS configurations: a server's (what every connection of a listener shares) and a client's
// (whom it trusts). Both offer TLS 1.2 and 1.3 only, AEAD suites with forward secrecy only, ALPN
// "http/1.1", no renegotiation (compiled out), and draw from one locked generator. Built at
// start-up; thread-safe once built. No sockets here (tls/tls_stream.h).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tls/tls_identity.h"

namespace authemu {

enum class TlsVersion { tls1_2, tls1_3 };

// The certificates a peer's chain must end at: a client's roots, or a listener's client trust anchors.
class TlsTrust {
public:
  static constexpr const char* kSystemBundle = "/etc/ssl/certs/ca-certificates.crt";

  TlsTrust();
  TlsTrust(TlsTrust&&) noexcept;
  TlsTrust& operator=(TlsTrust&&) noexcept;
  ~TlsTrust();

  // Every certificate of PEM text (this server's CA, --tls-trust); ConfigError "where: what".
  void add_pem(std::string_view pem, const std::string& where);
  void add_file(const std::string& path);
  // The system bundle when the file is there (false when not, as in a FROM scratch image);
  // certificates in it that mbedTLS cannot read are left out.
  bool add_system(const std::string& path = kSystemBundle);
  size_t size() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

private:
  std::unique_ptr<Impl> impl_;
};

// A listener's configuration: the identity's chain and key, any SNI name accepted (one certificate
// serves them all), session tickets for resumed handshakes (RFC 5077, RFC 8446 §4.6.1; keys made at
// construction, valid a day). Every handshake asks for a client certificate and goes on without one
// (RFC 8705 §2: the OAuth layer decides what a certificate proves): any certificate whose holder
// proves its key is taken, one that does not chain to client_roots too (self-signed ones for
// RFC 8705 §2.2), and the verdict is kept with it (TlsStream::peer_certificate). The request lists
// no CA names, so that clients send a certificate whatever issued it. A resumed session has the
// certificate of the handshake that made its ticket. ask_client_certificates false: no handshake
// asks for one (a browser with certificates installed then shows no picker).
class TlsServerConfig {
public:
  explicit TlsServerConfig(const TlsIdentity& identity, TlsTrust client_roots = TlsTrust(),
                           bool ask_client_certificates = true);
  TlsServerConfig(TlsServerConfig&&) noexcept;
  TlsServerConfig& operator=(TlsServerConfig&&) noexcept;
  ~TlsServerConfig();

  struct Impl;
  const Impl& impl() const { return *impl_; } // for tls/'s streams

private:
  std::unique_ptr<Impl> impl_;
};

// A client's configuration: the peer must present a chain to one of trust's roots for the host name
// it was asked for. only: offer that one version (tests; a peer's check of versions). identity: the
// certificate and key it presents when the server asks for one (RFC 8446 §4.4.2; RFC 8705 tests).
class TlsClientConfig {
public:
  explicit TlsClientConfig(TlsTrust trust, std::optional<TlsVersion> only = std::nullopt,
                           std::optional<TlsIdentity> identity = std::nullopt);
  TlsClientConfig(TlsClientConfig&&) noexcept;
  TlsClientConfig& operator=(TlsClientConfig&&) noexcept;
  ~TlsClientConfig();

  struct Impl;
  const Impl& impl() const { return *impl_; }

private:
  std::unique_ptr<Impl> impl_;
};

} // namespace authemu
