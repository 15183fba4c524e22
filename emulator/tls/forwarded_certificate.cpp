#include "tls/forwarded_certificate.h"

#include <mbedtls/oid.h>

#include "base/base64.h"
#include "base/number.h"
#include "tls/peer_certificate.h"
#include "tls/tls_config_impl.h"

namespace authemu {

using namespace tls_detail;

namespace {

constexpr size_t kMaxValue = 64 * 1024; // a header of a certificate chain fits well below this

// RFC 3986 §2.1 percent-decoding; an invalid escape is kept as it is.
std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
        hex_value(s[i + 2]) >= 0) {
      out += char(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Envoy's X-Forwarded-Client-Cert: elements separated by ';' (and ',' between proxies), the
// certificate in Cert="<URL-encoded PEM>". The first element's Cert, or "" without one.
std::string_view xfcc_cert(std::string_view value) {
  size_t at = 0;
  while (at < value.size()) {
    while (at < value.size() && (value[at] == ' ' || value[at] == ';' || value[at] == ',')) ++at;
    if (value.substr(at, 5) == "Cert=" || value.substr(at, 5) == "cert=") {
      at += 5;
      bool quoted = at < value.size() && value[at] == '"';
      if (quoted) ++at;
      size_t end = value.find(quoted ? '"' : ';', at);
      return value.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    }
    size_t next = value.find_first_of(";,", at);
    if (next == std::string_view::npos) break;
    at = next;
  }
  return {};
}

} // namespace

std::string forwarded_certificate_der(std::string_view value) {
  if (value.empty() || value.size() > kMaxValue) return "";
  if (auto cert = xfcc_cert(value); !cert.empty()) value = cert;
  std::string text = value.find('%') != std::string_view::npos ? percent_decode(value) : std::string(value);
  static const std::string kBegin = "-----BEGIN CERTIFICATE-----", kEnd = "-----END CERTIFICATE-----";
  size_t begin = text.find(kBegin);
  if (begin != std::string::npos) {
    size_t end = text.find(kEnd, begin);
    if (end == std::string::npos) return "";
    text = text.substr(begin + kBegin.size(), end - begin - kBegin.size());
  }
  std::string b64;
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') b64 += c; // a proxy may fold PEM lines into spaces
  }
  auto der = base64_decode(b64);
  if (!der || der->size() < 2 || (*der)[0] != 0x30) return ""; // a DER certificate is a SEQUENCE
  return *der;
}

ForwardedCertificates::ForwardedCertificates(std::string header, TlsTrust roots)
    : header_(std::move(header)), roots_(std::make_unique<TlsTrust>(std::move(roots))) {}
ForwardedCertificates::ForwardedCertificates(ForwardedCertificates&&) noexcept = default;
ForwardedCertificates::~ForwardedCertificates() = default;

std::shared_ptr<const ClientCertificate> ForwardedCertificates::read(std::string_view value) const {
  std::string der = forwarded_certificate_der(value);
  if (der.empty()) return nullptr;
  Crt crt;
  if (parse_der(crt, der) != 0) return nullptr;
  bool has_roots = roots_->size() > 0;
  uint32_t flags = has_roots ? 0 : MBEDTLS_X509_BADCERT_NOT_TRUSTED; // no roots: nothing vouches for it
  if (has_roots) {
    // The proxy checked that the client holds the key; the chain is judged here, as a listener does.
    int ret = mbedtls_x509_crt_verify(&crt.chain, &roots_->impl().roots.chain, nullptr, nullptr, &flags, nullptr,
                                      nullptr);
    if (ret != 0 && ret != MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) return nullptr;
  }
  // As a TLS server's handshake does: a certificate with an extended key usage must allow clientAuth.
  if (mbedtls_x509_crt_check_extended_key_usage(&crt.chain, MBEDTLS_OID_CLIENT_AUTH,
                                                MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH)) != 0) {
    flags |= MBEDTLS_X509_BADCERT_EXT_KEY_USAGE;
  }
  return read_client_certificate(crt.chain, flags, has_roots);
}

} // namespace authemu
