#include "tls/tls_names.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "base/config_error.h"
#include "base/origin.h"

namespace authemu {

namespace {

// RFC 1123 §2.1: letters, digits and hyphens, not at either end, at most 63 octets; at most 253 in all.
bool is_dns_name(std::string_view name) {
  if (name.rfind("*.", 0) == 0) name.remove_prefix(2);
  if (name.empty() || name.size() > 253) return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    std::string_view label = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

template <typename T> void add_once(std::vector<T>& list, T value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

} // namespace

std::optional<std::string> ip_bytes(std::string_view text) {
  std::string bytes = address_bytes(std::string(text));
  if (bytes.empty()) return std::nullopt;
  return bytes;
}

std::string ip_text(std::string_view bytes) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (bytes.size() == 4 || bytes.size() == 16) {
    ::inet_ntop(bytes.size() == 4 ? AF_INET : AF_INET6, bytes.data(), buf, sizeof buf);
  }
  return buf;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names)
    out += (out.empty() ? "" : ", ") + n;
  return out;
}

TlsNames TlsNames::parse(const std::vector<std::string>& names, const std::string& where) {
  TlsNames out;
  for (const auto& given : names) {
    std::string name = given;
    if (name.size() > 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
    if (auto ip = ip_bytes(name)) {
      add_once(out.ips, ip_text(*ip));
      continue;
    }
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!name.empty() && name.back() == '.') name.pop_back();
    if (!is_dns_name(name)) throw ConfigError(where + ": \"" + given + "\" is not a host name or IP address");
    add_once(out.dns, name);
  }
  return out;
}

std::vector<std::string> TlsNames::all() const {
  std::vector<std::string> out = dns;
  out.insert(out.end(), ips.begin(), ips.end());
  return out;
}

} // namespace authemu
