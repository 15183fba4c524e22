// The admin API's guard: the admin token, and, always, refusals of what a web page in the
// developer's browser could send (cross-site writes, rebound DNS names without a token), and of
// signing operations on an exposed server with a real key. No operations here.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "base/http_types.h"
#include "stack/environment.h"
#include "testkit/admin_error.h"

namespace authemu {

// How the admin API guards itself; facts from start-up.
struct AdminPolicy {
  std::string token;            // empty: no authentication (then Host must be a local or configured name)
  bool secret_keys = false;     // an environment signs with a key that is not an embedded test key
  bool beyond_loopback = false; // the server listens on an address other machines reach
};

// The console keeps the admin token in this cookie (HttpOnly, SameSite=Strict, Path=/_authemu).
constexpr char kAdminCookie[] = "authemu_admin";

class AdminGuard {
public:
  // environments: their issuers and --auth-issuers are the configured origins and hosts.
  AdminGuard(const std::vector<Environment*>& environments, AdminPolicy policy);

  // The refusal of a request before routing, in this order: without a token, a Host that is not a
  // local or configured name (403, against DNS rebinding); with a token, a request without it
  // (401); a write that a browser marks cross-site by Origin or Sec-Fetch-Site (403).
  // The admin token is the bearer token, or the console's cookie (kAdminCookie).
  std::optional<HttpResponse> authorize(const HttpRequest& req) const;
  // The cross-site part of authorize alone: a write a browser marks cross-site (403), else nothing.
  std::optional<HttpResponse> refuse_cross_site(const HttpRequest& req) const;
  // Whether candidate is the admin token (constant time); false when none is set.
  bool is_admin_token(std::string_view candidate) const;
  bool has_token() const { return !policy_.token.empty(); }
  // True when mint and key import need the admin token and none is set: a key that is not an
  // embedded test key, served beyond loopback.
  bool signing_locked() const;
  // Throws admin_api::forbidden naming ADMIN_TOKEN when signing_locked(); what: the refused operation.
  void check_signing(const std::string& what) const;

private:
  AdminPolicy policy_;
  std::vector<std::string> configured_origins_; // of every environment's issuer and --auth-issuers
  std::vector<std::string> configured_hosts_;   // their hosts
};

} // namespace authemu
