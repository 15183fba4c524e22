#include "oauth/scope.h"

#include <algorithm>

#include "oauth/oauth_error.h"

namespace authemu {

std::vector<std::string> parse_scope(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string token(text.substr(pos, end - pos));
    pos = end + 1;
    if (token.empty()) continue;
    for (char c : token) {
      // NQCHAR = %x21 / %x23-5B / %x5D-7E
      if (c < 0x21 || c > 0x7e || c == '"' || c == '\\')
        throw oauth::invalid_scope("scope contains a character outside RFC 6749 NQCHAR");
    }
    if (std::find(out.begin(), out.end(), token) != out.end()) continue;
    if (out.size() >= kMaxScopeTokens)
      throw oauth::invalid_scope("more than " + std::to_string(kMaxScopeTokens) + " scopes requested");
    out.push_back(std::move(token));
  }
  return out;
}

std::string join_scope(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

std::vector<std::string> intersect_scope(const std::vector<std::string>& requested,
                                         const std::vector<std::string>& allowed) {
  std::vector<std::string> out;
  for (const auto& s : requested) {
    if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) out.push_back(s);
  }
  return out;
}

} // namespace authemu
