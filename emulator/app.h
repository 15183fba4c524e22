// The whole server as a function from HttpRequest to HttpResponse: routing (at /api/auth and at
// the root), CORS, bearer checks for the management API and the stand-in protected API, and the
// mapping of OAuthError and management results to responses. Owns all state; no sockets here.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "client_store.h"
#include "clock.h"
#include "fixtures.h"
#include "http_types.h"
#include "key_store.h"
#include "management.h"
#include "token_service.h"
#include "token_store.h"
#include "token_verifier.h"
#include "user_store.h"

namespace authemu {

struct AppSettings {
  std::string issuer;                      // e.g. http://localhost:8080/api/auth, no trailing '/'
  std::vector<std::string> extra_issuers;  // also trusted by the management API
  bool check_scopes = false;
  int64_t access_token_lifetime = 3600;
  int64_t user_token_lifetime = 300;
  int64_t refresh_token_lifetime = 18000;
  std::string role_claim = "group";
  bool debug = false;
};

class App {
 public:
  App(AppSettings settings, Fixture fixture, SigningKey key, const Clock& clock);

  HttpResponse handle(const HttpRequest& req);
  // The response for a request that the transport refused before routing (400, 413, 414, 431),
  // in the error shape of the endpoint it was sent to.
  HttpResponse transport_error(const std::string& path, int status) const;

  const std::string& issuer() const { return settings_.issuer; }
  const KeyStore& keys() const { return keys_; }

 private:
  enum class Area { oauth, management, other };
  Area area_of(const std::string& route) const;
  std::string route_of(const std::string& path) const;

  // POST form endpoints of RFC 6749 §3.2 style (token, introspection, revocation): method,
  // content type and parameter rules, no-store, OAuthError to RFC 6749 §5.2.
  template <typename Handler>
  HttpResponse form_endpoint(const HttpRequest& req, Handler handler);
  HttpResponse userinfo(const HttpRequest& req);
  HttpResponse management(const HttpRequest& req, const std::string& route);
  HttpResponse protected_api(const HttpRequest& req, const std::string& service, const std::string& rest);
  // Management API authentication (go-libs auth): nothing when allowed, else the 401.
  std::optional<HttpResponse> check_management_auth(const HttpRequest& req) const;

  AppSettings settings_;
  std::string issuer_path_;  // path part of the issuer, e.g. /api/auth
  const Clock& clock_;
  KeyStore keys_;
  ClientStore clients_;
  UserStore users_;
  TokenStore token_store_;
  TokenVerifier verifier_;
  TokenService tokens_;
  ManagementApi management_;
};

}  // namespace authemu
