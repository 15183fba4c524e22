// What a server is built from: its settings (the default environment's, and those of the server
// around the environments) and one spec per environment. Start-up (cli/) makes them, App (http/)
// and the stack (stack/stack.h) take them. Values only.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jose/key_store.h"
#include "stack/environment.h"
#include "tls/certificate_authority.h"
#include "tls/forwarded_certificate.h"
#include "store/client_store.h"
#include "store/user_store.h"

namespace authemu {

// A stand-in Formance service behind the gateway: listed by /versions, with its info routes.
struct ServiceInfo {
  std::string name;    // ledger, payments, … (the /api/<name> path)
  std::string version; // what /versions and its info routes report
};

// The version a stand-in service of --services reports when it names none (ledger, not ledger@v2.1.0).
constexpr const char* kDefaultServiceVersion = "v2.0.0";

struct AppSettings {
  // The default environment's settings (issuer e.g. http://localhost:8080/api/auth, lifetimes, …),
  // and the base that fixture environments override.
  EnvironmentSettings environment;
  bool debug = false;
  std::optional<int64_t> clock_start; // every environment's clock starts (and resets) at this time
  bool clock_frozen = false;
  bool admin_api = true;   // serve /_authemu
  std::string admin_token; // when set, the admin API needs Authorization: Bearer <admin_token>
  // Facts from start-up for the admin API: without a token, mint and key import are refused when
  // both hold (AdminPolicy).
  bool secret_keys = false;     // an environment signs with a key that is not an embedded test key
  bool beyond_loopback = false; // the server listens on an address other machines reach
  // Origins (as base/origin.h writes them) that CORS answers with credentials, besides those of
  // the environment's clients' redirect URIs (--cors-origins).
  std::vector<std::string> cors_origins;
  std::vector<ServiceInfo> services; // GET /versions and each one's info routes (--services)
  // --browser-url: discovery's back-channel endpoints follow the request's Host.
  bool back_channel_by_host = false;
  // The CA certificate (PEM) the TLS listeners chain to, served at /_authemu/ca.pem; empty without
  // TLS or with a given certificate.
  std::string tls_ca_pem;
  // A TLS listener serves and asks for client certificates: discovery lists the RFC 8705 methods.
  bool tls_client_certs = false;
  // --tls-client-cert-header: the header a TLS-terminating proxy forwards client certificates in, and
  // how they are read (RFC 8705 §6.5); none without it.
  std::shared_ptr<const ForwardedCertificates> forwarded_certificates;
  // That CA, to issue client certificates at run time (POST /_authemu/tls/client-certs); none
  // without TLS or with a given certificate.
  std::shared_ptr<const CertificateAuthority> tls_ca;
};

// What an environment is built from; the stack builds one Environment per spec, the first the default.
struct EnvironmentSpec {
  EnvironmentSettings settings;
  std::vector<Client> clients;
  std::vector<User> users;
  SigningKey key;
};

} // namespace authemu
