#include "key_store.h"

#include "base64.h"
#include "jwt.h"

namespace authemu {

namespace {

JsonObject public_jwk(const SigningKey& k) {
  // RFC 7518 §6.3.1: n and e as Base64urlUInt (minimal octets, which RsaKey already gives).
  JsonObject jwk;
  jwk["kty"] = json_string("RSA");
  jwk["use"] = json_string("sig");
  jwk["alg"] = json_string("RS256");
  jwk["kid"] = json_string(k.kid);
  jwk["n"] = json_string(base64url_encode(k.key.modulus()));
  jwk["e"] = json_string(base64url_encode(k.key.exponent()));
  return jwk;
}

}  // namespace

std::string rsa_thumbprint(const RsaKey& key) {
  // RFC 7638 §3.2: required members only, lexicographic order, no whitespace.
  std::string canonical = "{\"e\":\"" + base64url_encode(key.exponent()) + "\",\"kty\":\"RSA\",\"n\":\"" +
                          base64url_encode(key.modulus()) + "\"}";
  return base64url_encode(sha256(canonical));
}

KeyStore::KeyStore(SigningKey active) {
  keys_.push_back(std::move(active));
  JsonArray keys;
  for (const auto& k : keys_) keys.emplace_back(public_jwk(k));
  JsonObject set;
  set["keys"] = Json(std::move(keys));
  jwks_ = dump_json(Json(set));
}

const SigningKey* KeyStore::find(std::string_view kid) const {
  for (const auto& k : keys_) {
    if (k.kid == kid) return &k;
  }
  return nullptr;
}

std::string KeyStore::sign(const JsonObject& claims, const std::string& typ) const {
  const SigningKey& k = active();
  JsonObject header;
  header["alg"] = json_string("RS256");
  header["kid"] = json_string(k.kid);
  header["typ"] = json_string(typ);
  std::string input = jws_signing_input(header, claims);
  return input + "." + base64url_encode(k.key.sign_rs256(input));
}

}  // namespace authemu
