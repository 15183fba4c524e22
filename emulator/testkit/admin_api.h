// The admin API under /_authemu, off the OAuth routes: time travel, reset, minted tokens, key
// rotation, fault injection, the request journal, what browser sign-ins do, device requests, client
// certificates, environments made at run time and exports. JSON in and out,
// errors in the Formance shape {"errorCode","errorMessage"}; guarded by a bearer admin token when one is configured,
// and always against cross-site browser writes, non-JSON bodies and (without a token) rebound Host names.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "base/http_types.h"
#include "stack/environment.h"
#include "stack/stack.h"
#include "testkit/admin_guard.h"
#include "testkit/fault_queue.h"
#include "testkit/journal.h"
#include "testkit/login_queue.h"

namespace authemu {

class CertificateAuthority;

constexpr char kAdminPrefix[] = "/_authemu";

// The environments an operation acts on, taken when it starts: the list keeps them alive while it
// runs (an environment made at run time may be removed meanwhile).
struct EnvironmentList {
  std::shared_ptr<const Environments> keep;
  std::vector<Environment*> list; // the default one first
  operator const std::vector<Environment*>&() const { return list; }
};

class AdminApi {
public:
  // stack: the environments, those made at run time among them. routes: what the index lists
  // ("GET /_authemu/clock", …), from the route table.
  AdminApi(Stack& stack, Journal& journal, FaultQueue& faults, LoginQueue& logins, AdminPolicy policy,
           std::vector<std::string> routes);

  // The refusal of a request before routing (AdminGuard::authorize).
  std::optional<HttpResponse> authorize(const HttpRequest& req) const;

  // The operations, one per row of the route table (http/routes.cpp), which matched the method
  // already. Each throws AdminError, 415 among them for a body that is not JSON.
  HttpResponse index() const; // the environments, and routes as given
  HttpResponse show_clock(const HttpRequest& req);
  HttpResponse move_clock(const HttpRequest& req);
  HttpResponse reset_clock(const HttpRequest& req);
  HttpResponse reset(const HttpRequest& req);
  HttpResponse mint(const HttpRequest& req);
  HttpResponse keys(const HttpRequest& req);
  HttpResponse rotate_key(const HttpRequest& req);
  // RFC 7591 §3: an initial access token for /register of an environment with --registration token.
  HttpResponse registration_token(const HttpRequest& req);
  HttpResponse faults(const HttpRequest& req);
  HttpResponse add_fault(const HttpRequest& req);
  HttpResponse clear_faults(const HttpRequest& req);
  HttpResponse remove_fault(const HttpRequest& req, const std::string& id);
  HttpResponse journal(const HttpRequest& req);
  HttpResponse clear_journal(const HttpRequest& req);
  // One entry by its seq, and the live stream: text/event-stream, one event per entry (503 past
  // kMaxEventWatchers streams).
  HttpResponse journal_entry(const HttpRequest& req, const std::string& seq);
  HttpResponse journal_stream(const HttpRequest& req);
  // Why a token would be accepted or refused (testkit/explain.h): {"token", "audience"?, "nonce"?,
  // "access_token"?} → {"valid", "environment", "header", "claims", "checks": [...]}.
  HttpResponse explain(const HttpRequest& req);
  // Browser sign-in (admin_sign_in.cpp): queued logins, sessions, run-time users.
  HttpResponse logins(const HttpRequest& req);
  HttpResponse add_login(const HttpRequest& req);
  HttpResponse clear_logins(const HttpRequest& req);
  HttpResponse remove_login(const HttpRequest& req, const std::string& id);
  HttpResponse sessions(const HttpRequest& req);
  HttpResponse end_sessions(const HttpRequest& req);
  HttpResponse end_session(const HttpRequest& req, const std::string& sid);
  HttpResponse users(const HttpRequest& req);
  HttpResponse add_user(const HttpRequest& req);
  HttpResponse remove_user(const HttpRequest& req, const std::string& id);
  // The device flow (admin_device.cpp): the pending requests, and approving or denying the one
  // with user_code.
  HttpResponse devices(const HttpRequest& req);
  HttpResponse decide_device(const HttpRequest& req, const std::string& user_code, bool approve);
  // TLS (admin_tls.cpp): a client certificate from ca, the server's CA (404 when it has none), for
  // RFC 8705 tests: {"cn", "dns", "uris", "ips", "emails", "lifetime"} → 201 {"cert", "key", "ca",
  // "thumbprint", "notBefore", "notAfter"}, its dates on the environment's clock.
  HttpResponse issue_client_certificate(const HttpRequest& req, const CertificateAuthority* ca);
  // Environments made at run time (admin_environments.cpp): a fixture environment's fields as
  // JSON, with name → 201 {name, issuer, discovery, …}; the list of all; removing one.
  HttpResponse environments(const HttpRequest& req) const;
  HttpResponse add_environment(const HttpRequest& req);
  HttpResponse remove_environment(const HttpRequest& req, const std::string& name);
  // `authemu export` of a running server (testkit/exports.h): ?environment=E (default: the default
  // one) and, for ftl, ?client=C.
  HttpResponse export_environment(const HttpRequest& req, const std::string& format);

  // What the console reads (its actions go through the operations above). environments(): a
  // snapshot that keeps each environment alive while the caller holds it.
  EnvironmentList environments() const;
  const Journal& journal_log() const { return journal_; }
  const FaultQueue& fault_queue() const { return faults_; }
  const LoginQueue& login_queue() const { return logins_; }
  const AdminGuard& guard() const { return guard_; }

private:
  // Forgets what the journal, the faults and the queued logins hold for a removed environment.
  void forget(const std::string& name, const std::string& label);

  Stack& stack_;
  Journal& journal_;
  FaultQueue& faults_;
  LoginQueue& logins_;
  AdminGuard guard_;
  std::vector<std::string> routes_;
};

} // namespace authemu
