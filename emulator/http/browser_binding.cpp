#include "http/browser_binding.h"

#include <algorithm>
#include <cctype>

#include "base/base64.h"
#include "jose/crypto.h"

namespace authemu {

namespace {

std::string attributes(bool secure) {
  return std::string("; Path=/; HttpOnly; SameSite=Lax") + (secure ? "; Secure" : "");
}

// A binding value as binding_of makes them: 32 random bytes in base64url.
bool is_binding(const std::string& v) {
  return v.size() == 43 && std::all_of(v.begin(), v.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
         });
}

} // namespace

std::string cookie_name(const std::string& name, bool secure) {
  return secure ? "__Host-" + name : name;
}

std::optional<std::string> cookie_value(const HttpRequest& req, const std::string& name) {
  if (auto v = req.cookie("__Host-" + name)) return v;
  return req.cookie(name);
}

BrowserBinding binding_of(const HttpRequest& req, const std::string& cookie) {
  auto v = cookie_value(req, cookie);
  if (v && is_binding(*v)) return BrowserBinding{*v, false};
  return BrowserBinding{base64url_encode(random_bytes(32)), true};
}

void set_cookie(HttpResponse& res, const std::string& name, const std::string& value, bool secure) {
  res.add_header("Set-Cookie", cookie_name(name, secure) + "=" + value + attributes(secure));
}

void clear_cookie(HttpResponse& res, const std::string& name, bool secure) {
  res.add_header("Set-Cookie", cookie_name(name, secure) + "=" + attributes(secure) + "; Max-Age=0");
}

} // namespace authemu
