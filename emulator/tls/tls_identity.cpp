#include "tls/tls_identity.h"

#include <mbedtls/oid.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/config_error.h"
#include "tls/tls_identity_impl.h"

namespace authemu {

using namespace tls_detail;

namespace {

// RFC 6125 §6.4.3: "*.example.com" matches one whole left-most label, nothing deeper.
bool dns_matches(const std::string& pattern, const std::string& name) {
  if (pattern == name) return true;
  if (pattern.rfind("*.", 0) != 0) return false;
  size_t dot = name.find('.');
  return dot != std::string::npos && dot > 0 && name.substr(dot) == pattern.substr(1);
}

} // namespace

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) throw ConfigError(path + ": cannot read (" + std::strerror(errno) + ")");
  return text.str();
}

TlsIdentity::TlsIdentity(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

TlsIdentity TlsIdentity::from_files(const std::string& cert_file, const std::string& key_file, const Clock& clock) {
  std::string chain = read_text_file(cert_file), key = read_text_file(key_file);
  return from_pem(chain, key, cert_file, key_file, clock);
}

TlsIdentity TlsIdentity::from_pem(std::string_view chain_pem, std::string_view key_pem, const std::string& cert_where,
                                  const std::string& key_where, const Clock& clock) {
  crypto_detail::init_psa();
  auto impl = std::make_shared<Impl>();
  load_certificates(impl->chain, chain_pem, cert_where);
  load_key(impl->key, key_pem, key_where);
  check_pair(impl->chain, impl->key, cert_where, key_where);
  check_valid_at(impl->chain, clock.now(), cert_where);
  impl->cert_where = cert_where;
  return TlsIdentity(std::move(impl));
}

TlsIdentity TlsIdentity::issued(std::string_view chain_pem, std::string_view key_pem) {
  crypto_detail::init_psa();
  auto impl = std::make_shared<Impl>();
  load_certificates(impl->chain, chain_pem, "(issued certificate)");
  load_key(impl->key, key_pem, "(issued key)");
  impl->cert_where = "(issued certificate)";
  return TlsIdentity(std::move(impl));
}

TlsNames TlsIdentity::names() const {
  TlsNames out;
  const mbedtls_x509_crt& crt = impl_->chain.chain;
  for (const mbedtls_x509_sequence* san = &crt.subject_alt_names; san != nullptr && san->buf.p; san = san->next) {
    mbedtls_x509_subject_alternative_name parsed;
    if (mbedtls_x509_parse_subject_alt_name(&san->buf, &parsed) != 0) continue;
    const auto& v = parsed.san.unstructured_name;
    std::string value(reinterpret_cast<const char*>(v.p), v.len);
    if (parsed.type == MBEDTLS_X509_SAN_DNS_NAME) {
      for (char& c : value)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.dns.push_back(value);
    } else if (parsed.type == MBEDTLS_X509_SAN_IP_ADDRESS) {
      out.ips.push_back(ip_text(value));
    }
    mbedtls_x509_free_subject_alt_name(&parsed);
  }
  if (out.empty()) {
    for (const mbedtls_x509_name* n = &crt.subject; n != nullptr; n = n->next) {
      if (n->oid.p && MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &n->oid) == 0) {
        std::string cn(reinterpret_cast<const char*>(n->val.p), n->val.len);
        if (auto ip = ip_bytes(cn)) {
          out.ips.push_back(ip_text(*ip));
        } else {
          for (char& c : cn)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          out.dns.push_back(cn);
        }
      }
    }
  }
  return out;
}

void TlsIdentity::check_covers(const TlsNames& required) const {
  TlsNames has = names();
  std::vector<std::string> missing;
  for (const auto& name : required.dns) {
    bool covered = false;
    for (const auto& pattern : has.dns)
      covered = covered || dns_matches(pattern, name);
    if (!covered) missing.push_back(name);
  }
  for (const auto& ip : required.ips)
    if (std::find(has.ips.begin(), has.ips.end(), ip) == has.ips.end()) missing.push_back(ip);
  if (!missing.empty()) {
    throw ConfigError(impl_->cert_where + ": the certificate does not cover " + join_names(missing));
  }
}

} // namespace authemu
