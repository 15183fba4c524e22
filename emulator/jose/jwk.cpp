#include "jose/jwk.h"

#include <mutex>

#include "base/base64.h"
#include "jose/crypto_mbedtls.h"
#include "jose/jwt.h"

namespace authemu {

using crypto_detail::bytes;
using crypto_detail::check;
using crypto_detail::Drbg;
using crypto_detail::Mpi;

namespace {

constexpr JwsAlgorithm kAlgorithms[] = {
    {"RS256", JwsFamily::rsa_pkcs1, 256, ""}, {"RS384", JwsFamily::rsa_pkcs1, 384, ""},
    {"RS512", JwsFamily::rsa_pkcs1, 512, ""}, {"PS256", JwsFamily::rsa_pss, 256, ""},
    {"PS384", JwsFamily::rsa_pss, 384, ""},   {"PS512", JwsFamily::rsa_pss, 512, ""},
    {"ES256", JwsFamily::ecdsa, 256, "P-256"}, {"ES384", JwsFamily::ecdsa, 384, "P-384"},
    {"ES512", JwsFamily::ecdsa, 512, "P-521"}, {"HS256", JwsFamily::hmac, 256, ""},
    {"HS384", JwsFamily::hmac, 384, ""},       {"HS512", JwsFamily::hmac, 512, ""},
};

mbedtls_md_type_t md_type(int bits) {
  return bits == 512 ? MBEDTLS_MD_SHA512 : bits == 384 ? MBEDTLS_MD_SHA384 : MBEDTLS_MD_SHA256;
}

std::string digest(int bits, std::string_view data) {
  const mbedtls_md_info_t* info = mbedtls_md_info_from_type(md_type(bits));
  std::string out(mbedtls_md_get_size(info), '\0');
  check(mbedtls_md(info, bytes(data), data.size(), reinterpret_cast<unsigned char*>(out.data())), "mbedtls_md");
  return out;
}

struct Curve {
  std::string_view name;
  mbedtls_ecp_group_id id;
  size_t size; // bytes of a coordinate (RFC 7518 §6.2.1.2: x and y are exactly this long)
};
constexpr Curve kCurves[] = {{"P-256", MBEDTLS_ECP_DP_SECP256R1, 32},
                             {"P-384", MBEDTLS_ECP_DP_SECP384R1, 48},
                             {"P-521", MBEDTLS_ECP_DP_SECP521R1, 66}};

const Curve* find_curve(std::string_view name) {
  for (const Curve& c : kCurves)
    if (c.name == name) return &c;
  return nullptr;
}

struct Group {
  explicit Group(const Curve& c) {
    mbedtls_ecp_group_init(&g);
    check(mbedtls_ecp_group_load(&g, c.id), "mbedtls_ecp_group_load");
  }
  ~Group() { mbedtls_ecp_group_free(&g); }
  Group(const Group&) = delete;
  mbedtls_ecp_group g;
};

struct Point {
  Point() { mbedtls_ecp_point_init(&p); }
  ~Point() { mbedtls_ecp_point_free(&p); }
  Point(const Point&) = delete;
  mbedtls_ecp_point p;
};

struct Rsa {
  Rsa() { mbedtls_rsa_init(&ctx); }
  ~Rsa() { mbedtls_rsa_free(&ctx); }
  Rsa(const Rsa&) = delete;
  mbedtls_rsa_context ctx;
};

// A big-endian integer without leading zero bytes.
std::string magnitude(std::string b) {
  size_t i = 0;
  while (i + 1 < b.size() && b[i] == '\0') ++i;
  return b.substr(i);
}

std::string mpi_fixed(const mbedtls_mpi& v, size_t size) {
  std::string out(size, '\0');
  check(mbedtls_mpi_write_binary(&v, reinterpret_cast<unsigned char*>(out.data()), size), "mbedtls_mpi_write_binary");
  return out;
}

// A member that holds base64url bytes; nothing and *reason when absent or not base64url.
std::optional<std::string> b64_member(const JsonObject& jwk, const char* name, std::string* reason) {
  const Json* v = find_member(jwk, name);
  if (v == nullptr) {
    *reason = std::string("missing \"") + name + "\"";
    return std::nullopt;
  }
  std::optional<std::string> out;
  if (v->is<std::string>()) out = base64url_decode(v->get<std::string>());
  if (!out || out->empty()) *reason = std::string("\"") + name + "\" is not a base64url string";
  return out && !out->empty() ? out : std::nullopt;
}

void load_rsa_public(Rsa& rsa, const std::string& n, const std::string& e) {
  check(mbedtls_rsa_import_raw(&rsa.ctx, bytes(n), n.size(), nullptr, 0, nullptr, 0, nullptr, 0, bytes(e), e.size()),
        "mbedtls_rsa_import_raw");
  check(mbedtls_rsa_complete(&rsa.ctx), "mbedtls_rsa_complete");
}

} // namespace

const JwsAlgorithm* find_jws_algorithm(std::string_view name) {
  for (const JwsAlgorithm& a : kAlgorithms)
    if (a.name == name) return &a;
  return nullptr;
}

std::vector<std::string> asymmetric_jws_algorithm_names() {
  std::vector<std::string> out;
  for (const JwsAlgorithm& a : kAlgorithms)
    if (a.family != JwsFamily::hmac) out.emplace_back(a.name);
  return out;
}

std::vector<std::string> hmac_jws_algorithm_names() {
  std::vector<std::string> out;
  for (const JwsAlgorithm& a : kAlgorithms)
    if (a.family == JwsFamily::hmac) out.emplace_back(a.name);
  return out;
}

std::string hmac_sha(int hash_bits, std::string_view key, std::string_view data) {
  const mbedtls_md_info_t* info = mbedtls_md_info_from_type(md_type(hash_bits));
  std::string out(mbedtls_md_get_size(info), '\0');
  check(mbedtls_md_hmac(info, bytes(key), key.size(), bytes(data), data.size(),
                        reinterpret_cast<unsigned char*>(out.data())),
        "mbedtls_md_hmac");
  return out;
}

std::string sha256_base64url(std::string_view data) {
  return base64url_encode(sha256(data));
}

// ---- public keys

struct PublicJwk::Impl {
  std::string kty;
  std::string n, e;         // RSA, magnitudes
  const Curve* curve = nullptr;
  std::string x, y;         // EC, coordinate-size bytes
  JsonObject members;       // RFC 7638 §3.2 required members, as given
  std::string thumbprint;
  size_t rsa_bytes = 0;
};

std::optional<PublicJwk> PublicJwk::parse(const JsonObject& jwk, std::string* reason) {
  auto kty = find_string(jwk, "kty");
  if (!kty) {
    *reason = "missing \"kty\"";
    return std::nullopt;
  }
  auto impl = std::make_shared<Impl>();
  impl->kty = *kty;
  if (*kty == "RSA") {
    auto n = b64_member(jwk, "n", reason);
    if (!n) return std::nullopt;
    auto e = b64_member(jwk, "e", reason);
    if (!e) return std::nullopt;
    impl->n = magnitude(*n);
    impl->e = magnitude(*e);
    size_t bits = impl->n.size() * 8;
    for (unsigned char top = static_cast<unsigned char>(impl->n[0]); top < 0x80 && bits > 0; top <<= 1) --bits;
    if (bits < kMinClientRsaBits || bits > kMaxClientRsaBits) {
      *reason = "RSA key of " + std::to_string(bits) + " bits: " + std::to_string(kMinClientRsaBits) + " to " +
                std::to_string(kMaxClientRsaBits) + " are accepted";
      return std::nullopt;
    }
    Rsa rsa;
    try {
      load_rsa_public(rsa, impl->n, impl->e);
    } catch (const CryptoError&) {
      *reason = "not a usable RSA public key (n, e)";
      return std::nullopt;
    }
    if (mbedtls_rsa_check_pubkey(&rsa.ctx) != 0) {
      *reason = "not a usable RSA public key (n, e)";
      return std::nullopt;
    }
    impl->rsa_bytes = mbedtls_rsa_get_len(&rsa.ctx);
    impl->members["kty"] = json_string("RSA");
    impl->members["n"] = *find_member(jwk, "n");
    impl->members["e"] = *find_member(jwk, "e");
  } else if (*kty == "EC") {
    auto crv = find_string(jwk, "crv");
    if (!crv) {
      *reason = "missing \"crv\"";
      return std::nullopt;
    }
    impl->curve = find_curve(*crv);
    if (impl->curve == nullptr) {
      *reason = "unknown curve \"" + *crv + "\" (P-256, P-384 and P-521 are supported)";
      return std::nullopt;
    }
    auto x = b64_member(jwk, "x", reason);
    if (!x) return std::nullopt;
    auto y = b64_member(jwk, "y", reason);
    if (!y) return std::nullopt;
    if (x->size() != impl->curve->size || y->size() != impl->curve->size) {
      *reason = "\"x\" and \"y\" of a " + *crv + " key are " + std::to_string(impl->curve->size) + " bytes each";
      return std::nullopt;
    }
    Group group(*impl->curve);
    Point q;
    std::string encoded = std::string(1, '\x04') + *x + *y;
    if (mbedtls_ecp_point_read_binary(&group.g, &q.p, bytes(encoded), encoded.size()) != 0 ||
        mbedtls_ecp_check_pubkey(&group.g, &q.p) != 0) {
      *reason = "\"x\" and \"y\" are not a point of " + *crv;
      return std::nullopt;
    }
    impl->x = *x;
    impl->y = *y;
    impl->members["kty"] = json_string("EC");
    impl->members["crv"] = json_string(*crv);
    impl->members["x"] = *find_member(jwk, "x");
    impl->members["y"] = *find_member(jwk, "y");
  } else if (*kty == "OKP") {
    *reason = "kty OKP (Ed25519, Ed448): EdDSA keys are not supported (mbedTLS 3.6 has no EdDSA signatures)";
    return std::nullopt;
  } else if (*kty == "oct") {
    *reason = "kty oct: a symmetric key is not a public key";
    return std::nullopt;
  } else {
    *reason = "unknown kty \"" + *kty + "\" (RSA and EC are supported)";
    return std::nullopt;
  }
  impl->thumbprint = sha256_base64url(dump_json(Json(impl->members))); // RFC 7638 §3.1: sorted, no spaces
  return PublicJwk(std::move(impl));
}

const std::string& PublicJwk::kty() const {
  return impl_->kty;
}

bool PublicJwk::fits(const JwsAlgorithm& alg) const {
  if (alg.family == JwsFamily::rsa_pkcs1 || alg.family == JwsFamily::rsa_pss) return impl_->kty == "RSA";
  if (alg.family == JwsFamily::ecdsa) return impl_->curve != nullptr && impl_->curve->name == alg.curve;
  return false;
}

bool PublicJwk::verify(const JwsAlgorithm& alg, std::string_view input, std::string_view signature) const {
  if (!fits(alg)) return false;
  std::string hash = digest(alg.hash_bits, input);
  if (alg.family == JwsFamily::ecdsa) {
    // RFC 7518 §3.4: r‖s, each the size of a coordinate.
    size_t size = impl_->curve->size;
    if (signature.size() != 2 * size) return false;
    Group group(*impl_->curve);
    Point q;
    std::string encoded = std::string(1, '\x04') + impl_->x + impl_->y;
    check(mbedtls_ecp_point_read_binary(&group.g, &q.p, bytes(encoded), encoded.size()),
          "mbedtls_ecp_point_read_binary");
    Mpi r, s;
    check(mbedtls_mpi_read_binary(&r.v, bytes(signature), size), "mbedtls_mpi_read_binary");
    check(mbedtls_mpi_read_binary(&s.v, bytes(signature.substr(size)), size), "mbedtls_mpi_read_binary");
    return mbedtls_ecdsa_verify(&group.g, bytes(hash), hash.size(), &q.p, &r.v, &s.v) == 0;
  }
  if (signature.size() != impl_->rsa_bytes) return false;
  Rsa rsa;
  load_rsa_public(rsa, impl_->n, impl_->e);
  mbedtls_md_type_t md = md_type(alg.hash_bits);
  if (alg.family == JwsFamily::rsa_pkcs1) {
    check(mbedtls_rsa_set_padding(&rsa.ctx, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE), "mbedtls_rsa_set_padding");
    return mbedtls_rsa_pkcs1_verify(&rsa.ctx, md, hash.size(), bytes(hash), bytes(signature)) == 0;
  }
  // RFC 7518 §3.5: MGF1 with the same hash, a salt as long as the hash.
  check(mbedtls_rsa_set_padding(&rsa.ctx, MBEDTLS_RSA_PKCS_V21, md), "mbedtls_rsa_set_padding");
  return mbedtls_rsa_rsassa_pss_verify_ext(&rsa.ctx, md, hash.size(), bytes(hash), md, static_cast<int>(hash.size()),
                                           bytes(signature)) == 0;
}

const std::string& PublicJwk::thumbprint() const {
  return impl_->thumbprint;
}

JsonObject PublicJwk::members() const {
  return impl_->members;
}

// ---- private keys

struct PrivateJwk::Impl {
  std::mutex mutex; // mbedTLS private contexts are used by one thread at a time
  Drbg drbg;
  std::optional<PublicJwk> pub;
  Rsa rsa;
  const Curve* curve = nullptr;
  Mpi d;
  JsonObject private_members; // d, p, q, dp, dq, qi
};

namespace {

JsonObject rsa_public_jwk(const mbedtls_rsa_context& ctx) {
  Mpi n, e;
  check(mbedtls_rsa_export(&ctx, &n.v, nullptr, nullptr, nullptr, &e.v), "mbedtls_rsa_export");
  JsonObject jwk;
  jwk["kty"] = json_string("RSA");
  jwk["n"] = json_string(base64url_encode(crypto_detail::mpi_bytes(n.v)));
  jwk["e"] = json_string(base64url_encode(crypto_detail::mpi_bytes(e.v)));
  return jwk;
}

JsonObject rsa_private_members(const mbedtls_rsa_context& ctx) {
  Mpi p, q, d, dp, dq, qi;
  check(mbedtls_rsa_export(&ctx, nullptr, &p.v, &q.v, &d.v, nullptr), "mbedtls_rsa_export");
  check(mbedtls_rsa_export_crt(&ctx, &dp.v, &dq.v, &qi.v), "mbedtls_rsa_export_crt");
  JsonObject m;
  const std::pair<const char*, const Mpi*> parts[] = {{"d", &d}, {"p", &p}, {"q", &q}, {"dp", &dp}, {"dq", &dq}, {"qi", &qi}};
  for (const auto& [name, v] : parts) m[name] = json_string(base64url_encode(crypto_detail::mpi_bytes(v->v)));
  return m;
}

} // namespace

PrivateJwk PrivateJwk::generate(const JwsAlgorithm& alg) {
  auto impl = std::make_shared<Impl>();
  std::string reason;
  if (alg.family == JwsFamily::ecdsa) {
    impl->curve = find_curve(alg.curve);
    Group group(*impl->curve);
    Point q;
    check(mbedtls_ecp_gen_keypair(&group.g, &impl->d.v, &q.p, Drbg::callback, &impl->drbg), "mbedtls_ecp_gen_keypair");
    unsigned char buf[1 + 2 * 66];
    size_t len = 0;
    check(mbedtls_ecp_point_write_binary(&group.g, &q.p, MBEDTLS_ECP_PF_UNCOMPRESSED, &len, buf, sizeof buf),
          "mbedtls_ecp_point_write_binary");
    size_t size = impl->curve->size;
    JsonObject jwk;
    jwk["kty"] = json_string("EC");
    jwk["crv"] = json_string(std::string(impl->curve->name));
    jwk["x"] = json_string(base64url_encode(std::string(reinterpret_cast<char*>(buf) + 1, size)));
    jwk["y"] = json_string(base64url_encode(std::string(reinterpret_cast<char*>(buf) + 1 + size, size)));
    impl->pub = PublicJwk::parse(jwk, &reason);
    impl->private_members["d"] = json_string(base64url_encode(mpi_fixed(impl->d.v, size)));
  } else if (alg.family == JwsFamily::rsa_pkcs1 || alg.family == JwsFamily::rsa_pss) {
    check(mbedtls_rsa_gen_key(&impl->rsa.ctx, Drbg::callback, &impl->drbg, 2048, 65537), "mbedtls_rsa_gen_key");
    impl->pub = PublicJwk::parse(rsa_public_jwk(impl->rsa.ctx), &reason);
    impl->private_members = rsa_private_members(impl->rsa.ctx);
  } else {
    throw CryptoError(std::string(alg.name) + " keys are secrets, not key pairs");
  }
  if (!impl->pub) throw CryptoError("generated key unreadable: " + reason);
  return PrivateJwk(std::move(impl));
}

std::optional<PrivateJwk> PrivateJwk::parse(const JsonObject& jwk, std::string* reason) {
  auto pub = PublicJwk::parse(jwk, reason);
  if (!pub) return std::nullopt;
  auto impl = std::make_shared<Impl>();
  impl->pub = pub;
  auto d = b64_member(jwk, "d", reason);
  if (!d) return std::nullopt;
  if (pub->kty() == "EC") {
    impl->curve = find_curve(*find_string(jwk, "crv"));
    Group group(*impl->curve);
    check(mbedtls_mpi_read_binary(&impl->d.v, bytes(*d), d->size()), "mbedtls_mpi_read_binary");
    Point q;
    if (mbedtls_ecp_check_privkey(&group.g, &impl->d.v) != 0 ||
        mbedtls_ecp_mul(&group.g, &q.p, &impl->d.v, &group.g.G, Drbg::callback, &impl->drbg) != 0) {
      *reason = "\"d\" is not a private key of " + std::string(impl->curve->name);
      return std::nullopt;
    }
    std::string encoded = std::string(1, '\x04') + *base64url_decode(*find_string(jwk, "x")) +
                          *base64url_decode(*find_string(jwk, "y"));
    Point given;
    check(mbedtls_ecp_point_read_binary(&group.g, &given.p, bytes(encoded), encoded.size()),
          "mbedtls_ecp_point_read_binary");
    if (mbedtls_ecp_point_cmp(&q.p, &given.p) != 0) {
      *reason = "\"d\" is not the private key of \"x\" and \"y\"";
      return std::nullopt;
    }
    impl->private_members["d"] = json_string(base64url_encode(mpi_fixed(impl->d.v, impl->curve->size)));
    return PrivateJwk(std::move(impl));
  }
  auto p = b64_member(jwk, "p", reason);
  if (!p) return std::nullopt;
  auto q = b64_member(jwk, "q", reason);
  if (!q) return std::nullopt;
  auto n = *base64url_decode(*find_string(jwk, "n"));
  auto e = *base64url_decode(*find_string(jwk, "e"));
  if (mbedtls_rsa_import_raw(&impl->rsa.ctx, bytes(n), n.size(), bytes(*p), p->size(), bytes(*q), q->size(), bytes(*d),
                             d->size(), bytes(e), e.size()) != 0 ||
      mbedtls_rsa_complete(&impl->rsa.ctx) != 0 || mbedtls_rsa_check_privkey(&impl->rsa.ctx) != 0) {
    *reason = "\"d\", \"p\" and \"q\" are not the private key of \"n\" and \"e\"";
    return std::nullopt;
  }
  impl->private_members = rsa_private_members(impl->rsa.ctx);
  return PrivateJwk(std::move(impl));
}

const PublicJwk& PrivateJwk::public_key() const {
  return *impl_->pub;
}

std::string PrivateJwk::sign(const JwsAlgorithm& alg, std::string_view input) const {
  if (!fits(alg)) throw CryptoError(std::string(alg.name) + " does not fit a " + impl_->pub->kty() + " key");
  std::string hash = digest(alg.hash_bits, input);
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (alg.family == JwsFamily::ecdsa) {
    Group group(*impl_->curve);
    Mpi r, s;
    check(mbedtls_ecdsa_sign(&group.g, &r.v, &s.v, &impl_->d.v, bytes(hash), hash.size(), Drbg::callback,
                             &impl_->drbg),
          "mbedtls_ecdsa_sign");
    return mpi_fixed(r.v, impl_->curve->size) + mpi_fixed(s.v, impl_->curve->size);
  }
  mbedtls_md_type_t md = md_type(alg.hash_bits);
  std::string sig(mbedtls_rsa_get_len(&impl_->rsa.ctx), '\0');
  auto* out = reinterpret_cast<unsigned char*>(sig.data());
  if (alg.family == JwsFamily::rsa_pkcs1) {
    check(mbedtls_rsa_set_padding(&impl_->rsa.ctx, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE), "mbedtls_rsa_set_padding");
    check(mbedtls_rsa_pkcs1_sign(&impl_->rsa.ctx, Drbg::callback, &impl_->drbg, md, hash.size(), bytes(hash), out),
          "mbedtls_rsa_pkcs1_sign");
  } else {
    check(mbedtls_rsa_set_padding(&impl_->rsa.ctx, MBEDTLS_RSA_PKCS_V21, md), "mbedtls_rsa_set_padding");
    check(mbedtls_rsa_rsassa_pss_sign_ext(&impl_->rsa.ctx, Drbg::callback, &impl_->drbg, md, hash.size(), bytes(hash),
                                          static_cast<int>(hash.size()), out),
          "mbedtls_rsa_rsassa_pss_sign_ext");
  }
  return sig;
}

JsonObject PrivateJwk::private_members(const JwsAlgorithm& alg) const {
  JsonObject jwk = impl_->pub->members();
  for (const auto& [k, v] : impl_->private_members) jwk[k] = v;
  jwk["kid"] = json_string(impl_->pub->thumbprint());
  jwk["alg"] = json_string(std::string(alg.name));
  return jwk;
}

std::string sign_jws_with(const JwsAlgorithm& alg, const PrivateJwk* key, std::string_view secret,
                          const JsonObject& header, const JsonObject& claims) {
  std::string input = jws_signing_input(header, claims);
  std::string signature = alg.family == JwsFamily::hmac ? hmac_sha(alg.hash_bits, secret, input)
                          : key != nullptr             ? key->sign(alg, input)
                                                       : throw CryptoError(std::string(alg.name) + " needs a key");
  return input + "." + base64url_encode(signature);
}

} // namespace authemu
