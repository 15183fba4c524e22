#include "base/number.h"

#include <charconv>

namespace authemu {

std::optional<int64_t> parse_int64(std::string_view text, bool* out_of_range) {
  // from_chars takes '-' but not '+'.
  if (text.size() > 1 && text[0] == '+' && text[1] != '-') text.remove_prefix(1);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  bool whole = !text.empty() && end == text.data() + text.size();
  if (out_of_range != nullptr) *out_of_range = whole && ec == std::errc::result_out_of_range;
  if (!whole || ec != std::errc()) return std::nullopt;
  return n;
}

std::optional<uint64_t> parse_uint64(std::string_view text, uint64_t max) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n > max) return std::nullopt;
  return n;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

} // namespace authemu
