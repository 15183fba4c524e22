// Command line and environment: every option has a flag and an environment variable (the
// Formance auth service's names where it has one), flags win. Throws ConfigError on bad input.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stack/environment_settings.h"

namespace authemu {

// The per-environment settings (lifetimes, login mode, …) are EnvironmentOptions' members, one row
// each in stack/environment_settings.cpp.
struct Options : EnvironmentOptions {
  std::string command = "serve"; // serve | healthcheck | personal-token | bench-sign | check-config | version |
                                 // help, or an admin command (is_admin_command)
  std::string help_topic;        // help: the command whose usage to print (empty: the overview)
  std::vector<std::string> args; // admin commands and check-config: the words after the command
  std::string listen = "127.0.0.1:8080";
  std::string base_url;    // empty: http://localhost:<port>/api/auth
  std::string browser_url; // where browsers reach the server: the issuer's origin; back channels use their Host
  std::vector<std::string> auth_issuers;
  std::vector<std::string> cors_origins; // normalised (base/origin.h)
  // --services, name or name@version; the default stand-in services are these, in this order.
  std::vector<std::string> services = {"ledger", "payments", "wallets", "orchestration", "webhooks", "reconciliation"};
  // HTTPS (cli/tls_setup.h): --tls makes the main listener TLS, --tls-listen adds a TLS listener.
  bool tls = false;
  std::string tls_listen;             // host:port of an extra HTTPS listener; empty: none
  std::vector<std::string> tls_names; // more names the certificate is for
  std::string tls_ca_out;             // where the CA certificate is written; empty: a file in the temp dir
  std::string tls_ca_dir;             // a CA kept across runs (ca.pem + ca-key.pem, or mkcert's)
  std::string tls_cert, tls_key;      // a given chain and key instead of a generated CA
  std::string tls_trust;              // PEM roots trusted for outbound HTTPS and the CLI's https URLs
  std::string tls_client_certs = "request"; // request | off: whether TLS listeners ask for client certificates
  bool asks_client_certificates() const { return tls_client_certs == "request"; }
  std::string tls_client_ca;
  std::string tls_client_cert_header; // a TLS-terminating proxy forwards client certificates in it          // PEM roots client certificates may chain to, besides this server's CA
  // Any TLS option is set: the server generates or loads certificates.
  bool tls_wanted() const { return tls || !tls_listen.empty() || !tls_cert.empty() || !tls_ca_dir.empty(); }
  std::string config;      // fixture file; empty: the embedded default
  std::string signing_key; // PEM or JWK text, or a path to a PEM or JWK file; empty: see load_signing_key
  bool generate_signing_key = false;
  std::string signing_algorithm = "RS256"; // RS256 | PS256 | ES256 | HS256
  std::string signing_secret;              // HS256 only
  int threads = 0;                         // 0: the ServerLimits default (64)
  bool debug = false;
  bool quiet = false;
  std::optional<int64_t> clock_start; // every environment's clock starts (and resets) here
  bool clock_frozen = false;          // … and stands still until told otherwise
  bool admin_api = true;              // serve the admin API under /_authemu
  std::string admin_token;            // the admin API's bearer token (server: required when set; CLI: sent)
  double bench_seconds = 3;           // bench-sign only
  // personal-token and admin commands:
  std::string url = "http://127.0.0.1:8080";
  std::string environment; // empty: personal-token's default environment, admin commands' all of them
  std::string username, password;
  std::string client_id = "fctl", client_secret;
  std::string scope = "openid email";
  std::string user; // device approve / deny: who decides
  // export: where the text goes (empty: stdout), and the FTL client of export ftl.
  std::string out_file;
  std::string export_client = "ftl-client";
  // tls client-cert: what to ask the server's CA for, and where the certificate and key go.
  struct ClientCertOptions {
    std::string cn, cert_file, key_file;
    std::vector<std::string> dns, uris, ips, emails;
    std::string lifetime; // a duration as given ("30d"); empty: the server's default
  } client_cert;
  // Where each option set came from, by flag name ("config" → "CONFIG" or "--config"), for messages.
  std::map<std::string, std::string> sources;
  // "--config", or "CONFIG" when the environment set it: the name a message about the value uses.
  std::string source_of(const std::string& flag) const;
};

using EnvGetter = std::function<std::optional<std::string>(const std::string&)>;

// clock, reset, mint, keys, rotate-key, fault, journal, login, sessions, users, device: commands that drive
// a running server.
bool is_admin_command(const std::string& command);

Options parse_options(const std::vector<std::string>& args, const EnvGetter& env);

// The commands an option applies to (OptionInfo::commands), for each command's --help.
enum CommandBit : unsigned {
  kServe = 1,
  kHealthcheck = 2,
  kPersonalToken = 4,
  kBenchSign = 8,
  kAdmin = 16,
  kCheckConfig = 32,
  kTls = 64,
  kExport = 128,
};
// serve, healthcheck, … and the admin commands (all kAdmin); 0 for version, help and unknown words.
unsigned command_bit(const std::string& command);

// One option as --help shows it.
struct OptionInfo {
  const char* flag; // without the leading "--"
  const char* env;
  bool takes_value;
  const char* help;
  unsigned commands; // CommandBit set
};
std::vector<OptionInfo> option_infos();

// "host:port" (host may be empty, "[v6]", a name or an address). Throws ConfigError.
struct ListenAddress {
  std::string host;
  int port = 0;
};
ListenAddress parse_listen(const std::string& listen, const std::string& where = "--listen");

} // namespace authemu
