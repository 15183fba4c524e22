// OAuth scope strings (RFC 6749 §3.3): space-delimited, case-sensitive tokens of NQCHAR.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace authemu {

constexpr size_t kMaxScopeTokens = 64;

// Scopes a user grant may carry besides the client's own: the OpenID Connect ones.
inline const std::vector<std::string> kUserScopes = {"openid", "profile", "email", "offline_access"};

// Splits a scope parameter, dropping repeats; throws OAuthError invalid_scope when malformed.
std::vector<std::string> parse_scope(std::string_view text);
std::string join_scope(const std::vector<std::string>& scopes);
// Items of requested that are in allowed, in requested order.
std::vector<std::string> intersect_scope(const std::vector<std::string>& requested,
                                         const std::vector<std::string>& allowed);

} // namespace authemu
