// The default fixtures compiled into the binary (generated from fixtures/ by scripts/embed.sh),
// so that a lone binary in an empty root starts with the testing client and the test key.
#pragma once
#include <optional>
#include <string_view>

namespace authemu {

// The content of fixtures/<name> as it was at build time, or nothing for an unknown name.
std::optional<std::string_view> embedded_file(std::string_view name);

} // namespace authemu
