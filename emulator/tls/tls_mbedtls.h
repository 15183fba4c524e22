// Shared by the .cpp files of tls/ only: RAII holders of mbedTLS's X.509 and TLS contexts, the
// certificate parser that accepts name constraints, and the generator the TLS configurations use.
// No type declared here leaves tls/.
#pragma once
#include <mbedtls/pem.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crt.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/client_certificate.h"
#include "jose/crypto_mbedtls.h"
#include "tls/name_constraints.h"

namespace authemu::tls_detail {

using crypto_detail::check;
using crypto_detail::Drbg;
using crypto_detail::Pk;

struct Crt {
  Crt() { mbedtls_x509_crt_init(&chain); }
  ~Crt() { mbedtls_x509_crt_free(&chain); }
  Crt(const Crt&) = delete;
  Crt& operator=(const Crt&) = delete;
  bool empty() const { return chain.raw.p == nullptr; }
  mbedtls_x509_crt chain;
};

// One DER certificate appended to crt. mbedTLS rejects an unknown critical extension, and it
// knows no name constraints (RFC 5280 §4.2.1.10): a callback accepts that one and, for the first
// certificate that carries it, keeps its value in *constraints (when given). Returns mbedTLS's code.
int parse_der(Crt& crt, std::string_view der, std::optional<NameConstraints>* constraints = nullptr);

// Every "CERTIFICATE" block of PEM text (RFC 7468), in order, appended to crt; returns how many.
// A block that does not decode or parse throws CryptoError "certificate N …", or is skipped (skip_bad).
size_t parse_pem_certificates(Crt& crt, std::string_view pem, std::optional<NameConstraints>* constraints = nullptr,
                              bool skip_bad = false);

// Start-up loading, each failure a ConfigError "where: what" (base/config_error.h):
// the certificates of PEM text (none, or one that does not parse, is an error);
void load_certificates(Crt& crt, std::string_view pem, const std::string& where,
                       std::optional<NameConstraints>* constraints = nullptr);
// a PEM private key, RSA or EC;
void load_key(Pk& key, std::string_view pem, const std::string& where);
// that key being the one of crt's first certificate;
void check_pair(const Crt& crt, Pk& key, const std::string& cert_where, const std::string& key_where);
// crt's first certificate being valid at now (Unix seconds).
void check_valid_at(const Crt& crt, int64_t now, const std::string& where);

// DER to PEM with the given label ("CERTIFICATE").
std::string pem(std::string_view der, const char* label);

// Unix seconds of an X.509 time (UTC).
int64_t unix_time(const mbedtls_x509_time& t);

// The generator of every TLS configuration and certificate of the process: one CTR-DRBG that
// mbedTLS's threading layer locks on each call, so any thread may draw from it.
Drbg& tls_random();

struct SslConfig {
  SslConfig() { mbedtls_ssl_config_init(&conf); }
  ~SslConfig() { mbedtls_ssl_config_free(&conf); }
  SslConfig(const SslConfig&) = delete;
  SslConfig& operator=(const SslConfig&) = delete;
  mbedtls_ssl_config conf;
};

struct TicketKeys {
  TicketKeys() { mbedtls_ssl_ticket_init(&ctx); }
  ~TicketKeys() { mbedtls_ssl_ticket_free(&ctx); }
  TicketKeys(const TicketKeys&) = delete;
  TicketKeys& operator=(const TicketKeys&) = delete;
  mbedtls_ssl_ticket_context ctx;
};

// The ALPN list both sides offer (RFC 7301): HTTP/1.1 only.
extern const char* kAlpn[];

// A thread's connection in its handshake, for callbacks that get no context of their own (the
// ticket parser and writer); set by the stream around each handshake step on the owning thread.
struct HandshakeNotes {
  bool ticket_accepted = false;
  std::string server_name;
  // The client certificate recorded for the last ticket accepted (nullptr: none was recorded).
  std::shared_ptr<const ClientCertificate> restored;
  // The connection's client certificate, once known (tls/peer_certificate.h: session_certificate).
  std::shared_ptr<const ClientCertificate> certificate;
  bool certificate_known = false;
};
extern thread_local HandshakeNotes* current_handshake;

} // namespace authemu::tls_detail
