// Project changes to mbedTLS 3.6's default configuration (MBEDTLS_USER_CONFIG_FILE): speed settings,
// threading, and the TLS features tls/ uses; what no listener or client here may negotiate is
// compiled out so that no configuration mistake can turn it back on.
#pragma once

// A 4-bit window for modular exponentiation: with the default of 2, RSA-2048 private operations
// measured ~370/s against ~480/s with 6. 3.6 reads the window table in constant time (every entry,
// every multiplication), so a larger table costs too: mbedtls_rsa_private took 1.51 ms with 4 or
// 5, 1.57-1.59 with 6 or 7 (best of 30 x 10, quiet machine), and bench-sign on one core gave
// 624-653/s with 4 against 558-605/s with 6 (alternating runs).
#undef MBEDTLS_MPI_WINDOW_SIZE
#define MBEDTLS_MPI_WINDOW_SIZE 4

// TLS 1.3 runs its key exchange and key schedule through PSA, whose key slots and generator are
// shared by the whole process: with more than one thread handshaking, mbedTLS requires its
// threading layer. Each generator context then also locks itself (mbedtls_ctr_drbg_random).
#define MBEDTLS_THREADING_C
#define MBEDTLS_THREADING_PTHREAD

// Keys live in memory only: no PSA key files (a FROM scratch image has no writable disk).
#undef MBEDTLS_PSA_CRYPTO_STORAGE_C
#undef MBEDTLS_PSA_ITS_FILE_C

// TLS over TCP only: no DTLS and what needs it.
#undef MBEDTLS_SSL_PROTO_DTLS
#undef MBEDTLS_SSL_DTLS_ANTI_REPLAY
#undef MBEDTLS_SSL_DTLS_HELLO_VERIFY
#undef MBEDTLS_SSL_DTLS_CLIENT_PORT_REUSE
#undef MBEDTLS_SSL_DTLS_CONNECTION_ID

// RFC 9325 §3.5, RFC 8446 §4.1.2: no renegotiation (TLS 1.3 has none).
#undef MBEDTLS_SSL_RENEGOTIATION
// Connections are never moved to another process.
#undef MBEDTLS_SSL_CONTEXT_SERIALIZATION

// Forward secrecy only (RFC 9325 §4.1): TLS 1.2 with ECDHE, TLS 1.3 with (EC)DHE, also when resuming.
#undef MBEDTLS_KEY_EXCHANGE_PSK_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_DHE_PSK_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_ECDHE_PSK_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_RSA_PSK_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_RSA_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_DHE_RSA_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_ECDH_ECDSA_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_ECDH_RSA_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_ECJPAKE_ENABLED
#undef MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED

// x25519 (the group TLS clients send their key share for first) through Everest's verified
// implementation (3rdparty/everest, built by the Makefile): the shared secret of a handshake takes
// 0.04 ms instead of the generic arithmetic's 0.43, and a full TLS 1.3 handshake's server side 0.78 ms
// instead of 1.15 (bench-tls). Key generation stays mbedTLS's own.
#define MBEDTLS_ECDH_VARIANT_EVEREST_ENABLED
