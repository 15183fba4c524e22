// Web origins (RFC 6454 §4) and Host header values as comparable strings: scheme and host
// lower-cased, the scheme's default port dropped. Parsing only; what an origin may do is decided
// by the callers (CORS, the admin API's guard, the published issuers).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace authemu {

// "scheme://host[:port]" of a URL with an authority (path, query and userinfo dropped), e.g.
// "HTTPS://App.example:443/cb?x" -> "https://app.example". Nothing for other text, "null" included.
std::optional<std::string> origin_of_url(std::string_view url);
// The same for text that is an origin and nothing more (an Origin header, --cors-origins): at most
// a trailing '/' after the authority.
std::optional<std::string> parse_origin(std::string_view text);

// "host[:port]" of a Host or X-Forwarded-Host value, lower-cased, port dropped when it is the
// default of scheme ("http" or "https"); nothing for a malformed value.
std::optional<std::string> normalize_authority(std::string_view authority, std::string_view scheme);
// "host" of "host[:port]" (IPv6 keeps its brackets), lower-cased.
std::string host_of_authority(std::string_view authority);
// The authority part of an origin or URL: "https://a.example:8443/x" -> "a.example:8443".
std::string authority_of_url(std::string_view url);

// An IPv4 address (dotted decimal) or a bracketed IPv6 address.
bool is_ip_literal(std::string_view host);

} // namespace authemu
