// A client certificate that a TLS-terminating proxy forwards in a request header (RFC 8705 §6.5),
// read into base/client_certificate.h's values and judged against trust anchors as a TLS listener
// judges the certificate of its own connections. Formats: PEM, URL-encoded PEM (nginx's
// $ssl_client_escaped_cert), base64 DER (Traefik, HAProxy) and Envoy's X-Forwarded-Client-Cert
// (its Cert="…" element). Thread-safe once built.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "base/client_certificate.h"
#include "tls/tls_config.h"

namespace authemu {

class ForwardedCertificates {
public:
  // header: the request header that carries the certificate; roots: the client trust anchors.
  ForwardedCertificates(std::string header, TlsTrust roots);
  ForwardedCertificates(ForwardedCertificates&&) noexcept;
  ~ForwardedCertificates();

  const std::string& header() const { return header_; }
  // The certificate a header value carries; nullptr when it carries none that parses.
  std::shared_ptr<const ClientCertificate> read(std::string_view value) const;

private:
  std::string header_;
  std::unique_ptr<TlsTrust> roots_;
};

// The DER of a forwarded certificate in any of the formats above; "" when there is none.
std::string forwarded_certificate_der(std::string_view value);

} // namespace authemu
