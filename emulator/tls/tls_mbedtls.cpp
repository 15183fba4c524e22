#include "tls/tls_mbedtls.h"

#include <mbedtls/oid.h>
#include <mbedtls/platform_util.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "base/clock.h"
#include "base/config_error.h"

namespace authemu::tls_detail {

const char* kAlpn[] = {"http/1.1", nullptr};
thread_local HandshakeNotes* current_handshake = nullptr;

namespace {

struct ParseContext {
  std::optional<NameConstraints>* constraints;
};

// mbedtls_x509_crt_ext_cb_t: called for each extension mbedTLS does not know. 0 accepts it.
int accept_name_constraints(void* p_ctx, const mbedtls_x509_crt*, const mbedtls_x509_buf* oid, int critical,
                            const unsigned char* p, const unsigned char* end) {
  if (MBEDTLS_OID_CMP(MBEDTLS_OID_NAME_CONSTRAINTS, oid) != 0) {
    return critical ? MBEDTLS_ERR_X509_UNKNOWN_OID : 0; // RFC 5280 §4.2: an unknown critical one is refused
  }
  auto* ctx = static_cast<ParseContext*>(p_ctx);
  if (ctx->constraints && !*ctx->constraints) {
    try {
      *ctx->constraints =
          NameConstraints::from_der(std::string_view(reinterpret_cast<const char*>(p), size_t(end - p)));
    } catch (const std::invalid_argument&) {
      return MBEDTLS_ERR_X509_INVALID_EXTENSIONS;
    }
  }
  return 0;
}

} // namespace

int parse_der(Crt& crt, std::string_view der, std::optional<NameConstraints>* constraints) {
  ParseContext ctx{constraints};
  return mbedtls_x509_crt_parse_der_with_ext_cb(&crt.chain, reinterpret_cast<const unsigned char*>(der.data()),
                                                der.size(), 1, accept_name_constraints, &ctx);
}

size_t parse_pem_certificates(Crt& crt, std::string_view pem, std::optional<NameConstraints>* constraints,
                              bool skip_bad) {
  static constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----", kEnd = "-----END CERTIFICATE-----";
  size_t count = 0;
  for (size_t at = pem.find(kBegin); at != std::string_view::npos; at = pem.find(kBegin, at)) {
    size_t end = pem.find(kEnd, at);
    if (end == std::string_view::npos) {
      if (skip_bad) break;
      throw CryptoError("certificate " + std::to_string(count + 1) + " has no END line");
    }
    end += kEnd.size();
    std::string block(pem.substr(at, end - at)); // mbedtls_pem_read_buffer wants it NUL-terminated
    at = end;
    ++count;
    mbedtls_pem_context ctx;
    mbedtls_pem_init(&ctx);
    size_t used = 0;
    int ret = mbedtls_pem_read_buffer(&ctx, "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----",
                                      reinterpret_cast<const unsigned char*>(block.c_str()), nullptr, 0, &used);
    if (ret == 0) {
      size_t len = 0;
      const unsigned char* der = mbedtls_pem_get_buffer(&ctx, &len);
      ret = parse_der(crt, std::string_view(reinterpret_cast<const char*>(der), len), constraints);
    }
    mbedtls_pem_free(&ctx);
    if (ret != 0 && skip_bad) {
      --count;
    } else if (ret != 0) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "certificate %zu does not parse (-0x%04x)", count, static_cast<unsigned>(-ret));
      throw CryptoError(buf);
    }
  }
  return count;
}

void load_certificates(Crt& crt, std::string_view pem, const std::string& where,
                       std::optional<NameConstraints>* constraints) {
  size_t count = 0;
  try {
    count = parse_pem_certificates(crt, pem, constraints);
  } catch (const CryptoError& e) {
    throw ConfigError(where + ": " + e.what());
  }
  if (count == 0) throw ConfigError(where + ": not a PEM certificate (no \"-----BEGIN CERTIFICATE-----\" line)");
}

void load_key(Pk& key, std::string_view pem, const std::string& where) {
  std::string text(pem); // mbedTLS wants PEM NUL-terminated, with the NUL counted
  int ret = mbedtls_pk_parse_key(&key.ctx, reinterpret_cast<const unsigned char*>(text.c_str()), text.size() + 1,
                                 nullptr, 0, Drbg::callback, &tls_random());
  mbedtls_platform_zeroize(text.data(), text.size());
  if (ret != 0) {
    char buf[96];
    std::snprintf(buf, sizeof buf, ": not a PEM private key, RSA or EC (mbedtls_pk_parse_key: -0x%04x)",
                  static_cast<unsigned>(-ret));
    throw ConfigError(where + buf);
  }
}

void check_pair(const Crt& crt, Pk& key, const std::string& cert_where, const std::string& key_where) {
  if (mbedtls_pk_check_pair(&crt.chain.pk, &key.ctx, Drbg::callback, &tls_random()) != 0) {
    throw ConfigError(key_where + ": the private key does not match the certificate in " + cert_where);
  }
}

void check_valid_at(const Crt& crt, int64_t now, const std::string& where) {
  int64_t from = unix_time(crt.chain.valid_from), to = unix_time(crt.chain.valid_to);
  // RFC 5280 §4.1.2.5: valid from notBefore through notAfter, both included.
  if (now > to) throw ConfigError(where + ": the certificate expired on " + format_utc(to));
  if (now < from) throw ConfigError(where + ": the certificate is not valid before " + format_utc(from));
}

std::string pem(std::string_view der, const char* label) {
  std::string begin = std::string("-----BEGIN ") + label + "-----\n", end = std::string("-----END ") + label + "-----\n";
  std::string out(der.size() * 4 / 3 + der.size() / 48 + begin.size() + end.size() + 16, '\0');
  size_t len = 0;
  check(mbedtls_pem_write_buffer(begin.c_str(), end.c_str(), reinterpret_cast<const unsigned char*>(der.data()),
                                 der.size(), reinterpret_cast<unsigned char*>(out.data()), out.size(), &len),
        "mbedtls_pem_write_buffer");
  out.resize(len > 0 && out[len - 1] == '\0' ? len - 1 : len);
  return out;
}

int64_t unix_time(const mbedtls_x509_time& t) {
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.mon, t.day, t.hour, t.min, t.sec);
  return parse_utc(text).value_or(0); // X.509 times before 1970 are all "long ago" here
}

Drbg& tls_random() {
  static Drbg drbg;
  return drbg;
}

} // namespace authemu::tls_detail
