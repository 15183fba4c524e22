// A TLS client's certificate as base/client_certificate.h's plain values, read once from mbedTLS's
// parsed certificate and its verification flags. For the .cpp files of tls/ only.
#pragma once
#include <mbedtls/x509_crt.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/client_certificate.h"
#include "tls/tls_mbedtls.h"

namespace authemu::tls_detail {

// The values of crt, a client's leaf certificate. flags: mbedtls_x509_crt_verify's for its chain;
// has_roots: the listener has client trust anchors (else its chain_problem says none is configured).
std::shared_ptr<const ClientCertificate> read_client_certificate(const mbedtls_x509_crt& crt, uint32_t flags,
                                                                 bool has_roots);

// Why the chain is not trusted, in words joined by "; ", or "" when it is. The validity period
// (EXPIRED, FUTURE: of the leaf or of a CA in the chain) is not counted: the environment judges
// the leaf's at its own clock.
std::string chain_problem(uint32_t flags, bool has_roots);

// A BMPString's UCS-2 / UTF-16BE bytes (X.520 DirectoryString) as UTF-8; U+FFFD for a lone surrogate.
std::string utf16be_to_utf8(std::string_view bytes);

// The certificate of a server connection, known once its client's messages are in: the peer's
// certificate from this handshake (the session's, with its verify_result), or the one a ticket's
// record brought (notes.restored) when the session was resumed without a Certificate message.
// Kept in notes (certificate_known) for the stream and the ticket writer; nullptr when none.
const std::shared_ptr<const ClientCertificate>& session_certificate(HandshakeNotes& notes,
                                                                    const mbedtls_x509_crt* peer,
                                                                    uint32_t verify_result, bool has_roots);

} // namespace authemu::tls_detail
