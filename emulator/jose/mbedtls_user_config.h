// Project additions to mbedTLS 3.6's default configuration (MBEDTLS_USER_CONFIG_FILE).
// Only speed settings live here; features stay as upstream ships them.
#pragma once

// A 6-bit window for modular exponentiation: RSA-2048 private operations measured ~480/s
// against ~370/s with the default window of 2, for ~3 KiB more scratch memory per operation.
#undef MBEDTLS_MPI_WINDOW_SIZE
#define MBEDTLS_MPI_WINDOW_SIZE 6
