#include "tls/certificate_authority.h"

#include <mbedtls/asn1write.h>
#include <mbedtls/ecp.h>
#include <mbedtls/oid.h>
#include <mbedtls/platform.h>
#include <mbedtls/x509_crt.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "base/base64.h"
#include "base/config_error.h"
#include "jose/crypto.h"
#include "tls/tls_mbedtls.h"

namespace authemu {

using namespace tls_detail;

struct CertificateAuthority::Impl {
  Crt crt;
  Pk key;
  std::string certificate_pem, key_pem, where;
  std::optional<NameConstraints> constraints;
  Crt client_ca; // the same key under another name, unconstrained: the issuer of client certificates
  std::string client_ca_pem;
  // One signature at a time with key: mbedTLS's EC group caches its tables on first use, unlocked
  // (issue_client runs on any request's thread).
  mutable std::mutex signing;
};

namespace {

struct CrtWriter {
  CrtWriter() { mbedtls_x509write_crt_init(&ctx); }
  ~CrtWriter() { mbedtls_x509write_crt_free(&ctx); }
  CrtWriter(const CrtWriter&) = delete;
  CrtWriter& operator=(const CrtWriter&) = delete;
  mbedtls_x509write_cert ctx;
};

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// "YYYYMMDDhhmmss", UTC, as mbedtls_x509write_crt_set_validity takes it.
std::string x509_time(int64_t unix_seconds) {
  return format_utc(unix_seconds, "%Y%m%d%H%M%S");
}

void generate_p256(Pk& key) {
  check(mbedtls_pk_setup(&key.ctx, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), "mbedtls_pk_setup");
  check(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key.ctx), Drbg::callback, &tls_random()),
        "mbedtls_ecp_gen_key");
}

std::string write_key_pem(Pk& key) {
  std::string out(4096, '\0');
  check(mbedtls_pk_write_key_pem(&key.ctx, reinterpret_cast<unsigned char*>(out.data()), out.size()),
        "mbedtls_pk_write_key_pem");
  out.resize(std::strlen(out.c_str()));
  return out;
}

// What every certificate written here has: version 3, a random positive 127-bit serial (RFC 5280
// §4.1.2.2: unique per issuer, at most 20 octets), SHA-256, validity, subject (mbedTLS's string
// syntax; empty: the caller sets it), keys and their ids.
void set_common(CrtWriter& w, Pk& subject_key, Pk& issuer_key, const std::string& subject, int64_t not_before,
                int64_t not_after) {
  mbedtls_x509write_crt_set_version(&w.ctx, MBEDTLS_X509_CRT_VERSION_3);
  mbedtls_x509write_crt_set_md_alg(&w.ctx, MBEDTLS_MD_SHA256);
  unsigned char serial[16];
  check(Drbg::callback(&tls_random(), serial, sizeof serial), "mbedtls_ctr_drbg_random");
  serial[0] = static_cast<unsigned char>((serial[0] & 0x7f) | 0x40); // positive, and no leading zero octet
  check(mbedtls_x509write_crt_set_serial_raw(&w.ctx, serial, sizeof serial), "mbedtls_x509write_crt_set_serial_raw");
  check(mbedtls_x509write_crt_set_validity(&w.ctx, x509_time(not_before).c_str(), x509_time(not_after).c_str()),
        "mbedtls_x509write_crt_set_validity");
  if (!subject.empty())
    check(mbedtls_x509write_crt_set_subject_name(&w.ctx, subject.c_str()), "mbedtls_x509write_crt_set_subject_name");
  mbedtls_x509write_crt_set_subject_key(&w.ctx, &subject_key.ctx);
  mbedtls_x509write_crt_set_issuer_key(&w.ctx, &issuer_key.ctx);
  check(mbedtls_x509write_crt_set_subject_key_identifier(&w.ctx), "mbedtls_x509write_crt_set_subject_key_identifier");
}

// The issuer name exactly as the CA's subject is encoded (same order, same string types): clients
// such as Go's match a certificate to its issuer by those bytes. mbedTLS writes the list from its
// last entry to its head, so the copy is built head-last.
void copy_issuer(CrtWriter& w, const mbedtls_x509_name* subject) {
  mbedtls_asn1_named_data** issuer = &w.ctx.MBEDTLS_PRIVATE(issuer);
  mbedtls_asn1_free_named_data_list(issuer);
  for (const mbedtls_x509_name* n = subject; n != nullptr; n = n->next) {
    auto* copy = static_cast<mbedtls_asn1_named_data*>(mbedtls_calloc(1, sizeof(mbedtls_asn1_named_data)));
    if (copy == nullptr) throw CryptoError("out of memory");
    copy->next = *issuer;
    *issuer = copy;
    copy->oid.tag = n->oid.tag;
    copy->val.tag = n->val.tag;
    copy->oid.p = static_cast<unsigned char*>(mbedtls_calloc(1, n->oid.len));
    copy->val.p = static_cast<unsigned char*>(mbedtls_calloc(1, n->val.len + 1));
    if (copy->oid.p == nullptr || copy->val.p == nullptr) throw CryptoError("out of memory");
    std::memcpy(copy->oid.p, n->oid.p, copy->oid.len = n->oid.len);
    std::memcpy(copy->val.p, n->val.p, copy->val.len = n->val.len);
  }
}

// RFC 5280 §4.2.1.6: the subjectAltName extension of (type, value) entries, in the order given
// (mbedTLS writes its list from the tail, so the list is linked back to front); none: no extension.
void set_sans(CrtWriter& w, const std::vector<std::pair<int, std::string>>& entries) {
  if (entries.empty()) return;
  std::vector<mbedtls_x509_san_list> sans(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    mbedtls_x509_san_list& node = sans[entries.size() - 1 - i];
    node.node.type = entries[i].first;
    node.node.san.unstructured_name.p = const_cast<unsigned char*>(bytes(entries[i].second));
    node.node.san.unstructured_name.len = entries[i].second.size();
    node.next = i > 0 ? &sans[entries.size() - i] : nullptr;
  }
  check(mbedtls_x509write_crt_set_subject_alternative_name(&w.ctx, sans.data()),
        "mbedtls_x509write_crt_set_subject_alternative_name");
}

// extendedKeyUsage with the one purpose oid (RFC 5280 §4.2.1.12).
void set_ext_key_usage(CrtWriter& w, std::string_view oid) {
  mbedtls_asn1_sequence usage{};
  usage.buf.tag = MBEDTLS_ASN1_OID;
  usage.buf.p = const_cast<unsigned char*>(bytes(oid));
  usage.buf.len = oid.size();
  check(mbedtls_x509write_crt_set_ext_key_usage(&w.ctx, &usage), "mbedtls_x509write_crt_set_ext_key_usage");
}

// What a leaf this CA issues has besides its subject and names: the CA's name as issuer, the
// CA's key id, no CA bit, keyUsage digitalSignature and the one extended key usage purpose.
void set_leaf(CrtWriter& w, const mbedtls_x509_crt& ca, std::string_view purpose) {
  copy_issuer(w, &ca.subject);
  check(mbedtls_x509write_crt_set_authority_key_identifier(&w.ctx),
        "mbedtls_x509write_crt_set_authority_key_identifier");
  check(mbedtls_x509write_crt_set_basic_constraints(&w.ctx, 0, -1), "mbedtls_x509write_crt_set_basic_constraints");
  check(mbedtls_x509write_crt_set_key_usage(&w.ctx, MBEDTLS_X509_KU_DIGITAL_SIGNATURE),
        "mbedtls_x509write_crt_set_key_usage");
  set_ext_key_usage(w, purpose);
}

// Code points of UTF-8 text without control characters, or nothing when it is not that.
std::optional<size_t> utf8_characters(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++count) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return std::nullopt;
    uint32_t cp = n == 1 ? c : c & (0x7f >> n);
    for (size_t k = 1; k < n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return std::nullopt;
      cp = cp << 6 | (cc & 0x3f);
    }
    static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return std::nullopt; // overlong, surrogate
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return std::nullopt;                           // C0, DEL, C1
    i += n;
  }
  return count;
}

// RFC 1035 §2.3.1 labels (letters, digits, inner hyphens), at most 63 octets each; "*." may lead
// (RFC 6125 §6.4.3).
bool is_dns_name(std::string_view name) {
  if (name.rfind("*.", 0) == 0) name.remove_prefix(2);
  if (name.empty()) return false;
  size_t label = 0;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      if (label == 0 || label > 63 || name[i - 1] == '-' || name[i - label] == '-') return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(name[i])) || name[i] == '-') {
      ++label;
    } else {
      return false;
    }
  }
  return true;
}

// Printable ASCII without spaces: an IA5String of a URI or a mailbox (RFC 5280 §4.2.1.6).
bool is_visible_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// RFC 3986 §3.1: scheme ":" …, the scheme a letter then letters, digits, "+", "-", ".".
bool is_absolute_uri(std::string_view uri) {
  size_t colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == uri.size() || !is_visible_ascii(uri)) return false;
  if (!std::isalpha(static_cast<unsigned char>(uri[0]))) return false;
  return std::all_of(uri.begin(), uri.begin() + colon, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

// RFC 5280 §4.2.1.6 rfc822Name: a Mailbox, local-part@domain (RFC 5321 §4.1.2), ASCII.
bool is_mailbox(std::string_view email) {
  size_t at = email.rfind('@');
  return at != std::string_view::npos && at > 0 && is_visible_ascii(email) && is_dns_name(email.substr(at + 1)) &&
         email.substr(at + 1).rfind("*.", 0) != 0;
}

// Every name of one SAN type, checked, appended to entries. Throws "<what>: …".
void add_names(std::vector<std::pair<int, std::string>>& entries, const std::vector<std::string>& values, int type,
               const char* what, size_t max_length, bool (*valid)(std::string_view), const char* expected) {
  for (const auto& v : values) {
    if (v.size() > max_length) {
      throw std::invalid_argument(std::string(what) + ": a value longer than " + std::to_string(max_length) +
                                  " characters");
    }
    if (!valid(v)) throw std::invalid_argument(std::string(what) + ": '" + v + "' is not " + expected);
    entries.emplace_back(type, v);
  }
}

std::string write_der(CrtWriter& w) {
  std::string buf(8192, '\0');
  int len = mbedtls_x509write_crt_der(&w.ctx, reinterpret_cast<unsigned char*>(buf.data()), buf.size(),
                                      Drbg::callback, &tls_random());
  if (len < 0) check(len, "mbedtls_x509write_crt_der");
  return buf.substr(buf.size() - size_t(len)); // written at the end of the buffer
}

// "20ab…": the first bytes of the key's SHA-256, to tell generated CAs apart in a trust store.
std::string key_tag(Pk& key) {
  unsigned char buf[256];
  int len = mbedtls_pk_write_pubkey_der(&key.ctx, buf, sizeof buf);
  if (len < 0) check(len, "mbedtls_pk_write_pubkey_der");
  std::string hash = sha256(std::string_view(reinterpret_cast<const char*>(buf + sizeof buf - len), size_t(len)));
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 4; ++i)
    out += {kHex[(hash[i] >> 4) & 0xf], kHex[hash[i] & 0xf]};
  return out;
}

} // namespace

// The issuer of client certificates: the CA's key in a self-signed certificate of its own name
// ("authemu client CA <key tag>": the same for the same key, run after run), with no name
// constraints. A client that trusts the CA (curl --cacert, Python, Node: OpenSSL completes a
// client's chain from its trust store) would otherwise send the CA's certificate after its own,
// and mbedTLS cannot parse that one there: its name constraints are an unknown critical extension,
// and a server's chain parser takes no callback. Under this name the trust store has no issuer.
void CertificateAuthority::make_client_ca(Impl& impl) {
  CrtWriter w;
  std::string name = "O=authemu,CN=authemu client CA " + key_tag(impl.key);
  set_common(w, impl.key, impl.key, name, unix_time(impl.crt.chain.valid_from), unix_time(impl.crt.chain.valid_to));
  check(mbedtls_x509write_crt_set_issuer_name(&w.ctx, name.c_str()), "mbedtls_x509write_crt_set_issuer_name");
  check(mbedtls_x509write_crt_set_basic_constraints(&w.ctx, 1, 0), "mbedtls_x509write_crt_set_basic_constraints");
  check(mbedtls_x509write_crt_set_key_usage(&w.ctx, MBEDTLS_X509_KU_KEY_CERT_SIGN | MBEDTLS_X509_KU_CRL_SIGN),
        "mbedtls_x509write_crt_set_key_usage");
  std::string der = write_der(w);
  check(parse_der(impl.client_ca, der), "mbedtls_x509_crt_parse_der_with_ext_cb");
  impl.client_ca_pem = pem(der, "CERTIFICATE");
}

CertificateAuthority::CertificateAuthority(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CertificateAuthority::CertificateAuthority(CertificateAuthority&&) noexcept = default;
CertificateAuthority& CertificateAuthority::operator=(CertificateAuthority&&) noexcept = default;
CertificateAuthority::~CertificateAuthority() = default;

CertificateAuthority CertificateAuthority::generate(const TlsNames& names, const Clock& clock) {
  crypto_detail::init_psa();
  auto impl = std::make_unique<Impl>();
  generate_p256(impl->key);
  CrtWriter w;
  int64_t now = clock.now();
  std::string name = "O=authemu,CN=authemu test CA " + key_tag(impl->key);
  set_common(w, impl->key, impl->key, name, now - kBackdate, now + kCaLifetime);
  check(mbedtls_x509write_crt_set_issuer_name(&w.ctx, name.c_str()), "mbedtls_x509write_crt_set_issuer_name");
  check(mbedtls_x509write_crt_set_basic_constraints(&w.ctx, 1, 0), "mbedtls_x509write_crt_set_basic_constraints");
  check(mbedtls_x509write_crt_set_key_usage(&w.ctx, MBEDTLS_X509_KU_KEY_CERT_SIGN | MBEDTLS_X509_KU_CRL_SIGN |
                                                        MBEDTLS_X509_KU_DIGITAL_SIGNATURE),
        "mbedtls_x509write_crt_set_key_usage");
  impl->constraints = NameConstraints::permitting(names);
  std::string constraints = impl->constraints->to_der();
  // RFC 5280 §4.2.1.10: "Conforming CAs MUST mark this extension as critical".
  check(mbedtls_x509write_crt_set_extension(&w.ctx, MBEDTLS_OID_NAME_CONSTRAINTS,
                                            MBEDTLS_OID_SIZE(MBEDTLS_OID_NAME_CONSTRAINTS), 1, bytes(constraints),
                                            constraints.size()),
        "mbedtls_x509write_crt_set_extension");
  std::string der = write_der(w);
  check(parse_der(impl->crt, der), "mbedtls_x509_crt_parse_der_with_ext_cb");
  impl->certificate_pem = pem(der, "CERTIFICATE");
  impl->key_pem = write_key_pem(impl->key);
  impl->where = "the generated CA";
  make_client_ca(*impl);
  return CertificateAuthority(std::move(impl));
}

CertificateAuthority CertificateAuthority::from_pem(std::string_view cert_pem, std::string_view key_pem_text,
                                                    const std::string& cert_where, const std::string& key_where,
                                                    const Clock& clock) {
  crypto_detail::init_psa();
  auto impl = std::make_unique<Impl>();
  load_certificates(impl->crt, cert_pem, cert_where, &impl->constraints);
  if (!impl->crt.chain.MBEDTLS_PRIVATE(ca_istrue)) throw ConfigError(cert_where + ": not a CA certificate (basicConstraints cA is not set)");
  check_valid_at(impl->crt, clock.now(), cert_where);
  load_key(impl->key, key_pem_text, key_where);
  check_pair(impl->crt, impl->key, cert_where, key_where);
  impl->certificate_pem = pem(std::string_view(reinterpret_cast<const char*>(impl->crt.chain.raw.p),
                                               impl->crt.chain.raw.len),
                              "CERTIFICATE");
  impl->key_pem = std::string(key_pem_text);
  impl->where = cert_where;
  make_client_ca(*impl);
  return CertificateAuthority(std::move(impl));
}

const std::string& CertificateAuthority::certificate_pem() const {
  return impl_->certificate_pem;
}

const std::string& CertificateAuthority::client_ca_pem() const {
  return impl_->client_ca_pem;
}

const std::string& CertificateAuthority::key_pem() const {
  return impl_->key_pem;
}

const std::optional<NameConstraints>& CertificateAuthority::name_constraints() const {
  return impl_->constraints;
}

void CertificateAuthority::check_covers(const TlsNames& names) const {
  if (!impl_->constraints) return;
  auto missing = impl_->constraints->not_permitted(names);
  if (!missing.empty()) {
    throw ConfigError(impl_->where + ": the CA's name constraints do not cover " + join_names(missing));
  }
}

PemCredentials CertificateAuthority::issue(const TlsNames& names, const Clock& clock) const {
  Pk key;
  generate_p256(key);
  CrtWriter w;
  std::lock_guard<std::mutex> lock(impl_->signing);
  int64_t now = clock.now();
  int64_t not_after = std::min(now + kLeafLifetime, unix_time(impl_->crt.chain.valid_to));
  std::string cn = names.dns.empty() ? (names.ips.empty() ? "authemu" : names.ips.front()) : names.dns.front();
  set_common(w, key, impl_->key, "O=authemu,CN=" + cn, now - kBackdate, not_after);
  set_leaf(w, impl_->crt.chain, std::string_view(MBEDTLS_OID_SERVER_AUTH, MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)));

  // RFC 5280 §4.2.1.6: dNSName and iPAddress (4 or 16 octets) entries, in the order given.
  std::vector<std::pair<int, std::string>> entries;
  for (const auto& name : names.dns)
    entries.emplace_back(MBEDTLS_X509_SAN_DNS_NAME, name);
  for (const auto& ip : names.ips)
    entries.emplace_back(MBEDTLS_X509_SAN_IP_ADDRESS, ip_bytes(ip).value_or(""));
  set_sans(w, entries);
  return {pem(write_der(w), "CERTIFICATE"), write_key_pem(key)};
}

} // namespace authemu

namespace authemu {

IssuedClientCertificate CertificateAuthority::issue_client(const ClientCertificateRequest& request,
                                                           const Clock& clock) const {
  auto characters = utf8_characters(request.cn);
  if (request.cn.empty()) throw std::invalid_argument("cn: required");
  if (!characters) throw std::invalid_argument("cn: expected UTF-8 text without control characters");
  if (*characters > kMaxCnLength) {
    throw std::invalid_argument("cn: at most " + std::to_string(kMaxCnLength) + " characters (RFC 5280 ub-common-name)");
  }
  size_t count = request.dns.size() + request.uris.size() + request.ips.size() + request.emails.size();
  if (count > kMaxNames) {
    throw std::invalid_argument("at most " + std::to_string(kMaxNames) +
                                " subject alternative names (dns, uris, ips and emails together)");
  }
  std::vector<std::pair<int, std::string>> entries;
  add_names(entries, request.dns, MBEDTLS_X509_SAN_DNS_NAME, "dns", kMaxDnsLength, is_dns_name, "a DNS name");
  add_names(entries, request.uris, MBEDTLS_X509_SAN_UNIFORM_RESOURCE_IDENTIFIER, "uris", kMaxUriLength,
            is_absolute_uri, "an absolute URI (scheme:…, printable ASCII)");
  for (const auto& ip : request.ips) {
    auto raw = ip_bytes(ip);
    if (!raw) throw std::invalid_argument("ips: '" + ip.substr(0, 64) + "' is not an IPv4 or IPv6 address");
    entries.emplace_back(MBEDTLS_X509_SAN_IP_ADDRESS, *raw);
  }
  add_names(entries, request.emails, MBEDTLS_X509_SAN_RFC822_NAME, "emails", kMaxEmailLength, is_mailbox,
            "an email address (local-part@domain, ASCII)");
  if (request.lifetime <= 0 || request.lifetime > kMaxClientLifetime) {
    throw std::invalid_argument("lifetime: expected a positive duration of at most ten years");
  }
  int64_t now = clock.now(), ca_end = unix_time(impl_->client_ca.chain.valid_to);
  if (ca_end <= now) throw std::invalid_argument("the CA expired on " + format_utc(ca_end));

  Pk key;
  generate_p256(key);
  CrtWriter w;
  std::lock_guard<std::mutex> lock(impl_->signing);
  IssuedClientCertificate out;
  out.not_before = now - kBackdate;
  out.not_after = std::min(now + request.lifetime, ca_end);
  set_common(w, key, impl_->key, "", out.not_before, out.not_after);
  // The subject built as a value, not parsed from mbedTLS's "CN=…" syntax: any text is the CN.
  mbedtls_asn1_named_data* cn =
      mbedtls_asn1_store_named_data(&w.ctx.MBEDTLS_PRIVATE(subject), MBEDTLS_OID_AT_CN,
                                    MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_CN), bytes(request.cn), request.cn.size());
  if (cn == nullptr) throw CryptoError("mbedtls_asn1_store_named_data: out of memory");
  cn->val.tag = MBEDTLS_ASN1_UTF8_STRING; // RFC 5280 §4.1.2.6
  set_leaf(w, impl_->client_ca.chain,
           std::string_view(MBEDTLS_OID_CLIENT_AUTH, MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH)));
  set_sans(w, entries);
  std::string der = write_der(w);
  out.chain = pem(der, "CERTIFICATE");
  out.key = write_key_pem(key);
  out.thumbprint = base64url_encode(sha256(der)); // RFC 8705 §3.1
  return out;
}

} // namespace authemu
