// The build's version string (AUTHEMU_VERSION, set by the build; 0.1.0 otherwise), for --version,
// the start-up line and the _info endpoint.
#pragma once
#include <string>

namespace authemu {

std::string version_string();

} // namespace authemu
