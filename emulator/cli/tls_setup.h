// HTTPS at start-up: the names the server certificate is for, the CA (generated, kept in
// --tls-ca-dir, or none with --tls-cert) and the identity the TLS listeners present, with the files
// read and written for them. Every failure is one ConfigError naming the file and what is wrong.
#pragma once
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "cli/options.h"
#include "stack/app_settings.h"
#include "tls/certificate_authority.h"
#include "tls/forwarded_certificate.h"
#include "tls/tls_config.h"
#include "tls/tls_names.h"

namespace authemu {

// The names every generated certificate is for, whatever the configuration.
extern const std::vector<std::string> kDefaultTlsNames; // localhost, *.localhost, 127.0.0.1, ::1

// The names the configuration asks for by itself: the hosts of --base-url, --browser-url, fixture
// issuers and --tls-names. A given certificate or a stored CA must cover these.
TlsNames configured_tls_names(const Options& options, const std::vector<EnvironmentSpec>& specs);
// Every name a generated certificate is for: kDefaultTlsNames, machine_name (when it is a host
// name), every environment's issuer host and --auth-issuers' hosts, <environment>.<each host>,
// and configured_tls_names.
TlsNames all_tls_names(const Options& options, const std::vector<EnvironmentSpec>& specs,
                       const std::string& machine_name);
// Writes text to path through a temporary file renamed over it, with mode (also when path was
// there with another). Returns what went wrong, or "".
std::string write_text_file(const std::string& path, const std::string& text, mode_t mode);
// gethostname(), or "" when it has none.
std::string machine_host_name();

// A CA kept in a directory (--tls-ca-dir, `authemu tls ca --dir`).
struct StoredCa {
  CertificateAuthority ca;
  std::string cert_file; // ca.pem or mkcert's rootCA.pem
  bool created = false;  // made now (its key written with mode 0600)
};
// Reuses dir's ca.pem + ca-key.pem, or rootCA.pem + rootCA-key.pem, else creates ca.pem +
// ca-key.pem for names (and dir when missing).
StoredCa ca_in_dir(const std::string& dir, const TlsNames& names, const Clock& clock);

// The issuer a request on the TLS listener at port gets (as http/target.cpp chooses it):
// https://<the issuer's host>:<port><its path>, or the issuer itself when it was configured.
std::string listener_issuer(const EnvironmentSettings& settings, int port);

struct TlsSetup {
  // What the TLS listeners serve; its client roots (RFC 8705): this server's CA and --tls-client-ca.
  std::unique_ptr<TlsServerConfig> config;
  std::string ca_pem; // the CA certificate (GET /_authemu/ca.pem); empty with --tls-cert
  // The CA itself, kept to issue client certificates at run time (POST /_authemu/tls/client-certs);
  // none with --tls-cert.
  std::shared_ptr<const CertificateAuthority> ca;
  size_t client_roots = 0; // how many certificates client certificates may chain to
  // --tls-client-cert-header: certificates a TLS-terminating proxy forwards, judged against the
  // same roots; none without the option.
  std::shared_ptr<const ForwardedCertificates> forwarded;
  std::string ca_file;                     // where it was written; empty when it could not be
  std::vector<std::string> warnings;
  // ca_file is the default one in the temp dir, this process's alone: removed when it stops, so
  // that starts leave no files behind (a --tls-ca-out or --tls-ca-dir file stays).
  bool remove_ca_file_at_exit = false;
};
// Where the CA certificate goes without --tls-ca-out: <temp dir>/authemu-ca-<main port>.pem.
std::string default_ca_file(int main_port);
// What the CLI trusts for an https URL (admin commands, personal-token, healthcheck) besides the
// system's CAs: --tls-trust, and the CA file a server on this machine wrote (--tls-ca-out, else the
// default file of the --listen port and of url's port), those that exist.
std::vector<std::string> cli_trust_files(const Options& options, const std::string& url);
// Nothing (no config) without a TLS option; a --tls-client-ca file that cannot be read or holds no
// certificate is a ConfigError naming it. main_port: the main listener's bound port, which names
// the default CA file (<temp dir>/authemu-ca-<port>.pem).
TlsSetup setup_tls(const Options& options, const std::vector<EnvironmentSpec>& specs, int main_port,
                   const Clock& clock);

} // namespace authemu
