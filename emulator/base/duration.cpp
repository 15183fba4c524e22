#include "base/duration.h"

namespace authemu {

std::optional<int64_t> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t total = 0;
  size_t i = 0;
  bool bare = true;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    int64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      n = n * 10 + (text[i] - '0');
      if (n > kMaxDurationSeconds) return std::nullopt;
      ++i;
    }
    int64_t unit = 1;
    if (i < text.size()) {
      bare = false;
      switch (text[i]) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: return std::nullopt;
      }
      ++i;
    } else if (!bare) {
      return std::nullopt;  // "1h30" : a number without a unit after a unit
    }
    total += n * unit;
    if (total > kMaxDurationSeconds) return std::nullopt;
  }
  if (total <= 0) return std::nullopt;
  return total;
}

std::string format_duration(int64_t seconds) {
  std::string out;
  if (seconds >= 3600) out += std::to_string(seconds / 3600) + "h";
  if (seconds % 3600 >= 60) out += std::to_string(seconds % 3600 / 60) + "m";
  if (seconds % 60 != 0 || seconds == 0) out += std::to_string(seconds % 60) + "s";
  return out;
}

std::optional<int64_t> json_seconds(const Json& value) {
  if (value.is<int64_t>()) {
    int64_t n = value.get<int64_t>();
    if (n > kMaxDurationSeconds || n < -kMaxDurationSeconds) return std::nullopt;
    return n;
  }
  if (!value.is<std::string>()) return std::nullopt;
  std::string_view s = value.get<std::string>();
  bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  if (s == "0") return 0;
  auto d = parse_duration(s);
  if (!d) return std::nullopt;
  return negative ? -*d : *d;
}

}  // namespace authemu
