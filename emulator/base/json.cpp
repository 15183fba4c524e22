#include "base/json.h"

namespace authemu {

namespace {

// Rejects nesting deeper than kMaxJsonDepth before picojson's recursive parser sees the text.
bool depth_within_limit(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return false;
    } else if (c == ']' || c == '}') --depth;
  }
  return true;
}

}  // namespace

std::optional<Json> parse_json(std::string_view text, std::string* error) {
  if (!depth_within_limit(text)) {
    *error = "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return std::nullopt;
  }
  Json value;
  std::string err;
  auto end = picojson::parse(value, text.begin(), text.end(), &err);
  if (!err.empty()) {
    // picojson's message spans lines and quotes the input; keep its first line only.
    *error = err.substr(0, err.find('\n'));
    return std::nullopt;
  }
  for (; end != text.end(); ++end) {
    if (*end != ' ' && *end != '\t' && *end != '\r' && *end != '\n') {
      *error = "unexpected data after the JSON value";
      return std::nullopt;
    }
  }
  return value;
}

std::string dump_json(const Json& value) {
  std::string text = value.serialize();
  // picojson writes '/' as "\/" and never a bare '/', so every "\/" is an escaped slash.
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      if (text[i + 1] != '/') out += '\\';
      out += text[++i];
    } else {
      out += text[i];
    }
  }
  return out;
}

Json json_string_array(const std::vector<std::string>& items) {
  JsonArray array;
  array.reserve(items.size());
  for (const auto& item : items) array.emplace_back(item);
  return Json(std::move(array));
}

const Json* find_member(const JsonObject& object, const std::string& name) {
  auto it = object.find(name);
  return it == object.end() ? nullptr : &it->second;
}

std::optional<std::string> find_string(const JsonObject& object, const std::string& name) {
  const Json* v = find_member(object, name);
  if (v == nullptr || !v->is<std::string>()) return std::nullopt;
  return v->get<std::string>();
}

std::optional<int64_t> find_int(const JsonObject& object, const std::string& name) {
  const Json* v = find_member(object, name);
  if (v == nullptr || !v->is<int64_t>()) return std::nullopt;
  return v->get<int64_t>();
}

}  // namespace authemu
