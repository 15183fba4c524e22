// The environment a platform request names (stack://<organization>/<environment>, a name or an
// issuer) for device authorization and token exchange; checks the organization, not scopes.
#pragma once
#include <string>
#include <string_view>

#include "oauth/grant_context.h"

namespace authemu {

// The issuer of the environment target names. Throws invalid_target, the description starting with
// prefix (e.g. "resource: "): a stack:// target without both parts, another organization than
// settings.organization_id (both named), or an environment the platform does not have.
std::string stack_target_issuer(const TokenSettings& settings, const std::string& target, std::string_view prefix);

} // namespace authemu
