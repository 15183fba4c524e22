// parse_json on any bytes, then what the admin API does with parsed values: json_seconds on every
// value and member, and parse_duration on the text. A parsed value dumps to text
// that parses back to the same value.
#include <cstdint>
#include <functional>

#include "base/duration.h"
#include "base/json.h"
#include "fuzz_support.h"

using namespace authemu;

namespace {

void check_seconds(const Json& value) {
  if (auto s = json_seconds(value)) {
    fuzz::require(*s >= -kMaxDurationSeconds && *s <= kMaxDurationSeconds, "json_seconds out of range");
  }
}

void walk(const Json& value, int depth) {
  fuzz::require(depth <= kMaxJsonDepth + 1, "a parsed value nests deeper than kMaxJsonDepth");
  check_seconds(value);
  if (value.is<JsonObject>()) {
    const JsonObject& object = value.get<JsonObject>();
    for (const auto& member : object) {
      walk(member.second, depth + 1);
      find_string(object, member.first);
      find_int(object, member.first);
    }
  } else if (value.is<JsonArray>()) {
    for (const Json& item : value.get<JsonArray>()) walk(item, depth + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  if (auto seconds = parse_duration(text)) {
    fuzz::require(*seconds > 0 && *seconds <= kMaxDurationSeconds, "parse_duration out of range");
  }
  check_seconds(json_string(std::string(text)));

  std::string error;
  auto value = parse_json(text, &error);
  if (!value) {
    fuzz::require(!error.empty(), "parse_json failed without a reason");
    return 0;
  }
  walk(*value, 1);
  std::string dumped = dump_json(*value);
  std::string again_error;
  auto again = parse_json(dumped, &again_error);
  if (!again) fuzz::finding("dump_json's text does not parse: " + again_error);
  fuzz::require(*again == *value, "dump_json's text parses to another value");
  return 0;
}
