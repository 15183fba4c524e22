// The insides of tls/tls_config.h's types, for the .cpp files of tls/ only.
#pragma once
#include <memory>

#include "tls/tls_config.h"
#include "tls/tls_identity_impl.h"
#include "tls/tls_mbedtls.h"

namespace authemu {

struct TlsServerConfig::Impl {
  std::shared_ptr<const TlsIdentity::Impl> identity; // the chain and key conf points to
  tls_detail::TicketKeys tickets;
  tls_detail::SslConfig ssl;
};

struct TlsTrust::Impl {
  mutable tls_detail::Crt roots; // mbedtls_ssl_conf_ca_chain takes it by non-const pointer, only reads it
  size_t count = 0;
};

struct TlsClientConfig::Impl {
  TlsTrust trust; // the roots conf points to
  tls_detail::SslConfig ssl;
};

} // namespace authemu
