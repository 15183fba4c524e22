// Cookies of the browser pages (login page, device verification page): a binding value in an
// HttpOnly, SameSite=Lax cookie that ties a page's form to the browser it was shown to, and setting
// and clearing cookies with the attributes every authemu cookie has. Values only; no sign-in rule.
#pragma once
#include <optional>
#include <string>

#include "base/http_types.h"

namespace authemu {

struct BrowserBinding {
  std::string value;  // 32 random bytes in base64url
  bool fresh = false; // made for this answer: the cookie must be set
};

// The binding the cookie holds, when it is one this server made; else a new one.
BrowserBinding binding_of(const HttpRequest& req, const std::string& cookie);

// RFC 6265bis §4.1.3.2: on https a cookie's name carries the __Host- prefix (every authemu cookie
// is Secure there, has Path=/ and no Domain), so that no other host or path can set it.
std::string cookie_name(const std::string& name, bool secure);
// The value of the cookie name, sent with the prefix or without (a cookie set over http before).
std::optional<std::string> cookie_value(const HttpRequest& req, const std::string& name);
// name=value; Path=/; HttpOnly; SameSite=Lax (and Secure with the __Host- prefix on https).
void set_cookie(HttpResponse& res, const std::string& name, const std::string& value, bool secure);
void clear_cookie(HttpResponse& res, const std::string& name, bool secure);

} // namespace authemu
