// The admin API under /_authemu, off the OAuth routes: time travel, reset, minted tokens, key
// rotation, fault injection and the request journal. JSON in and out, errors in the Formance
// shape {"errorCode","errorMessage"}; guarded by a bearer admin token when one is configured.
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

class AdminApi {
 public:
  // environments: the default one first. admin_token: empty means no authentication.
  AdminApi(std::vector<Environment*> environments, Journal& journal, FaultQueue& faults, std::string admin_token);

  // The 401 when an admin token is configured and the request does not carry it.
  std::optional<HttpResponse> authorize(const HttpRequest& req) const;
  static HttpResponse error_response(const AdminError& e);

  // The operations, one per route of the route table (http/routes.cpp). Each throws AdminError.
  HttpResponse index() const;
  HttpResponse clock(const HttpRequest& req);
  HttpResponse reset(const HttpRequest& req);
  HttpResponse mint(const HttpRequest& req);
  HttpResponse keys(const HttpRequest& req, bool rotate);
  HttpResponse faults(const HttpRequest& req, const std::string& id);
  HttpResponse journal(const HttpRequest& req);

 private:

  std::vector<Environment*> envs_;
  Journal& journal_;
  FaultQueue& faults_;
  std::string admin_token_;
};

}  // namespace authemu
