// A certificate a TLS client presented (RFC 8705), as plain values the OAuth layer judges: its
// thumbprint, names, validity, public key and the chain's verdict. tls/ makes it from the
// handshake; nothing here parses X.509.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/distinguished_name.h"

namespace authemu {

struct ClientCertificate {
  std::string der;        // the client's own (leaf) certificate, DER
  std::string thumbprint; // RFC 8705 §3.1 x5t#S256: base64url(SHA-256(der)) without padding
  DistinguishedName subject;
  // Subject alternative names (RFC 5280 §4.2.1.6) by type; san_ip holds the raw 4 or 16 bytes.
  std::vector<std::string> san_dns, san_uri, san_email, san_ip;
  int64_t not_before = 0, not_after = 0; // Unix seconds
  // Why the certificate does not chain to one of the listener's client trust anchors (this
  // server's CA, --tls-client-ca), or "" when it does. Its validity period is not part of this
  // verdict: the environment judges it at its own clock (not_before, not_after).
  std::string chain_problem;
  // The public key as JWK members (RFC 7518 §6): kty "RSA" with n and e, or kty "EC" with crv, x
  // and y; base64url without padding, n without leading zero bytes. Empty for another key type.
  std::map<std::string, std::string> public_jwk;

  bool chain_trusted() const { return chain_problem.empty(); }
};

} // namespace authemu
