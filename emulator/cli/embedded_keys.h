// The embedded TEST keys (fixtures/*.pem, published with the source): each loaded once per process
// and algorithm (SigningKey::embedded_test_key), by whichever thread asks first. KeyPreparer asks
// ahead, beside the thread that reads the fixture, for the ones the embedded fixture names.
#pragma once
#include <string>
#include <vector>

#include "jose/key_store.h"

namespace authemu {

// fixtures/<name> as a key of alg (RS256 or PS256). Throws CryptoError when there is no such file
// or it is no such key.
SigningKey embedded_key(const std::string& name, Algorithm alg);
// Loads embedded_key(name, alg) unless a thread has begun it; never throws (embedded_key reports).
void load_embedded_key_ahead(const std::string& name, Algorithm alg);
// The files the embedded default fixture's environments and platform name as signingKey:
// embedded:<file>, in the order environment_specs loads them (the build lists them: scripts/embed.sh).
std::vector<std::string> embedded_fixture_key_names();

} // namespace authemu
