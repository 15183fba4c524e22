// How a fixture environment becomes what an Environment is built from (EnvironmentSpec): its
// settings over the server's, and its signing key (given as text, generated, or HS256's shared
// secret). Start-up (cli/startup) and environments made at run time (testkit) share it. Throws
// ConfigError "where: what".
#pragma once
#include <optional>
#include <string>

#include "jose/key_store.h"
#include "stack/app_settings.h"
#include "stack/fixtures.h"

namespace authemu {

// Where one environment's key comes from, and the settings to name in errors.
struct KeySource {
  Algorithm alg = Algorithm::RS256;
  std::optional<std::string> key;    // PEM or JWK text (a JWK starts with '{')
  std::optional<std::string> secret; // HS256
  bool generate = false;             // a new key even when none is given
  std::string key_where, secret_where, alg_where;
};

// Key text rather than a path to a key file.
bool is_key_text(const std::string& v);
// The key of source: given, generated (RS256, PS256, ES256 without a key) or from the HS256 secret.
SigningKey make_key(const KeySource& source);

// What a fixture environment's signingKey and signingSecret say: the key source (its text when
// the fixture holds it), or the embedded file or the path it names. Throws ConfigError for an
// embedded file the build lacks.
struct FixtureKey {
  KeySource source;
  std::optional<std::string> embedded; // embedded:<file>: the file (its text is in source.key)
  std::optional<std::string> path;     // a file to read (source.key unset)
};
FixtureKey fixture_key(const EnvironmentFixture& e, const std::string& key_where, const std::string& secret_where);

// A named environment's or the platform's settings: base (the server's), with e's overrides;
// default_issuer unless e sets one.
EnvironmentSettings fixture_settings(const EnvironmentSettings& base, const EnvironmentFixture& e,
                                     const std::string& default_issuer);

// An environment made at run time: base's settings with e's, at <origin of base's issuer>/<name>/api/auth
// unless e sets an issuer; its key from signingKey as PEM or JWK text or embedded:<file>, from
// signingSecret (HS256), or generated (never a file path: the caller is not on this machine).
// Its delegated login, if any, is at a URL. Throws ConfigError "field: what".
EnvironmentSpec runtime_environment_spec(const EnvironmentSettings& base, EnvironmentFixture e);

} // namespace authemu
