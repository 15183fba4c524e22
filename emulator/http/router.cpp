#include "http/router.h"

#include <algorithm>

namespace authemu {

namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path.empty() || path.front() != '/') return parts;
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t end = std::min(path.find('/', pos), path.size());
    parts.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return parts;
}

bool matches(std::string_view pattern, std::string_view path, std::vector<std::string>* params) {
  if (pattern == path) return true; // also "/_authemu" and "/"
  auto want = segments(pattern);
  auto have = segments(path);
  params->clear();
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i] == "*" && i + 1 == want.size()) {
      std::string rest;
      for (size_t j = i; j < have.size(); ++j)
        rest += "/" + std::string(have[j]);
      params->push_back(rest.empty() ? "/" : rest);
      return true;
    }
    if (i >= have.size()) return false;
    if (want[i].size() >= 2 && want[i].front() == '{' && want[i].back() == '}') {
      if (have[i].empty()) return false;
      params->emplace_back(have[i]);
    } else if (want[i] != have[i]) {
      return false;
    }
  }
  return want.size() == have.size() && !want.empty();
}

bool allows(const char* methods, const std::string& method) {
  if (std::string_view(methods) == "*") return true;
  for (std::string_view rest = methods; !rest.empty();) {
    size_t comma = rest.find(", ");
    if (rest.substr(0, comma) == method) return true;
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
  }
  return false;
}

} // namespace

Router::Match Router::match(const std::vector<Area>& areas, const std::string& path, const std::string& method) const {
  Match m;
  std::vector<std::string> params;
  for (const Route& r : routes_) {
    if (std::find(areas.begin(), areas.end(), r.area) == areas.end()) continue;
    if (m.path != nullptr && std::string_view(r.pattern) != m.path->pattern) continue;
    if (m.path == nullptr) {
      if (!matches(r.pattern, path, &params)) continue;
      m.path = &r;
      m.params = params;
    }
    m.allow += (m.allow.empty() ? "" : ", ") + std::string(r.methods);
    if (m.route == nullptr && allows(r.methods, method)) m.route = &r;
  }
  return m;
}

std::string method_hint(const std::string& allow) {
  if (allow == "POST") return "this endpoint accepts POST only";
  std::string hint;
  for (std::string_view rest = allow; !rest.empty();) {
    size_t comma = rest.find(", ");
    std::string_view m = rest.substr(0, comma);
    if (m != "HEAD") hint += (hint.empty() ? "use " : " or ") + std::string(m);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
  }
  return hint;
}

} // namespace authemu
