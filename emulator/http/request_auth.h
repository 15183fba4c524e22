// The one request authentication: what a route's row needs (router.h Needs), verified once per
// request through oauth/ (the form, client_auth, bearer_auth) and handed to the handler in its
// RouteCall; a refused bearer token is answered here in its area's shape, while form and client
// failures are OAuthErrors for the guard. Decides no protocol rule and routes nothing.
#pragma once
#include <optional>

#include "base/http_types.h"
#include "http/router.h"
#include "oauth/client_auth.h"
#include "oauth/dpop.h"
#include "oauth/form.h"
#include "oauth/token_verifier.h"
#include "testkit/journal.h"

namespace authemu {

class RequestAuth {
public:
  RequestAuth(const HttpRequest& req, const RequestForm& form) : req_(req), form_(form) {}
  RequestAuth(const RequestAuth&) = delete;

  // Verifies row's needs and points call's form, client and token at what was verified (kept
  // here). Returns the answer to send instead of running the handler; throws OAuthError.
  std::optional<HttpResponse> verify(const Route& row, RouteCall& call);
  // How the request's client authenticated, or why not (for the journal).
  void note(JournalNote& note) const {
    if (!client_) return;
    note.client_auth = client_->method_used();
    note.client_auth_error = client_->failure();
  }

private:
  std::optional<HttpResponse> verify_bearer(Needs::Bearer area, RouteCall& call);

  const HttpRequest& req_;
  const RequestForm& form_;
  std::optional<RequestClient> client_;
  std::optional<VerifiedToken> token_;
};

} // namespace authemu
