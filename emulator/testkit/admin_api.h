// The admin API under /_authemu, off the OAuth routes: time travel, reset, minted tokens, key
// rotation, fault injection and the request journal. JSON in and out, errors in the Formance
// shape {"errorCode","errorMessage"}; guarded by a bearer admin token when one is configured, and
// always against cross-site browser writes, non-JSON bodies and (without a token) rebound Host names.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "stack/environment.h"
#include "testkit/fault_queue.h"
#include "base/http_types.h"
#include "testkit/journal.h"

namespace authemu {

constexpr char kAdminPrefix[] = "/_authemu";

// A request the admin API refuses: status and the Formance error body. Thrown by the operations
// below; AdminApi::error_response renders it.
struct AdminError {
  int status;
  std::string code, message;
};

// How the admin API guards itself; facts from start-up.
struct AdminPolicy {
  std::string token;            // empty: no authentication (then Host must be a local or configured name)
  bool secret_keys = false;     // an environment signs with a key that is not an embedded test key
  bool beyond_loopback = false;  // the server listens on an address other machines reach
};

class AdminApi {
 public:
  // environments: the default one first.
  AdminApi(std::vector<Environment*> environments, Journal& journal, FaultQueue& faults, AdminPolicy policy);

  // The refusal of a request before routing, in this order: without a token, a Host that is not a
  // local or configured name (403, against DNS rebinding); with a token, a request without it
  // (401); a write that a browser marks cross-site by Origin or Sec-Fetch-Site (403).
  std::optional<HttpResponse> authorize(const HttpRequest& req) const;
  // True when mint and key import need the admin token and none is set: a key that is not an
  // embedded test key, served beyond loopback.
  bool signing_locked() const;
  static HttpResponse error_response(const AdminError& e);

  // The operations, one per route of the route table (http/routes.cpp). Each throws AdminError,
  // 415 among them for a body that is not JSON.
  HttpResponse index() const;
  HttpResponse clock(const HttpRequest& req);
  HttpResponse reset(const HttpRequest& req);
  HttpResponse mint(const HttpRequest& req);
  HttpResponse keys(const HttpRequest& req, bool rotate);
  HttpResponse faults(const HttpRequest& req, const std::string& id);
  HttpResponse journal(const HttpRequest& req);

 private:

  // 403 naming ADMIN_TOKEN when signing_locked(); what: the refused operation.
  void check_signing(const std::string& what) const;

  std::vector<Environment*> envs_;
  Journal& journal_;
  FaultQueue& faults_;
  AdminPolicy policy_;
  std::vector<std::string> configured_origins_;  // of every environment's issuer and --auth-issuers
  std::vector<std::string> configured_hosts_;    // their hosts
};

}  // namespace authemu
