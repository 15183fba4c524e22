#include "http/responses.h"

#include "base/log.h"
#include "http/pages.h"
#include "stack/management.h"
#include "testkit/admin_error.h"

namespace authemu {

bool is_get(const std::string& method) {
  return method == "GET" || method == "HEAD";
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s)
    out += (c == '"' || c == '\\' || c < 0x20) ? '\'' : c;
  return out + "\"";
}

void no_store(HttpResponse& res) {
  res.set_header("Cache-Control", "no-store");
  res.set_header("Pragma", "no-cache");
}

void cors(const HttpRequest& req, HttpResponse& res, bool credentials) {
  auto origin = req.header("Origin");
  if (!origin) return;
  res.set_header("Access-Control-Allow-Origin", *origin);
  if (credentials) res.set_header("Access-Control-Allow-Credentials", "true");
  res.set_header("Access-Control-Expose-Headers", "Location, Content-Length, WWW-Authenticate, DPoP-Nonce");
  res.set_header("Vary", "Origin");
}

HttpResponse preflight(const HttpRequest& req, const std::string& methods, bool credentials) {
  HttpResponse res;
  res.empty(204);
  cors(req, res, credentials);
  res.set_header("Access-Control-Allow-Methods", methods);
  res.set_header("Access-Control-Allow-Headers",
                 "Origin, Accept, Accept-Language, Authorization, Content-Type, X-Requested-With, DPoP");
  res.set_header("Access-Control-Max-Age", "600");
  return res;
}

void oauth_error_response(HttpResponse& res, const OAuthError& e) {
  res.json(e.status(), e.body());
  if (e.status() == 401) res.set_header("WWW-Authenticate", std::string("Basic realm=") + quoted(kRealm));
  if (!e.dpop_nonce().empty()) res.set_header("DPoP-Nonce", e.dpop_nonce()); // RFC 9449 §8
}

HttpResponse browser_error(const HttpRequest& req, int status, const std::string& error, const std::string& message,
                           const std::string& details_html) {
  auto accept = req.header("Accept").value_or("");
  if (accept.find("json") != std::string::npos && accept.find("html") == std::string::npos) {
    HttpResponse res;
    res.json(status, oauth::with_code(error, message, status).body());
    res.set_header("Cache-Control", "no-store");
    return res;
  }
  return html_response(status, message_page_html(status >= 500 ? "Server error" : "Sign-in stopped",
                                                 message + " (" + error + ")", details_html));
}

HttpResponse guarded(const HttpRequest& req, ErrorShape shape, const std::function<HttpResponse()>& route) {
  HttpResponse res;
  try {
    return route();
  } catch (const OAuthError& e) {
    if (shape == ErrorShape::html) return browser_error(req, e.status(), e.code(), e.description());
    oauth_error_response(res, e);
  } catch (const AdminError& e) {
    res = admin_error_response(e);
  } catch (const std::exception& e) {
    log_line(std::string("error: ") + req.method + " " + req.path + ": " + e.what());
    if (shape == ErrorShape::formance) {
      res.json(500, management_error("INTERNAL", "internal error"));
    } else if (shape == ErrorShape::html) {
      res = html_response(500, message_page_html("Server error", "internal error"));
    } else {
      oauth_error_response(res, oauth::server_error("internal error"));
    }
  }
  return res;
}

} // namespace authemu
