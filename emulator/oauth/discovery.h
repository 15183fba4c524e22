// The discovery documents: OpenID Connect Discovery 1.0 §3 and RFC 8414 §2 metadata. They list
// only endpoints, grants and methods that work.
#pragma once
#include <string>
#include <vector>

#include "jose/key_store.h"

namespace authemu {

// signing_alg: the algorithm of the environment's active key, the one its tokens carry.
// back_channel: the base of the endpoints servers call (token, JWKS, userinfo, introspection,
// revocation, PAR); empty: the issuer. Browser-facing ones always use the issuer. mtls: a TLS
// listener asks for client certificates (RFC 8705: its methods and bound tokens are listed).
// What an environment's metadata depends on.
struct DiscoveryFacts {
  std::string issuer, role_claim;
  std::vector<std::string> grant_types;
  Algorithm signing_alg = Algorithm::RS256;
  // The base of the endpoints servers call (token, JWKS, userinfo, introspection, …) when it is not
  // the issuer (--browser-url: servers reach this server at another URL than browsers).
  std::string back_channel;
  bool mtls = false;         // a listener asks for client certificates (RFC 8705: its methods, bound tokens)
  bool registration = false; // RFC 7591: registration_endpoint
  bool metadata_documents = false; // client ID metadata documents are accepted as client_id
};
std::string discovery_json(const DiscoveryFacts& d);

} // namespace authemu
