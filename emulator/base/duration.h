// Durations as people write them in flags, fixtures and admin requests, in one grammar:
//   [+|-] digits               a bare number of seconds: "3600"
//   [+|-] (digits unit)+       units ms, s, m, h, d in any order: "90s", "1h30m", "-5m", "250ms"
// at most kMaxDurationSeconds either way. Each caller then says which values it takes.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "base/json.h"

namespace authemu {

constexpr int64_t kMaxDurationSeconds = 10LL * 365 * 24 * 3600; // ten years

// The grammar above, in signed milliseconds; nothing for anything else.
std::optional<int64_t> parse_duration_ms(std::string_view text);

// Flags and fixtures: whole seconds, positive; nothing for anything else ("0", "-5", "1500ms").
std::optional<int64_t> parse_duration(std::string_view text);

// The admin API's signed seconds in JSON: an integer of seconds, or a duration ("-5m", "0");
// whole seconds only. Nothing for anything else.
std::optional<int64_t> json_seconds(const Json& value);

// The admin API's milliseconds in JSON (a fault's delay): an integer of milliseconds, or a
// duration ("250ms", "2s", and a bare "2" is seconds as everywhere). Nothing for anything else.
std::optional<int64_t> json_milliseconds(const Json& value);

} // namespace authemu
