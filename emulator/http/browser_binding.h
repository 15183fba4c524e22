// Cookies of the browser pages (login page, device verification page): a binding value in an
// HttpOnly, SameSite=Lax cookie that ties a page's form to the browser it was shown to, and setting
// and clearing cookies with the attributes every authemu cookie has. Values only; no sign-in rule.
#pragma once
#include <string>

#include "base/http_types.h"

namespace authemu {

struct BrowserBinding {
  std::string value;  // 32 random bytes in base64url
  bool fresh = false; // made for this answer: the cookie must be set
};

// The binding the cookie holds, when it is one this server made; else a new one.
BrowserBinding binding_of(const HttpRequest& req, const std::string& cookie);

// name=value; Path=/; HttpOnly; SameSite=Lax (and Secure on https).
void set_cookie(HttpResponse& res, const std::string& name, const std::string& value, bool secure);
void clear_cookie(HttpResponse& res, const std::string& name, bool secure);

} // namespace authemu
