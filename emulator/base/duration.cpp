#include "base/duration.h"

namespace authemu {

namespace {

constexpr int64_t kMaxDurationMs = kMaxDurationSeconds * 1000;

// The whole seconds of a duration in milliseconds; nothing when it has a fraction of a second.
std::optional<int64_t> whole_seconds(std::optional<int64_t> ms) {
  if (!ms || *ms % 1000 != 0) return std::nullopt;
  return *ms / 1000;
}

// A JSON integer in units of unit_ms, or a duration text; in milliseconds, within the limit.
std::optional<int64_t> json_duration_ms(const Json& value, int64_t unit_ms) {
  if (value.is<int64_t>()) {
    int64_t n = value.get<int64_t>();
    if (n > kMaxDurationMs / unit_ms || n < -kMaxDurationMs / unit_ms) return std::nullopt;
    return n * unit_ms;
  }
  if (!value.is<std::string>()) return std::nullopt;
  return parse_duration_ms(value.get<std::string>());
}

} // namespace

std::optional<int64_t> parse_duration_ms(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  int64_t total = 0;
  size_t i = 0;
  bool bare = true;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    int64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      n = n * 10 + (text[i] - '0');
      if (n > kMaxDurationMs) return std::nullopt; // past the limit in any unit, before it can overflow
      ++i;
    }
    int64_t unit_ms = 1000;
    if (i < text.size()) {
      bare = false;
      switch (text[i]) {
      case 's':
        unit_ms = 1000;
        break;
      case 'm':
        unit_ms = 60 * 1000;
        if (i + 1 < text.size() && text[i + 1] == 's') {
          unit_ms = 1;
          ++i;
        }
        break;
      case 'h':
        unit_ms = 3600 * 1000;
        break;
      case 'd':
        unit_ms = 86400 * 1000;
        break;
      default:
        return std::nullopt;
      }
      ++i;
    } else if (!bare) {
      return std::nullopt; // "1h30": a number without a unit after a unit
    }
    if (n > (kMaxDurationMs - total) / unit_ms) return std::nullopt;
    total += n * unit_ms;
  }
  return negative ? -total : total;
}

std::optional<int64_t> parse_duration(std::string_view text) {
  auto s = whole_seconds(parse_duration_ms(text));
  if (!s || *s <= 0) return std::nullopt;
  return s;
}

std::optional<int64_t> json_seconds(const Json& value) {
  return whole_seconds(json_duration_ms(value, 1000));
}

std::optional<int64_t> json_milliseconds(const Json& value) {
  return json_duration_ms(value, 1);
}

} // namespace authemu
