#include "jose/public_key_pem.h"

#include "base/base64.h"
#include "base/der.h"

namespace authemu {

namespace {

// A non-negative INTEGER from big-endian bytes: no leading zeros, a zero byte when the top bit is set.
std::string der_unsigned(std::string bytes) {
  size_t first = bytes.find_first_not_of('\0');
  bytes = first == std::string::npos ? std::string(1, '\0') : bytes.substr(first);
  if (static_cast<unsigned char>(bytes[0]) & 0x80) bytes.insert(bytes.begin(), '\0');
  return der_tlv(0x02, bytes);
}

std::string pem(const std::string& spki) {
  std::string b64 = base64_encode(spki);
  std::string out = "-----BEGIN PUBLIC KEY-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) // RFC 7468 §2: lines of 64 characters
    out += b64.substr(i, 64) + "\n";
  return out + "-----END PUBLIC KEY-----\n";
}

std::optional<std::string> member(const JsonObject& jwk, const char* name) {
  auto v = find_string(jwk, name);
  return v ? base64url_decode(*v) : std::nullopt;
}

// OIDs as DER: rsaEncryption (RFC 8017 A.1), id-ecPublicKey and prime256v1 (RFC 5480 §2.1.1).
const std::string kRsaEncryption("\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01", 11);
const std::string kEcPublicKey("\x06\x07\x2a\x86\x48\xce\x3d\x02\x01", 9);
const std::string kPrime256v1("\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07", 10);

} // namespace

std::optional<std::string> public_key_pem(const JsonObject& jwk) {
  auto kty = find_string(jwk, "kty");
  if (kty == "RSA") {
    auto n = member(jwk, "n"), e = member(jwk, "e");
    if (!n || !e || n->empty() || e->empty()) return std::nullopt;
    // RFC 8017 A.1.1 RSAPublicKey inside RFC 5280's SubjectPublicKeyInfo.
    std::string key = der_tlv(0x30, der_unsigned(*n) + der_unsigned(*e));
    std::string algorithm = der_tlv(0x30, kRsaEncryption + std::string("\x05\x00", 2));
    return pem(der_tlv(0x30, algorithm + der_tlv(0x03, std::string(1, '\0') + key)));
  }
  if (kty == "EC" && find_string(jwk, "crv") == "P-256") {
    auto x = member(jwk, "x"), y = member(jwk, "y");
    if (!x || !y || x->size() != 32 || y->size() != 32) return std::nullopt;
    // RFC 5480 §2.2: the uncompressed point 04 || x || y.
    std::string point = std::string(1, '\x04') + *x + *y;
    std::string algorithm = der_tlv(0x30, kEcPublicKey + kPrime256v1);
    return pem(der_tlv(0x30, algorithm + der_tlv(0x03, std::string(1, '\0') + point)));
  }
  return std::nullopt;
}

std::string jwks_pem(const std::string& jwks_json) {
  std::string why, out;
  auto set = parse_json(jwks_json, &why);
  if (!set || !set->is<JsonObject>()) return out;
  const Json* keys = find_member(set->get<JsonObject>(), "keys");
  if (keys == nullptr || !keys->is<JsonArray>()) return out;
  for (const Json& k : keys->get<JsonArray>()) {
    if (!k.is<JsonObject>()) continue;
    if (auto p = public_key_pem(k.get<JsonObject>())) out += *p;
  }
  return out;
}

} // namespace authemu
