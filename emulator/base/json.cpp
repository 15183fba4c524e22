#include "base/json.h"

#include <stdexcept>

namespace authemu {

namespace {

// The value of the four hex digits at text[i], or -1.
int hex4(std::string_view text, size_t i) {
  if (text.size() < i + 4) return -1;
  int v = 0;
  for (size_t k = i; k < i + 4; ++k) {
    char c = text[k];
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

// What picojson must not see, or must not be left to word: nesting deeper than kMaxJsonDepth (it
// recurses once per level) and \u escapes of unpaired UTF-16 surrogates (RFC 8259 §8.2), which it
// would refuse as a bare "syntax error". Nothing when the text may go to picojson.
std::optional<std::string> prescan(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '"') in_string = false;
      if (c != '\\') continue;
      if (i + 1 < text.size() && text[i + 1] == 'u') {
        int unit = hex4(text, i + 2);
        bool high = unit >= 0xD800 && unit <= 0xDBFF, low = unit >= 0xDC00 && unit <= 0xDFFF;
        if (high && i + 8 <= text.size() && text[i + 6] == '\\' && text[i + 7] == 'u') {
          int next = hex4(text, i + 8);
          if (next >= 0xDC00 && next <= 0xDFFF) {
            i += 6; // on to the pair's second escape
            high = false;
          }
        }
        if (high || low) return "unpaired surrogate escape in a string";
      }
      ++i;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::nullopt;
}

// RFC 3629 §4: the length of the well-formed UTF-8 sequence at s[i], or 0: no overlong forms, no
// surrogates (ED A0..ED BF), nothing above U+10FFFF (F4 90.., F5..FF).
size_t utf8_length(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF; // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0; // overlong
    if (c == 0xED) hi = 0x9F; // UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90; // overlong
    if (c == 0xF4) hi = 0x8F; // above U+10FFFF
  } else {
    return 0; // a continuation byte first, C0/C1 (overlong), F5..FF
  }
  if (s.size() - i < len) return 0;
  unsigned char second = static_cast<unsigned char>(s[i + 1]);
  if (second < lo || second > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return len;
}

bool is_utf8(std::string_view s) {
  for (size_t i = 0, n; i < s.size(); i += n) {
    if ((n = utf8_length(s, i)) == 0) return false;
  }
  return true;
}

// RFC 8259 §8.1: JSON text exchanged is UTF-8; every string, names included, must be.
bool strings_are_utf8(const Json& v) {
  if (v.is<std::string>()) return is_utf8(v.get<std::string>());
  if (v.is<JsonArray>()) {
    for (const auto& x : v.get<JsonArray>()) {
      if (!strings_are_utf8(x)) return false;
    }
  }
  if (v.is<JsonObject>()) {
    for (const auto& [name, x] : v.get<JsonObject>()) {
      if (!is_utf8(name) || !strings_are_utf8(x)) return false;
    }
  }
  return true;
}

} // namespace

std::optional<Json> parse_json(std::string_view text, std::string* error) {
  if (auto refused = prescan(text)) {
    *error = *refused;
    return std::nullopt;
  }
  Json value;
  std::string err;
  std::string_view::const_iterator end;
  try {
    end = picojson::parse(value, text.begin(), text.end(), &err);
  } catch (const std::overflow_error&) {
    // picojson throws when a number does not fit a double ("1e999", "-1e999"): RFC 8259 §6 lets
    // us limit the range, and a client's number must never become an exception.
    *error = "number out of range";
    return std::nullopt;
  }
  if (!err.empty()) {
    // picojson's message quotes the rest of the input's line: keep 64 bytes of it, up to the
    // first that is not printable ASCII, so the message is valid UTF-8 (RFC 8259 §8.1) and short.
    size_t quote = err.find(": ");
    quote = quote == std::string::npos ? 0 : quote + 2;
    size_t end = quote;
    while (end < err.size() && end - quote < 64 && err[end] >= 0x20 && err[end] < 0x7F)
      ++end;
    *error = err.substr(0, end);
    return std::nullopt;
  }
  for (; end != text.end(); ++end) {
    if (*end != ' ' && *end != '\t' && *end != '\r' && *end != '\n') {
      *error = "unexpected data after the JSON value";
      return std::nullopt;
    }
  }
  if (!strings_are_utf8(value)) {
    *error = "invalid UTF-8 in a string";
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> duplicate_member(std::string_view text) {
  // One set of names per open object; arrays push nothing. The text is valid JSON (parsed before).
  std::vector<std::vector<std::string>> open;
  std::vector<bool> is_object;
  bool expect_name = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      size_t start = i++;
      while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
      if (expect_name && !is_object.empty() && is_object.back()) {
        std::string error;
        auto name = parse_json(text.substr(start, i - start + 1), &error);
        std::string n = name && name->is<std::string>() ? name->get<std::string>() : std::string();
        for (const auto& seen : open.back())
          if (seen == n) return n;
        open.back().push_back(std::move(n));
        expect_name = false;
      }
    } else if (c == '{' || c == '[') {
      open.emplace_back();
      is_object.push_back(c == '{');
      expect_name = c == '{';
    } else if (c == '}' || c == ']') {
      if (!open.empty()) open.pop_back(), is_object.pop_back();
      expect_name = false;
    } else if (c == ',') {
      expect_name = !is_object.empty() && is_object.back();
    }
  }
  return std::nullopt;
}

std::string dump_json(const Json& value) {
  std::string text = value.serialize();
  // RFC 8259 §8.1: the text is UTF-8 even when a value holds other bytes (an echoed path or
  // parameter): each byte outside a well-formed sequence becomes U+FFFD. picojson copies bytes
  // >= 0x80 as they are, so no escape or delimiter is touched.
  if (!is_utf8(text)) {
    std::string utf8;
    utf8.reserve(text.size() + 16);
    for (size_t i = 0, n; i < text.size(); i += n) {
      n = utf8_length(text, i);
      if (n == 0) {
        utf8 += "\xEF\xBF\xBD";
        n = 1;
      } else {
        utf8.append(text, i, n);
      }
    }
    text = std::move(utf8);
  }
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
  for (const auto& item : items)
    array.emplace_back(item);
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

} // namespace authemu
