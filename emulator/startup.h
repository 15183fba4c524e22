// Turns Options into what the App is built from: the fixture (embedded or --config), the signing
// key (embedded test key, --signing-key, or generated) and the issuer. Throws ConfigError.
#pragma once
#include <string>

#include "fixtures.h"
#include "key_store.h"
#include "options.h"

namespace authemu {

Fixture load_fixture_option(const Options& options, const EnvLookup& env);
SigningKey load_signing_key(const Options& options);
// --base-url, validated and without a trailing '/', or http://localhost:<port>/api/auth.
std::string derive_issuer(const Options& options, const std::string& listen_host, int bound_port);

}  // namespace authemu
