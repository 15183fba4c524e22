// The whole server as a function from HttpRequest to HttpResponse: routing (at /api/auth and at
// the root), CORS, bearer checks for the management API and the stand-in protected API, and the
// mapping of OAuthError and management results to responses. Owns all state; no sockets here.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "testkit/admin_api.h"
#include "store/client_store.h"
#include "stack/environment.h"
#include "base/clock.h"
#include "testkit/fault_queue.h"
#include "stack/fixtures.h"
#include "base/http_types.h"
#include "testkit/journal.h"
#include "jose/key_store.h"
#include "stack/management.h"
#include "oauth/token_service.h"
#include "store/token_store.h"
#include "oauth/token_verifier.h"
#include "store/user_store.h"

namespace authemu {

struct AppSettings {
  // The default environment's settings (issuer e.g. http://localhost:8080/api/auth, lifetimes, …),
  // and the base that fixture environments override.
  EnvironmentSettings environment;
  bool debug = false;
  std::optional<int64_t> clock_start;  // every environment's clock starts (and resets) at this time
  bool clock_frozen = false;
  bool admin_api = true;    // serve /_authemu
  std::string admin_token;  // when set, the admin API needs Authorization: Bearer <admin_token>
};

// What an environment is built from; App builds one Environment per spec, the first the default.
struct EnvironmentSpec {
  EnvironmentSettings settings;
  std::vector<Client> clients;
  std::vector<User> users;
  SigningKey key;
};

class App {
 public:
  // The default environment alone, from the fixture's top-level clients and users.
  App(AppSettings settings, Fixture fixture, SigningKey key, const Clock& clock);
  // Several environments; the first is the default one (served at /api/auth and the root).
  App(AppSettings settings, std::vector<EnvironmentSpec> environments, const Clock& clock);

  HttpResponse handle(const HttpRequest& req);
  // Ends the delays of injected faults at once (the server is stopping).
  void stop_waiting() { faults_.stop_waiting(); }
  // The response for a request that the transport refused before routing (400, 413, 414, 431),
  // in the error shape of the endpoint it was sent to.
  HttpResponse transport_error(const std::string& path, int status) const;

  // The default environment's configured issuer and keys.
  const std::string& issuer() const { return default_env().settings().issuer; }
  const KeyStore& keys() const { return default_env().keys(); }
  Environment* find_environment(const std::string& name) const;

 private:
  enum class Area { oauth, management, other };
  // Where a request goes: the environment, the path inside it, and the issuer it sees.
  struct Target {
    Environment* env = nullptr;
    std::string route;   // e.g. /oauth/token, after the environment and /api/auth prefixes
    std::string prefix;  // the path prefix of the environment's auth routes, e.g. /sandbox/api/auth
    std::string service;  // for the stand-in API: /api/<service>/…
    std::string service_path;
    std::optional<std::string> scheme, host;  // from X-Forwarded-* or a host-routed Host header
  };
  Target resolve(const HttpRequest& req) const;
  std::string issuer_of(Target& t) const;
  static Area area_of(const std::string& route);
  bool is_admin_path(const std::string& path) const;  // under /_authemu, with the admin API on
  Environment& default_env() const { return *envs_.front(); }

  // POST form endpoints of RFC 6749 §3.2 style (token, introspection, revocation): method,
  // content type and parameter rules, no-store, OAuthError to RFC 6749 §5.2.
  template <typename Handler>
  HttpResponse form_endpoint(const HttpRequest& req, Handler handler);
  // Discovery, JWKS, token, introspection, revocation and userinfo.
  HttpResponse oauth_endpoint(Environment& env, Target& target, const HttpRequest& req);
  // Runs an OAuth endpoint under the admin API's controls: a queued fault may delay or answer the
  // request instead, and the journal records how it ended.
  template <typename Handler>
  HttpResponse with_test_controls(Environment& env, const HttpRequest& req, const std::string& route, Handler handler);
  HttpResponse userinfo(Environment& env, const HttpRequest& req);
  HttpResponse management(Environment& env, const HttpRequest& req, const std::string& route);
  HttpResponse protected_api(Environment& env, const HttpRequest& req, const std::string& service,
                             const std::string& rest);
  // Management API authentication (go-libs auth): nothing when allowed, else the 401.
  std::optional<HttpResponse> check_management_auth(Environment& env, const HttpRequest& req) const;

  AppSettings settings_;
  const Clock& clock_;
  std::vector<std::unique_ptr<Environment>> envs_;
  Journal journal_;
  FaultQueue faults_;
  std::unique_ptr<AdminApi> admin_;
};

}  // namespace authemu
