// The one route table: each row is a method list, a path pattern, the area it belongs to (which
// decides its error shape, its 404/405 answers and how it is guarded), its handler, what its
// requests need (form, client, bearer token), and whether it runs under the test controls
// (journal, faults). Router matches a path against the rows; it verifies nothing itself.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/http_types.h"
#include "http/target.h"
#include "oauth/client_auth.h"
#include "oauth/form.h"
#include "oauth/token_verifier.h"

namespace authemu {

class AdminApi;
class LoginQueue;
struct AppSettings;
struct Delegation;

enum class Area {
  oauth,      // OAuth endpoints: RFC 6749 errors, CORS, preflight, test controls
  browser,    // pages a browser visits (authorize, login, logout): HTML errors, no CORS
  management, // Formance management API: bearer token with auth:read/auth:write, Formance errors
  health,     // /_info, /_healthcheck, …: open, GET only
  service,    // the stand-in for other Formance services, /api/<service>/…
  admin,      // /_authemu: admin token when set, Formance errors
};

// What a row's requests need, verified once per request by the request authentication
// (request_auth.h) and handed to the handler in RouteCall.
struct Needs {
  enum class Form {
    none,
    query_and_body, // RFC 6749 §3.2: the form body (application/x-www-form-urlencoded) and the query, as Formance
                    // merges them
    body,           // the form body alone (RFC 9126 §2.1)
  };
  enum class Client {
    none,
    before,     // authenticated (oauth/client_auth.h) before the handler runs
    when_asked, // when the handler's rules first ask (the token endpoint checks grant_type first)
  };
  // A bearer token (oauth/bearer_auth.h) for an area, refused in that area's shape.
  enum class Bearer {
    none,
    userinfo,   // RFC 6750 answers; in the header or (POST) the form body; no scope rule
    management, // Formance's empty 401; auth:read/auth:write with --auth-check-scopes
    service,    // the stand-in: RFC 6750 answers with CORS; <service>:read/write for the path's service
  };
  Form form = Form::none;
  Client client = Client::none;
  Bearer bearer = Bearer::none;
};

// What a handler gets: the request, for routes of an environment its target, what its row's needs
// verified, and the parts of the app it reads. A handler does not call back into the app.
struct RouteCall {
  const HttpRequest& req;
  Target* target;                  // nullptr for admin routes
  std::vector<std::string> params; // the {} segments in order, then what * matched ("/…")
  const AppSettings& settings;
  LoginQueue& logins;
  AdminApi* admin = nullptr;                             // admin rows
  bool cors_credentials = false;                         // CORS answers this Origin with credentials
  const Delegation* delegation = nullptr;                // browser rows: the environment's delegated login, if any
  std::function<bool(const Client&, const std::string&)> // whether a URI is a delegated login's callback
      is_delegation_callback{};                          // (an extra redirect URI of the client)
  // Verified by the row's needs (nullptr when it has none):
  const Params* form = nullptr;          // the form parameters, parsed once
  const RequestClient* client = nullptr; // the client; authenticated unless the row says when_asked
  const VerifiedToken* token = nullptr;  // the bearer token's claims
  // The request's query and body, each parsed at most once (the journal reads the same parse);
  // rows without a form need read their parameters from here.
  const RequestForm* parsed = nullptr;

  Environment& env() const { return *target->env; }
  // The issuer this request hands out (new tokens' iss, discovery's, answers'): published by the
  // environment from then on, so its tokens verify. Throws OAuthError past the environment's cap.
  const std::string& issuer() const {
    target->env->publish_issuer(target->chosen);
    return target->issuer();
  }
};

using RouteHandler = HttpResponse (*)(RouteCall&);

struct Route {
  Area area;
  const char* methods; // "GET, HEAD", "POST", or "*" for any; the rows of one pattern make its Allow
  const char* pattern; // "/clients/{}/secrets": {} (or {name}) is one non-empty segment; a last "/*" any rest
  RouteHandler handler;
  Needs needs = {};
  const char* endpoint = nullptr; // the journal's and the faults' name: runs under the test controls
  bool no_store = false;          // answers carry Cache-Control: no-store (RFC 6749 §5.1)
};

// Every route authemu serves (routes.cpp).
std::vector<Route> default_routes();
// The admin index's list, "GET /_authemu/clock", …: each method but HEAD of every admin row but the
// index's own.
std::vector<std::string> admin_index(const std::vector<Route>& routes);

class Router {
public:
  explicit Router(std::vector<Route> routes) : routes_(std::move(routes)) {}

  struct Match {
    const Route* route = nullptr; // the row for this method; nullptr: no row (see path)
    const Route* path = nullptr;  // the first row of the matching pattern; nullptr: unknown path
    std::vector<std::string> params;
    std::string allow; // every method of the pattern, for Allow and preflights
  };
  // Rows of the given areas only: the admin area, the stand-in, or an environment's areas.
  Match match(const std::vector<Area>& areas, const std::string& path, const std::string& method) const;
  const std::vector<Route>& routes() const { return routes_; }

private:
  std::vector<Route> routes_;
};

// The body text of an OAuth 405: what the route accepts.
std::string method_hint(const std::string& allow);

} // namespace authemu
