// Where a request goes: which environment (by host name, then by path), the route inside it, the
// issuer it sees (X-Forwarded-* or the host name), or the stand-in service it names. Pure: the
// environment publishes an issuer only when a route hands it out.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/http_types.h"
#include "stack/environment.h"

namespace authemu {

constexpr char kGatewayPrefix[] = "/api/auth";
constexpr char kWellKnownOidc[] = "/.well-known/openid-configuration";
constexpr char kWellKnownOauth[] = "/.well-known/oauth-authorization-server";
constexpr char kWellKnownResource[] = "/.well-known/oauth-protected-resource"; // RFC 9728 §3

struct Target {
  Environment* env = nullptr;
  std::string route;                       // e.g. /oauth/token, after the environment and /api/auth prefixes;
                                           // for the stand-in, /api/<service>/…
  std::string prefix;                      // the path prefix of the environment's auth routes, e.g. /sandbox/api/auth
  std::string service;                     // for the stand-in API: /api/<service>/…, service != auth
  std::optional<std::string> scheme, host; // from X-Forwarded-* or a host-routed Host header
  IssuerChoice chosen;                     // the issuer these give, not yet published
  // The URL the request was sent to, without query (RFC 9449 §4.3 htu): the listener's scheme or
  // X-Forwarded-Proto, the Host as sent or X-Forwarded-Host, and the path.
  std::string url;

  // The issuer of this request. A lookup: the route that hands it out publishes it
  // (RouteCall::issuer).
  const std::string& issuer() const { return chosen.issuer; }
};

Environment* find_environment(const Environments& envs, const std::string& name);
// The path prefix of env's auth routes under base ("" or "/<name>"): the platform's sit right
// under it (/platform/oauth/token), an environment's under /api/auth.
std::string route_prefix(const Environment& env, const std::string& base);
// envs: the default environment first.
Target resolve_target(const Environments& envs, const HttpRequest& req);

} // namespace authemu
