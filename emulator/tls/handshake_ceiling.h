// The public-key operations the server side of a full TLS handshake runs, timed one kind at a time
// in the calling thread's CPU time with this build's mbedTLS: what bounds the full handshakes a core can serve.
// Measures only; serves nothing.
#pragma once
#include <string>

#include "tls/tls_identity.h"

namespace authemu {

// The (EC)DHE groups measured. mbedTLS 3.6 offers x25519 first (ssl_tls.c's
// ssl_preset_default_groups; tls/tls_config.cpp sets no list of its own), so two mbedTLS sides,
// and clients that put X25519 first (curl, browsers, Go, Node), negotiate it.
enum class TlsGroup { x25519, secp256r1 };
const char* group_name(TlsGroup group); // "x25519", "secp256r1"

struct HandshakeCeiling {
  std::string group;
  double key_generation_us = 0; // an ephemeral key pair and its public share (the key_share)
  double shared_secret_us = 0;  // (EC)DH with the peer's share
  double sign_us = 0;           // the identity's signature over a SHA-256 hash (CertificateVerify)
  // Full handshakes per second a core could serve if nothing else cost: 1e6 / the three summed.
  double per_second() const;
};

// Each operation repeated for a third of seconds (at least once) and timed in the thread's CPU
// time (other processes on the core do not count), through PSA as TLS 1.3 runs the
// key exchange and through the pk layer with the TLS generator as the handshake signs.
HandshakeCeiling measure_handshake_ceiling(const TlsIdentity& identity, TlsGroup group, double seconds);

} // namespace authemu
