#include "http/bearer.h"

#include <cctype>

#include "base/json.h"
#include "http/responses.h"

namespace authemu {

BearerHeader bearer_of(const HttpRequest& req) {
  BearerHeader b;
  auto h = req.header("Authorization");
  if (!h || h->size() < 6 || !iequals(std::string_view(*h).substr(0, 6), "Bearer")) return b;
  if (h->size() > 6 && (*h)[6] != ' ') return b; // "Bearerx…" is another scheme
  b.present = true;
  size_t start = h->find_first_not_of(' ', 6);
  if (start == std::string::npos) {
    b.malformed = true;
    return b;
  }
  size_t end = h->find_last_not_of(' ');
  b.token = h->substr(start, end - start + 1);
  for (char c : b.token) {
    bool b64token = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~' ||
                    c == '+' || c == '/' || c == '=';
    if (!b64token) b.malformed = true;
  }
  return b;
}

std::string bearer_challenge(const std::string& code, const std::string& description, const std::string& extra) {
  std::string h = std::string("Bearer realm=") + quoted(kRealm);
  if (!code.empty()) h += ", error=" + quoted(code);
  if (!code.empty() && !description.empty()) h += ", error_description=" + quoted(description);
  return h + extra;
}

HttpResponse& bearer_error(HttpResponse& res, int status, const std::string& code, const std::string& description,
                           const std::string& extra) {
  JsonObject o;
  if (!code.empty()) o["error"] = json_string(code);
  o["error_description"] = json_string(description);
  res.json(status, dump_json(Json(o)));
  res.set_header("WWW-Authenticate", bearer_challenge(code, description, extra));
  return res;
}

std::optional<std::string> missing_scope(const VerifiedToken& t, const std::string& service,
                                         const std::string& method) {
  bool read = is_get(method) || method == "OPTIONS" || method == "TRACE";
  if (t.has_scope(service + ":write") || (read && t.has_scope(service + ":read"))) return std::nullopt;
  return service + (read ? ":read" : ":write");
}

} // namespace authemu
