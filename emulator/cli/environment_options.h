// The per-environment settings of the option table (cli/options.cpp: lifetimes, loginMode,
// checkScopes, delegation, …): each row names its flag, environment variable, help, the Options
// member, the fixture environment's member and the EnvironmentSettings member they set.
#pragma once
#include "cli/options.h"
#include "stack/environment.h"
#include "stack/fixtures.h"

namespace authemu {

// The options' values of every per-environment row into settings (the default environment's).
void apply_environment_options(const Options& options, EnvironmentSettings& settings);
// A fixture environment's own values of those rows over settings (the server's).
void apply_fixture_settings(const EnvironmentFixture& fixture, EnvironmentSettings& settings);

} // namespace authemu
