// The insides of tls/tls_config.h's types, for the .cpp files of tls/ only.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/client_certificate.h"
#include "tls/tls_config.h"
#include "tls/tls_identity_impl.h"
#include "tls/tls_mbedtls.h"

namespace authemu {

struct TlsTrust::Impl {
  mutable tls_detail::Crt roots; // mbedtls_ssl_conf_ca_chain takes it by non-const pointer, only reads it
  size_t count = 0;
};

namespace tls_detail {

// The client certificate of each session ticket issued to a connection that had one, by the
// SHA-256 of the ticket's bytes: mbedTLS's TLS 1.3 tickets do not carry the peer's certificate, and
// a PSK resumption sends none (RFC 8446 §2.2). Bounded: the oldest records go first, and a record
// lives no longer than its ticket. Any thread.
class TicketCertificates {
public:
  static constexpr size_t kMaxRecords = 10000;

  explicit TicketCertificates(int64_t lifetime_s) : lifetime_s_(lifetime_s) {}
  // now_s: seconds on a monotonic clock (steady_clock's for the listeners).
  void remember(std::string ticket_hash, std::shared_ptr<const ClientCertificate> certificate, int64_t now_s);
  std::shared_ptr<const ClientCertificate> find(const std::string& ticket_hash, int64_t now_s);
  size_t size();

private:
  struct Record {
    std::shared_ptr<const ClientCertificate> certificate;
    int64_t at_s;
  };
  void drop_old(int64_t now_s); // under mutex_

  int64_t lifetime_s_;
  std::mutex mutex_;
  std::unordered_map<std::string, Record> records_;
  std::deque<std::string> order_; // oldest first
};

} // namespace tls_detail

struct TlsServerConfig::Impl {
  static constexpr int64_t kTicketLifetime = 86400; // seconds

  std::shared_ptr<const TlsIdentity::Impl> identity; // the chain and key conf points to
  TlsTrust client_roots;                             // the client trust anchors conf points to
  tls_detail::TicketKeys tickets;
  tls_detail::TicketCertificates ticket_certificates{kTicketLifetime};
  tls_detail::SslConfig ssl;

  bool has_client_roots() const { return client_roots.size() > 0; }
};

struct TlsClientConfig::Impl {
  TlsTrust trust; // the roots conf points to
  std::shared_ptr<const TlsIdentity::Impl> identity; // the certificate it presents, if any
  tls_detail::SslConfig ssl;
};

} // namespace authemu
