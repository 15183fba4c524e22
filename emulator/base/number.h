// Whole numbers read from text (flags, fixtures, query strings, admin requests) with
// std::from_chars: the whole text or nothing, and a number that overflows is nothing, never clamped.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace authemu {

// An optional '+' or '-', then decimal digits, and nothing else; nothing on junk or overflow.
// out_of_range (when given) tells the two apart: true for a whole number past int64.
std::optional<int64_t> parse_int64(std::string_view text, bool* out_of_range = nullptr);

// Decimal digits only (no sign), at most max; nothing on junk or anything past max.
std::optional<uint64_t> parse_uint64(std::string_view text, uint64_t max = UINT64_MAX);

// The value of one hexadecimal digit (either case), -1 for any other character: percent-encoding
// (RFC 3986 §2.1) and chunk sizes (RFC 9112 §7.1).
int hex_value(char c);

} // namespace authemu
