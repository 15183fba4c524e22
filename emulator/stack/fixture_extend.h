// `extends: default`: a fixture file that adds to the embedded default fixture instead of replacing
// it. Merges two fixtures already read; reads no file and knows nothing of where the base came from.
#pragma once
#include <string>

#include "stack/fixtures.h"

namespace authemu {

// base with added's content added; base_name names base in messages ("the embedded default
// fixture (fixtures/default.yaml)").
// - The default environment's clients and users: added's after base's.
// - An environment of the same name, and the platform: added's clients and users after base's, and
//   each of added's settings over base's (lifetimes, issuer, delegation, organization, …); its
//   signing settings (signingKey, signingSecret, signingAlgorithm) replace base's three together.
// - A new environment, or a platform base has not: added as it is, after base's.
// A client id, user id or username that base already holds in the same environment is a
// ConfigError naming both places: "<added file>:<line>: <path>.id: client spa is in <base_name>
// too; …". Warnings of both are kept.
Fixture extend_fixture(Fixture base, Fixture added, const std::string& base_name);

} // namespace authemu
