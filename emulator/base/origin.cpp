#include "base/origin.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cctype>
#include <cstring>

#include "base/number.h"

namespace authemu {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_scheme(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

// RFC 3986 reg-name characters a host may hold here (no percent-encoding), or a bracketed IPv6.
bool is_host(std::string_view h) {
  if (h.empty() || h.size() > 253) return false;
  if (h.front() == '[') return is_ip_literal(h);
  for (char c : h) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') return false;
  }
  return true;
}

const char* default_port(std::string_view scheme) {
  if (scheme == "http") return "80";
  if (scheme == "https") return "443";
  return nullptr;
}

// Splits "host[:port]"; the port must be 1 to 65535 when present.
bool split_authority(std::string_view a, std::string_view* host, std::string_view* port) {
  size_t colon = a.front() == '[' ? a.find(']') + 1 : a.rfind(':');
  if (a.front() == '[' && colon == 0) return false; // no ']'
  if (colon != std::string_view::npos && colon < a.size()) {
    if (a[colon] != ':') return false;
    *host = a.substr(0, colon);
    *port = a.substr(colon + 1);
    auto n = parse_uint64(*port, 65535);
    return n && *n > 0 && is_host(*host);
  }
  *host = a;
  *port = {};
  return is_host(*host);
}

} // namespace

std::optional<std::string> normalize_authority(std::string_view authority, std::string_view scheme) {
  if (authority.empty()) return std::nullopt;
  std::string_view host, port;
  if (!split_authority(authority, &host, &port)) return std::nullopt;
  std::string out = lower(host);
  const char* def = default_port(lower(scheme));
  if (!port.empty() && (def == nullptr || port != def)) out += ":" + std::string(port);
  return out;
}

std::string host_of_authority(std::string_view authority) {
  if (!authority.empty() && authority.front() == '[') return lower(authority.substr(0, authority.find(']') + 1));
  return lower(authority.substr(0, authority.rfind(':')));
}

std::string authority_of_url(std::string_view url) {
  size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  std::string_view rest = url.substr(start);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  return std::string(rest);
}

std::optional<std::string> origin_of_url(std::string_view url) {
  size_t sep = url.find("://");
  if (sep == std::string_view::npos || !is_scheme(url.substr(0, sep))) return std::nullopt;
  std::string scheme = lower(url.substr(0, sep));
  auto authority = normalize_authority(authority_of_url(url), scheme);
  if (!authority) return std::nullopt;
  return scheme + "://" + *authority;
}

std::optional<std::string> parse_origin(std::string_view text) {
  size_t sep = text.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(sep + 3);
  size_t end = rest.find_first_of("/?#@");
  if (end != std::string_view::npos && !(rest[end] == '/' && end + 1 == rest.size())) return std::nullopt;
  return origin_of_url(text);
}

bool is_ip_literal(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    std::string_view v6 = host.substr(1, host.size() - 2);
    if (v6.find(':') == std::string_view::npos) return false;
    for (char c : v6) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    }
    return true;
  }
  int parts = 0;
  size_t i = 0;
  while (i <= host.size()) {
    size_t dot = host.find('.', i);
    std::string_view part = host.substr(i, dot == std::string_view::npos ? std::string_view::npos : dot - i);
    auto n = parse_uint64(part, 255);
    if (part.empty() || part.size() > 3 || !n) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    i = dot + 1;
  }
  return parts == 4;
}

namespace {

std::string without_brackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::string(host);
}

// An IPv6 address that carries an IPv4 one (::ffff:a.b.c.d) as that IPv4 address.
std::string unmapped(std::string bytes) {
  static const char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\xff', '\xff'};
  if (bytes.size() == 16 && std::memcmp(bytes.data(), kMapped, 12) == 0) return bytes.substr(12);
  return bytes;
}

bool is_wildcard(const std::string& host) {
  std::string a = address_bytes(host);
  return host.empty() || (!a.empty() && a.find_first_not_of('\0') == std::string::npos);
}

bool is_ipv6_loopback(const std::string& bytes) {
  return bytes.size() == 16 && bytes.compare(0, 15, std::string(15, '\0')) == 0 && bytes[15] == 1;
}

} // namespace

bool is_loopback_host(std::string_view host) {
  std::string h = lower(without_brackets(host));
  if (h == "localhost") return true;
  std::string a = unmapped(address_bytes(h));
  return (a.size() == 4 && static_cast<unsigned char>(a[0]) == 127) || is_ipv6_loopback(a);
}

std::string local_connect_host(std::string_view listen_host) {
  std::string h = without_brackets(listen_host);
  return is_wildcard(h) ? "127.0.0.1" : h;
}

bool is_reached_as_localhost(std::string_view listen_host) {
  std::string h = lower(local_connect_host(listen_host));
  std::string a = address_bytes(h);
  return h == "localhost" || a == std::string("\x7f\0\0\x01", 4) || is_ipv6_loopback(a);
}

std::string url_host(std::string_view host) {
  std::string h = without_brackets(host);
  return h.find(':') != std::string::npos ? "[" + h + "]" : h;
}

std::string address_bytes(const std::string& text) {
  unsigned char buf[16];
  if (::inet_pton(AF_INET, text.c_str(), buf) == 1) return std::string(reinterpret_cast<char*>(buf), 4);
  if (::inet_pton(AF_INET6, text.c_str(), buf) == 1) return std::string(reinterpret_cast<char*>(buf), 16);
  return "";
}

} // namespace authemu
