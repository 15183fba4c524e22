// The host names and IP addresses a certificate is made for or must cover, as given by the
// configuration. Parsing and text only: no certificates here.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace authemu {

struct TlsNames {
  std::vector<std::string> dns; // lower case, no trailing dot; "*.example" is a wildcard for one label
  std::vector<std::string> ips; // IPv4 or IPv6 text as inet_ntop writes it ("::1", "127.0.0.1")

  // Each of names is an IP literal or a DNS name (RFC 1123 §2.1 labels, optionally "*." first);
  // duplicates are dropped, order kept. Throws ConfigError "where: "x y" is not a host name or IP address".
  static TlsNames parse(const std::vector<std::string>& names, const std::string& where);
  bool empty() const { return dns.empty() && ips.empty(); }
  std::vector<std::string> all() const; // dns then ips
};

// 4 or 16 bytes for an IPv4 or IPv6 literal (no brackets), nothing for anything else.
std::optional<std::string> ip_bytes(std::string_view text);
// The text of 4 or 16 address bytes.
std::string ip_text(std::string_view bytes);
// "a, b, c"
std::string join_names(const std::vector<std::string>& names);

} // namespace authemu
