// The whole server as a function from HttpRequest to HttpResponse: it holds the stack (stack/stack.h)
// and the test controls, picks the target of a request and runs the route the route table names
// for it (router.h), with that area's 404, 405, preflight, guard and test controls. No sockets here.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/fetcher.h"
#include "base/http_types.h"
#include "base/monotonic_clock.h"
#include "http/router.h"
#include "http/sign_in.h"
#include "http/target.h"
#include "http/test_controls.h"
#include "jose/key_store.h"
#include "stack/app_settings.h"
#include "stack/environment.h"
#include "stack/fixtures.h"
#include "stack/stack.h"
#include "testkit/admin_api.h"
#include "testkit/fault_queue.h"
#include "testkit/journal.h"
#include "testkit/login_queue.h"

namespace authemu {

class App {
public:
  // The default environment alone, from the fixture's top-level clients and users.
  // monotonic: the transport's clock, which injected delays pass by and the journal's latencies
  // read; it must outlive the App.
  App(AppSettings settings, Fixture fixture, SigningKey key, const Clock& clock,
      const MonotonicClock& monotonic = steady_clock());
  // Several environments; the first is the default one (served at /api/auth and the root).
  // routes: the route table (default_routes(); tests may give their own). fetcher: how delegated
  // sign-in reaches an issuer over HTTP; when null, the App's own HttpFetcher with the default
  // limits. A given one must outlive the App.
  App(AppSettings settings, std::vector<EnvironmentSpec> environments, const Clock& clock,
      std::vector<Route> routes = default_routes(), Fetcher* fetcher = nullptr,
      const MonotonicClock& monotonic = steady_clock());

  HttpResponse handle(const HttpRequest& req);
  // Ends the delays of injected faults at once (the server is stopping).
  void stop_waiting() { faults_.stop_waiting(); }
  // The response for a request that the transport refused before routing (400, 408, 413, 414, 501,
  // 505), in the error shape of the endpoint it was sent to; message: the transport's own words,
  // or empty for the usual text of the status.
  HttpResponse transport_error(const std::string& path, int status, const std::string& message = "") const;

  // The default environment's configured issuer and keys (never removed).
  const std::string& issuer() const { return stack_.environments()->front()->settings().issuer; }
  const KeyStore& keys() const { return stack_.environments()->front()->keys(); }
  // An environment by name. One made at run time lives while the stack or a request holds it.
  Environment* find_environment(const std::string& name) const {
    return authemu::find_environment(*stack_.environments(), name);
  }
  const AppSettings& settings() const { return settings_; }
  AdminApi& admin() { return *admin_; }
  LoginQueue& logins() { return logins_; }
  FaultQueue& faults() { return faults_; }
  Journal& journal() { return journal_; }
  // The delegated login of the request's environment, if it delegates (http/sign_in.h).
  std::optional<Delegation> delegation_for(const HttpRequest& req, const Target& target) const;
  // Whether uri is the /authorize/callback of the environment that delegates through client.
  bool is_delegation_callback(const Client& client, const std::string& uri) const;
  // CORS with credentials: the request's Origin is the origin of one of env's clients' redirect
  // URIs, or one of settings().cors_origins.
  bool cors_credentials(const HttpRequest& req, Environment& env) const;

private:
  bool is_admin_path(const std::string& path) const; // under /_authemu, with the admin API on
  // handle() once the request carries its client certificate (a forwarded one included).
  HttpResponse route(const HttpRequest& req);
  // Runs the route of `path` among the rows of `areas`.
  HttpResponse dispatch(const HttpRequest& req, Target* target, const std::vector<Area>& areas,
                        const std::string& path);

  AppSettings settings_;
  const Clock& clock_;
  std::unique_ptr<Fetcher> own_fetcher_; // when none was given
  Fetcher* fetcher_;
  Stack stack_; // the environments, wired to each other
  Journal journal_;
  FaultQueue faults_;
  LoginQueue logins_;
  std::unique_ptr<AdminApi> admin_;
  Router router_;
  TestControls controls_;
};

} // namespace authemu
