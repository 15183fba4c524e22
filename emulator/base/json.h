// The project's JSON type (picojson with 64-bit integers) and the guards every parse goes through.
// All JSON parsing of untrusted input must use parse_json(), never picojson::parse directly.
#pragma once
#ifndef PICOJSON_USE_INT64
#define PICOJSON_USE_INT64
#endif
#include <picojson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace authemu {

using Json = picojson::value;
using JsonObject = picojson::object;
using JsonArray = picojson::array;

// Deepest nesting accepted; picojson recurses once per level.
constexpr int kMaxJsonDepth = 32;

// Parses text as one JSON value; on failure returns nothing and sets *error to a short reason.
// Refused too: a number beyond a double ("number out of range") and a string, or member name,
// that is not well-formed UTF-8 ("invalid UTF-8 in a string"). Never throws.
std::optional<Json> parse_json(std::string_view text, std::string* error);

// The first member name that one object of a valid JSON text holds twice (RFC 8259 §4 leaves
// duplicates to the reader; RFC 7515 §4 lets a JWS reader refuse them), compared after unescaping;
// nothing when every object's names are unique.
std::optional<std::string> duplicate_member(std::string_view json_text);

// Compact JSON text. Unlike picojson's serialize(), '/' is not escaped, so URLs read as sent, and
// the text is always UTF-8: bytes of a string that are not well-formed UTF-8 become U+FFFD.
std::string dump_json(const Json& value);

// Small helpers for building values.
inline Json json_string(std::string s) {
  return Json(std::move(s));
}
inline Json json_int(int64_t n) {
  return Json(n);
}
Json json_string_array(const std::vector<std::string>& items);

// Reads a member: nothing when absent or of another type.
const Json* find_member(const JsonObject& object, const std::string& name);
std::optional<std::string> find_string(const JsonObject& object, const std::string& name);
std::optional<int64_t> find_int(const JsonObject& object, const std::string& name);

} // namespace authemu
