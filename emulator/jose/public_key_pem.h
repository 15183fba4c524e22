// Public keys as PEM (RFC 7468 "PUBLIC KEY", an X.509 SubjectPublicKeyInfo): what EMS and many
// resource servers take instead of a JWKS. Written from the public JWK members alone; no key
// material beyond them, no mbedTLS.
#pragma once
#include <optional>
#include <string>

#include "base/json.h"

namespace authemu {

// The SubjectPublicKeyInfo PEM of an RSA (n, e) or EC P-256 (x, y) public JWK; nothing for any
// other JWK (an oct key is never published) or one whose members do not decode.
std::optional<std::string> public_key_pem(const JsonObject& jwk);
// Every key of a JWK Set, in its order, as concatenated PEM blocks; empty for none.
std::string jwks_pem(const std::string& jwks_json);

} // namespace authemu
