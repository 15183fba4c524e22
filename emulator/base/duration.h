// Durations as people write them in flags and fixtures: "3600", "90s", "5m", "1h", "1h30m".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"

namespace authemu {

constexpr int64_t kMaxDurationSeconds = 10LL * 365 * 24 * 3600;  // ten years

// Whole seconds, positive and at most kMaxDurationSeconds; nothing for anything else.
std::optional<int64_t> parse_duration(std::string_view text);

// Signed seconds in JSON, as the admin API takes them: an integer, or a duration with an optional
// '-' ("-5m"); at most kMaxDurationSeconds either way. Nothing for anything else.
std::optional<int64_t> json_seconds(const Json& value);

// 3600 -> "1h", 90 -> "1m30s".
std::string format_duration(int64_t seconds);

}  // namespace authemu
