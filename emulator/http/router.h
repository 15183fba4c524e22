// The one route table: each row is a method list, a path pattern, the area it belongs to (which
// decides its error shape, its 404/405 answers and how it is guarded), its handler, and whether it
// runs under the test controls (journal, faults). Router matches a path against the rows.
#pragma once
#include <string>
#include <vector>

#include "base/http_types.h"
#include "http/target.h"

namespace authemu {

class App;

enum class Area {
  oauth,      // OAuth endpoints: RFC 6749 errors, CORS, preflight, test controls
  browser,    // pages a browser visits (authorize, login, logout): HTML errors, no CORS
  management, // Formance management API: bearer token with auth:read/auth:write, Formance errors
  health,     // /_info, /_healthcheck, …: open, GET only
  service,    // the stand-in for other Formance services, /api/<service>/…
  admin,      // /_authemu: admin token when set, Formance errors
};

// What a handler gets: the request, the app, and for routes of an environment its target.
struct RouteCall {
  const HttpRequest& req;
  App& app;
  Target* target;                  // nullptr for admin routes
  std::vector<std::string> params; // the {} segments in order, then what * matched ("/…")
  Environment& env() const { return *target->env; }
};

using RouteHandler = HttpResponse (*)(RouteCall&);

struct Route {
  Area area;
  const char* methods; // "GET, HEAD", "POST", or "*" for any; the rows of one pattern make its Allow
  const char* pattern; // "/clients/{}/secrets": {} is one non-empty segment; a last "/*" any rest
  RouteHandler handler;
  const char* endpoint = nullptr; // the journal's and the faults' name: runs under the test controls
  bool no_store = false;          // answers carry Cache-Control: no-store (RFC 6749 §5.1)
};

// Every route authemu serves (routes.cpp).
std::vector<Route> default_routes();

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
