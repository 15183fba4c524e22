#include "tls/tls_config.h"

#include <chrono>
#include <fstream>

#include "base/config_error.h"
#include "jose/crypto.h"
#include "tls/peer_certificate.h"
#include "tls/tls_config_impl.h"

namespace authemu {

using namespace tls_detail;

namespace {

// RFC 9325 §4.2 and RFC 8446 §9.1: AEAD suites, TLS 1.2 only with ECDHE; ECDSA suites for an EC
// certificate, RSA ones for an RSA certificate. Zero-terminated, as mbedTLS takes it.
const int kSuites[] = {
    MBEDTLS_TLS1_3_AES_128_GCM_SHA256,
    MBEDTLS_TLS1_3_AES_256_GCM_SHA384,
    MBEDTLS_TLS1_3_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    0,
};

// The key exchange groups offered and accepted: X25519 (what clients send a key share for first),
// P-256 and P-384 (RFC 8446 §9.1; RFC 8422). Not P-521, X448 or the finite-field groups: they keep
// forward secrecy but let a client make each handshake cost the server many times more.
const uint16_t kGroups[] = {MBEDTLS_SSL_IANA_TLS_GROUP_X25519, MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1,
                            MBEDTLS_SSL_IANA_TLS_GROUP_SECP384R1, MBEDTLS_SSL_IANA_TLS_GROUP_NONE};

void common(SslConfig& ssl, int endpoint, std::optional<TlsVersion> only) {
  crypto_detail::init_psa();
  check(mbedtls_ssl_config_defaults(&ssl.conf, endpoint, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT),
        "mbedtls_ssl_config_defaults");
  mbedtls_ssl_conf_min_tls_version(&ssl.conf, only == TlsVersion::tls1_3 ? MBEDTLS_SSL_VERSION_TLS1_3
                                                                         : MBEDTLS_SSL_VERSION_TLS1_2);
  mbedtls_ssl_conf_max_tls_version(&ssl.conf, only == TlsVersion::tls1_2 ? MBEDTLS_SSL_VERSION_TLS1_2
                                                                         : MBEDTLS_SSL_VERSION_TLS1_3);
  mbedtls_ssl_conf_rng(&ssl.conf, Drbg::callback, &tls_random());
  mbedtls_ssl_conf_ciphersuites(&ssl.conf, kSuites);
  mbedtls_ssl_conf_groups(&ssl.conf, kGroups);
  check(mbedtls_ssl_conf_alpn_protocols(&ssl.conf, kAlpn), "mbedtls_ssl_conf_alpn_protocols");
  // RFC 8446 §4.2.9: resumption only with a new (EC)DHE exchange, never with the ticket's key alone.
  mbedtls_ssl_conf_tls13_key_exchange_modes(&ssl.conf, MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ALL);
}

// RFC 6066 §3: any name is accepted; the one certificate answers for all. The name is kept for the
// connection (current_handshake: this runs inside its handshake step, on its thread).
int accept_sni(void*, mbedtls_ssl_context*, const unsigned char* name, size_t len) {
  if (current_handshake) current_handshake->server_name.assign(reinterpret_cast<const char*>(name), len);
  return 0;
}

// A ticket's first byte, before mbedTLS's own ticket: whether its connection had a client
// certificate, and so whether TicketCertificates holds a record for it.
constexpr unsigned char kWithCertificate = 'C', kWithout = 'N';

int64_t steady_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string ticket_hash(const unsigned char* ticket, size_t len) {
  return sha256(std::string_view(reinterpret_cast<const char*>(ticket), len));
}

// mbedtls_ssl_ticket_write, after the marker byte; the connection's client certificate (from this
// handshake, or the one its own ticket brought) is recorded under the new ticket's hash. Runs in
// the connection's handshake step (current_handshake); no exception crosses into mbedTLS.
int write_ticket(void* p_impl, const mbedtls_ssl_session* session, unsigned char* start, const unsigned char* end,
                 size_t* tlen, uint32_t* lifetime) {
  auto* impl = static_cast<TlsServerConfig::Impl*>(p_impl);
  if (end - start < 2) return MBEDTLS_ERR_SSL_BUFFER_TOO_SMALL;
  int ret = mbedtls_ssl_ticket_write(&impl->tickets.ctx, session, start + 1, end, tlen, lifetime);
  if (ret != 0) return ret;
  try {
    std::shared_ptr<const ClientCertificate> certificate;
    if (current_handshake) {
      certificate = session_certificate(*current_handshake, session->MBEDTLS_PRIVATE(peer_cert),
                                        session->MBEDTLS_PRIVATE(verify_result), impl->has_client_roots());
    }
    start[0] = certificate ? kWithCertificate : kWithout;
    if (certificate) {
      impl->ticket_certificates.remember(ticket_hash(start, *tlen + 1), std::move(certificate), steady_seconds());
    }
  } catch (const std::exception&) {
    return MBEDTLS_ERR_SSL_INTERNAL_ERROR; // no ticket rather than one that would lose the certificate
  }
  *tlen += 1;
  return 0;
}

// mbedtls_ssl_ticket_parse, noting on the connection that its ticket was good (a resumed session)
// and the client certificate recorded for it. The hash is taken first: the parser decrypts in
// place. A ticket whose record is gone (too many newer ones) is refused: the client then makes a
// full handshake and presents its certificate again, rather than resuming without it.
int parse_ticket(void* p_impl, mbedtls_ssl_session* session, unsigned char* buf, size_t len) {
  auto* impl = static_cast<TlsServerConfig::Impl*>(p_impl);
  if (len < 1 || (buf[0] != kWithCertificate && buf[0] != kWithout)) return MBEDTLS_ERR_SSL_INVALID_MAC;
  std::shared_ptr<const ClientCertificate> certificate;
  try {
    if (buf[0] == kWithCertificate) {
      certificate = impl->ticket_certificates.find(ticket_hash(buf, len), steady_seconds());
      if (!certificate) return MBEDTLS_ERR_SSL_INVALID_MAC;
    }
  } catch (const std::exception&) {
    return MBEDTLS_ERR_SSL_INTERNAL_ERROR;
  }
  int ret = mbedtls_ssl_ticket_parse(&impl->tickets.ctx, session, buf + 1, len - 1);
  if (ret == 0 && current_handshake) {
    current_handshake->ticket_accepted = true;
    current_handshake->restored = std::move(certificate);
  }
  return ret;
}

} // namespace

namespace tls_detail {

void TicketCertificates::drop_old(int64_t now_s) {
  while (!order_.empty()) {
    auto it = records_.find(order_.front());
    if (it != records_.end() && records_.size() <= kMaxRecords && now_s - it->second.at_s <= lifetime_s_) break;
    if (it != records_.end()) records_.erase(it);
    order_.pop_front();
  }
}

void TicketCertificates::remember(std::string ticket_hash, std::shared_ptr<const ClientCertificate> certificate,
                                  int64_t now_s) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (records_.emplace(ticket_hash, Record{std::move(certificate), now_s}).second)
    order_.push_back(std::move(ticket_hash));
  drop_old(now_s);
}

std::shared_ptr<const ClientCertificate> TicketCertificates::find(const std::string& ticket_hash, int64_t now_s) {
  std::lock_guard<std::mutex> lock(mutex_);
  drop_old(now_s);
  auto it = records_.find(ticket_hash);
  return it == records_.end() ? nullptr : it->second.certificate;
}

size_t TicketCertificates::size() {
  std::lock_guard<std::mutex> lock(mutex_);
  return records_.size();
}

} // namespace tls_detail

TlsServerConfig::TlsServerConfig(const TlsIdentity& identity, TlsTrust client_roots, bool ask_client_certificates)
    : impl_(std::make_unique<Impl>()) {
  impl_->identity = identity.impl();
  impl_->client_roots = std::move(client_roots);
  mbedtls_ssl_config* conf = &impl_->ssl.conf;
  common(impl_->ssl, MBEDTLS_SSL_IS_SERVER, std::nullopt);
  check(mbedtls_ssl_conf_own_cert(conf, &impl_->identity->chain.chain, &impl_->identity->key.ctx),
        "mbedtls_ssl_conf_own_cert");
  mbedtls_ssl_conf_sni(conf, accept_sni, nullptr);
  // RFC 8705 §2: a certificate is asked of every client and none is required; one that does not
  // chain to the roots is still taken (§2.2, self-signed), its verdict kept for the OAuth layer.
  // Without roots mbedTLS verifies against none: every chain is then "not trusted".
  mbedtls_ssl_conf_authmode(conf, ask_client_certificates ? MBEDTLS_SSL_VERIFY_OPTIONAL : MBEDTLS_SSL_VERIFY_NONE);
  if (impl_->has_client_roots()) mbedtls_ssl_conf_ca_chain(conf, &impl_->client_roots.impl().roots.chain, nullptr);
  // TLS 1.2's CertificateRequest names no CA (RFC 5246 §7.4.4 allows an empty list): clients such
  // as Go's crypto/tls send only a certificate whose issuer is listed, and a self-signed one never is.
  mbedtls_ssl_conf_cert_req_ca_list(conf, MBEDTLS_SSL_CERT_REQ_CA_LIST_DISABLED);
  check(mbedtls_ssl_ticket_setup(&impl_->tickets.ctx, Drbg::callback, &tls_random(), MBEDTLS_CIPHER_AES_256_GCM,
                                 uint32_t(Impl::kTicketLifetime)),
        "mbedtls_ssl_ticket_setup");
  mbedtls_ssl_conf_session_tickets_cb(conf, write_ticket, parse_ticket, impl_.get());
}

TlsServerConfig::TlsServerConfig(TlsServerConfig&&) noexcept = default;
TlsServerConfig& TlsServerConfig::operator=(TlsServerConfig&&) noexcept = default;
TlsServerConfig::~TlsServerConfig() = default;

TlsTrust::TlsTrust() : impl_(std::make_unique<Impl>()) {}
TlsTrust::TlsTrust(TlsTrust&&) noexcept = default;
TlsTrust& TlsTrust::operator=(TlsTrust&&) noexcept = default;
TlsTrust::~TlsTrust() = default;

void TlsTrust::add_pem(std::string_view pem, const std::string& where) {
  Crt parsed; // parsed apart first: a bad file leaves the roots as they were
  load_certificates(parsed, pem, where);
  for (const mbedtls_x509_crt* c = &parsed.chain; c != nullptr && c->raw.p; c = c->next) {
    check(parse_der(impl_->roots, std::string_view(reinterpret_cast<const char*>(c->raw.p), c->raw.len)),
          "mbedtls_x509_crt_parse_der_with_ext_cb");
    ++impl_->count;
  }
}

void TlsTrust::add_file(const std::string& path) {
  add_pem(read_text_file(path), path);
}

bool TlsTrust::add_system(const std::string& path) {
  std::ifstream probe(path);
  if (!probe) return false;
  impl_->count += parse_pem_certificates(impl_->roots, read_text_file(path), nullptr, true);
  return true;
}

size_t TlsTrust::size() const {
  return impl_->count;
}

TlsClientConfig::TlsClientConfig(TlsTrust trust, std::optional<TlsVersion> only, std::optional<TlsIdentity> identity)
    : impl_(std::make_unique<Impl>()) {
  impl_->trust = std::move(trust);
  mbedtls_ssl_config* conf = &impl_->ssl.conf;
  common(impl_->ssl, MBEDTLS_SSL_IS_CLIENT, only);
  if (identity) {
    impl_->identity = identity->impl();
    check(mbedtls_ssl_conf_own_cert(conf, &impl_->identity->chain.chain, &impl_->identity->key.ctx),
          "mbedtls_ssl_conf_own_cert");
  }
  mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
  mbedtls_ssl_conf_ca_chain(conf, &impl_->trust.impl().roots.chain, nullptr);
  mbedtls_ssl_conf_session_tickets(conf, MBEDTLS_SSL_SESSION_TICKETS_ENABLED);
  // TLS 1.3 tickets arrive after the handshake; the stream keeps the latest for a later resumption.
  mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets(conf, MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED);
}

TlsClientConfig::TlsClientConfig(TlsClientConfig&&) noexcept = default;
TlsClientConfig& TlsClientConfig::operator=(TlsClientConfig&&) noexcept = default;
TlsClientConfig::~TlsClientConfig() = default;

} // namespace authemu
