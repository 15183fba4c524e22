// Start-up checks of Formance's delegated login (--delegated-issuer, a fixture's delegatedIssuer):
// a client id and secret, an http(s) URL or another environment of the fixture that has that
// client with that secret. Throws ConfigError naming where the delegation was set.
#pragma once
#include <string>
#include <vector>

#include "stack/app_settings.h"

namespace authemu {

// places[i]: where specs[i]'s delegation was set, for messages.
void check_delegations(const std::vector<EnvironmentSpec>& specs, const std::vector<std::string>& places);

} // namespace authemu
