// The admin API under /_authemu, off the OAuth routes: time travel, reset, minted tokens, key
// rotation, fault injection and the request journal. JSON in and out, errors in the Formance
// shape {"errorCode","errorMessage"}; guarded by a bearer admin token when one is configured.
#pragma once
#include <string>
#include <vector>

#include "stack/environment.h"
#include "testkit/fault_queue.h"
#include "base/http_types.h"
#include "testkit/journal.h"

namespace authemu {

constexpr char kAdminPrefix[] = "/_authemu";

class AdminApi {
 public:
  // environments: the default one first. admin_token: empty means no authentication.
  AdminApi(std::vector<Environment*> environments, Journal& journal, FaultQueue& faults, std::string admin_token);

  // route: the path after /_authemu ("" or "/clock", …).
  HttpResponse handle(const HttpRequest& req, const std::string& route);

 private:
  HttpResponse index() const;
  HttpResponse clock(const HttpRequest& req);
  HttpResponse reset(const HttpRequest& req);
  HttpResponse mint(const HttpRequest& req);
  HttpResponse keys(const HttpRequest& req, bool rotate);
  HttpResponse faults(const HttpRequest& req, const std::string& id);
  HttpResponse journal(const HttpRequest& req);

  std::vector<Environment*> envs_;
  Journal& journal_;
  FaultQueue& faults_;
  std::string admin_token_;
};

}  // namespace authemu
