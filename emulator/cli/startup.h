// Turns Options into what the App is built from: its settings, the fixture (embedded or --config),
// the signing key (--signing-algorithm with --signing-key, --signing-secret, the embedded RS256
// test key, or generated) and the issuer. Throws ConfigError.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cli/options.h"
#include "jose/key_store.h"
#include "stack/app_settings.h"
#include "stack/fixtures.h"

namespace authemu {

// The embedded default, or the file of --config (CONFIG): a directory or an empty file is an error.
// A file with `extends: default` is added to the embedded default (stack/fixture_extend.h); one
// without replaces it.
Fixture load_fixture_option(const Options& options, const EnvLookup& env);
// `authemu check-config FILE`: the fixture loaded as serve would load it, with every environment's
// key, without serving. Returns a one-line summary and sets warnings; throws ConfigError.
std::string check_config(const Options& options, const EnvLookup& env, std::vector<std::string>* warnings);
SigningKey load_signing_key(const Options& options);
// The App's settings from the options: issuer and extra issuers, scope checks, key rotation grace,
// token lifetimes, role claim, debug, clock start and freeze, admin API and its token.
AppSettings app_settings(const Options& options, const std::string& issuer);
// The facts the admin API's guard needs (AppSettings::secret_keys, beyond_loopback): whether an
// environment's key is not one of the embedded test keys, and whether listen_host reaches beyond
// loopback. Returns the warning to log when both hold and no admin token is set.
std::optional<std::string> note_exposure(AppSettings& settings, const std::vector<EnvironmentSpec>& specs,
                                         const std::string& listen_host);
// --base-url, validated and without a trailing '/', or http://localhost:<port>/api/auth (https with --tls).
std::string derive_issuer(const Options& options, const std::string& listen_host, int bound_port);

// The default environment (settings, the fixture's top-level clients and users, key) followed by
// the fixture's named environments: issuer <origin of the default issuer>/<name>/api/auth unless
// set, settings from the server unless set, keys of signingAlgorithm (RS256 unless set) from
// signingKey (PEM or JWK text, a path relative to the fixture file, or embedded:<file>),
// signingSecret (HS256) or generated. Throws ConfigError.
std::vector<EnvironmentSpec> environment_specs(const Options& options, const AppSettings& settings, Fixture fixture,
                                               SigningKey default_key);

} // namespace authemu
