// The inside of a TlsIdentity, for the .cpp files of tls/ only.
#pragma once
#include <string>

#include "tls/tls_identity.h"
#include "tls/tls_mbedtls.h"

namespace authemu {

struct TlsIdentity::Impl {
  // mbedtls_ssl_conf_own_cert takes both by non-const pointer but only reads them once loaded.
  mutable tls_detail::Crt chain;
  mutable tls_detail::Pk key;
  std::string cert_where;
};

} // namespace authemu
