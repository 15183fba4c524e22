#include "tls/peer_certificate.h"

#include <mbedtls/ecp.h>
#include <mbedtls/oid.h>
#include <mbedtls/rsa.h>

#include <cstdio>

#include "base/base64.h"
#include "jose/crypto.h"

namespace authemu::tls_detail {

namespace {

std::string text_of(const mbedtls_asn1_buf& b) {
  return std::string(reinterpret_cast<const char*>(b.p), b.len);
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xc0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += char(0xe0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  } else {
    out += char(0xf0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3f));
    out += char(0x80 | ((cp >> 6) & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  }
}

// The subject's RDNs in ASN.1 order; mbedTLS links the attributes of a multi-valued RDN with
// next_merged set on each but the last.
DistinguishedName subject_of(const mbedtls_x509_name* name) {
  DistinguishedName dn;
  bool merge = false;
  for (const mbedtls_x509_name* n = name; n != nullptr; n = n->next) {
    if (n->oid.p == nullptr) continue;
    char oid[64];
    int len = mbedtls_oid_get_numeric_string(oid, sizeof oid, &n->oid);
    DnAttribute a{len > 0 ? std::string(oid, size_t(len)) : std::string(), text_of(n->val)};
    if (n->val.tag == MBEDTLS_ASN1_BMP_STRING) a.value = utf16be_to_utf8(a.value);
    if (!merge || dn.empty()) dn.emplace_back();
    dn.back().push_back(std::move(a));
    merge = n->MBEDTLS_PRIVATE(next_merged) != 0;
  }
  return dn;
}

// RFC 5280 §4.2.1.6: the names by type; otherName and directoryName entries are left out.
void read_sans(const mbedtls_x509_crt& crt, ClientCertificate& out) {
  for (const mbedtls_x509_sequence* san = &crt.subject_alt_names; san != nullptr && san->buf.p; san = san->next) {
    mbedtls_x509_subject_alternative_name parsed;
    if (mbedtls_x509_parse_subject_alt_name(&san->buf, &parsed) != 0) continue;
    std::vector<std::string>* names = parsed.type == MBEDTLS_X509_SAN_DNS_NAME                      ? &out.san_dns
                                      : parsed.type == MBEDTLS_X509_SAN_UNIFORM_RESOURCE_IDENTIFIER ? &out.san_uri
                                      : parsed.type == MBEDTLS_X509_SAN_RFC822_NAME                 ? &out.san_email
                                      : parsed.type == MBEDTLS_X509_SAN_IP_ADDRESS                  ? &out.san_ip
                                                                                                    : nullptr;
    if (names) names->push_back(text_of(parsed.san.unstructured_name));
    mbedtls_x509_free_subject_alt_name(&parsed);
  }
}

// RFC 7518 §6.2.1 and §6.3.1: the public key's JWK members; empty for another key type or curve.
std::map<std::string, std::string> public_jwk_of(const mbedtls_pk_context& pk) {
  std::map<std::string, std::string> jwk;
  mbedtls_pk_type_t type = mbedtls_pk_get_type(&pk);
  if (type == MBEDTLS_PK_RSA) {
    crypto_detail::Mpi n, e;
    if (mbedtls_rsa_export(mbedtls_pk_rsa(pk), &n.v, nullptr, nullptr, nullptr, &e.v) != 0) return jwk;
    jwk["kty"] = "RSA";
    jwk["n"] = base64url_encode(crypto_detail::mpi_bytes(n.v)); // minimal big-endian: no leading zero bytes
    jwk["e"] = base64url_encode(crypto_detail::mpi_bytes(e.v));
  } else if (type == MBEDTLS_PK_ECKEY || type == MBEDTLS_PK_ECDSA) {
    const mbedtls_ecp_keypair* ec = mbedtls_pk_ec(pk);
    const char* crv = nullptr;
    switch (mbedtls_ecp_keypair_get_group_id(ec)) {
    case MBEDTLS_ECP_DP_SECP256R1:
      crv = "P-256";
      break;
    case MBEDTLS_ECP_DP_SECP384R1:
      crv = "P-384";
      break;
    case MBEDTLS_ECP_DP_SECP521R1:
      crv = "P-521";
      break;
    default:
      return jwk;
    }
    unsigned char point[1 + 2 * 66];
    size_t len = 0;
    if (mbedtls_ecp_write_public_key(ec, MBEDTLS_ECP_PF_UNCOMPRESSED, &len, point, sizeof point) != 0 || len < 3 ||
        point[0] != 0x04) {
      return jwk;
    }
    size_t half = (len - 1) / 2; // SEC 1 §2.3.3: 04 ‖ x ‖ y, each the field's size
    std::string xy(reinterpret_cast<const char*>(point + 1), len - 1);
    jwk["kty"] = "EC";
    jwk["crv"] = crv;
    jwk["x"] = base64url_encode(xy.substr(0, half));
    jwk["y"] = base64url_encode(xy.substr(half));
  }
  return jwk;
}

} // namespace

std::string utf16be_to_utf8(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
    uint32_t u = uint32_t(uint8_t(bytes[i])) << 8 | uint8_t(bytes[i + 1]);
    if (u >= 0xd800 && u <= 0xdbff && i + 3 < bytes.size()) {
      uint32_t low = uint32_t(uint8_t(bytes[i + 2])) << 8 | uint8_t(bytes[i + 3]);
      if (low >= 0xdc00 && low <= 0xdfff) {
        append_utf8(out, 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00));
        i += 2;
        continue;
      }
    }
    append_utf8(out, u >= 0xd800 && u <= 0xdfff ? 0xfffd : u);
  }
  return out;
}

std::string chain_problem(uint32_t flags, bool has_roots) {
  flags &= ~uint32_t(MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE);
  static const struct {
    uint32_t flag;
    const char* words;
  } kWords[] = {
      {MBEDTLS_X509_BADCERT_KEY_USAGE, "not for client authentication (its key usage)"},
      {MBEDTLS_X509_BADCERT_EXT_KEY_USAGE, "not for client authentication (its extended key usage)"},
      {MBEDTLS_X509_BADCERT_NS_CERT_TYPE, "not for client authentication (its Netscape certificate type)"},
      {MBEDTLS_X509_BADCERT_BAD_MD, "signed with a hash not accepted here"},
      {MBEDTLS_X509_BADCERT_BAD_PK, "signed with an algorithm not accepted here"},
      {MBEDTLS_X509_BADCERT_BAD_KEY, "a key not accepted here (its type, curve or size)"},
      {MBEDTLS_X509_BADCERT_REVOKED, "revoked"},
      {MBEDTLS_X509_BADCERT_OTHER, "refused by the verification"},
  };
  std::string out;
  auto add = [&](const std::string& words) { out += (out.empty() ? "" : "; ") + words; };
  if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
    add(has_roots ? "not signed by a trusted CA" : "no client CA is configured");
  flags &= ~uint32_t(MBEDTLS_X509_BADCERT_NOT_TRUSTED);
  for (const auto& w : kWords) {
    if (flags & w.flag) add(w.words);
    flags &= ~w.flag;
  }
  if (flags != 0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "not verified (mbedTLS flags 0x%x)", unsigned(flags));
    add(buf);
  }
  return out;
}

std::shared_ptr<const ClientCertificate> read_client_certificate(const mbedtls_x509_crt& crt, uint32_t flags,
                                                                 bool has_roots) {
  auto out = std::make_shared<ClientCertificate>();
  out->der = text_of(crt.raw);
  out->thumbprint = base64url_encode(sha256(out->der)); // RFC 8705 §3.1
  out->subject = subject_of(&crt.subject);
  read_sans(crt, *out);
  out->not_before = unix_time(crt.valid_from);
  out->not_after = unix_time(crt.valid_to);
  out->chain_problem = chain_problem(flags, has_roots);
  out->public_jwk = public_jwk_of(crt.pk);
  return out;
}

const std::shared_ptr<const ClientCertificate>& session_certificate(HandshakeNotes& notes,
                                                                    const mbedtls_x509_crt* peer,
                                                                    uint32_t verify_result, bool has_roots) {
  if (notes.certificate_known) return notes.certificate;
  if (peer != nullptr && peer->raw.p != nullptr) {
    // A full handshake's certificate, or (TLS 1.2) the copy mbedTLS keeps in its own tickets: the
    // record of the ticket, when there is one for the same certificate, is the same answer.
    if (notes.restored && notes.restored->der == text_of(peer->raw))
      notes.certificate = notes.restored;
    else
      notes.certificate = read_client_certificate(*peer, verify_result, has_roots);
  } else if (notes.restored && verify_result == 0) {
    // RFC 8446 §2.2: a PSK resumption has no Certificate message; mbedTLS sets a verify_result of 0
    // for it, where a full handshake without a certificate says BADCERT_MISSING.
    notes.certificate = notes.restored;
  }
  notes.certificate_known = true;
  return notes.certificate;
}

} // namespace authemu::tls_detail
