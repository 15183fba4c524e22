// Web origins (RFC 6454 §4) and Host header values as comparable strings: scheme and host
// lower-cased, the scheme's default port dropped; and the hosts a server listens on, with the one
// answer every caller gives for loopback and wildcard addresses. Parsing only; what an origin may
// do is decided by the callers (CORS, the admin API's guard, the published issuers).
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
// The address text spells (no brackets), if it is one: 4 bytes for IPv4, 16 for IPv6; else "".
std::string address_bytes(const std::string& text);

// Hosts of a listen address (--listen), with or without the brackets of an IPv6 address. Start-up,
// the ready line and healthcheck all decide with these.
//
// True for a host that only this machine reaches: the name localhost, 127.0.0.0/8, ::1 (in any
// spelling, IPv4-mapped included). A wildcard is not one: it listens on every address.
bool is_loopback_host(std::string_view host);
// The host a client on this machine connects to, to reach a server listening on listen_host: a
// wildcard ("0.0.0.0", "::", or nothing) is reached on 127.0.0.1; any other host is itself,
// without brackets. 127.0.0.1 for "::" too: the server binds "::" without IPV6_V6ONLY, so it takes
// IPv4 as well (Linux's default), while ::1 is missing where IPv6 is off on the loopback interface
// (containers on a network without IPv6).
std::string local_connect_host(std::string_view listen_host);
// True when the name localhost reaches a server listening on listen_host: the client connects to
// localhost itself, 127.0.0.1 or ::1 (a wildcard included, 127.0.0.2 not).
bool is_reached_as_localhost(std::string_view listen_host);
// host as it goes into a URL's authority: an IPv6 address in brackets.
std::string url_host(std::string_view host);

} // namespace authemu
