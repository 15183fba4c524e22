#include "http/target.h"

#include <cctype>

#include "base/origin.h"

namespace authemu {

namespace {

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::string path_of_url(const std::string& url) {
  size_t scheme = url.find("://");
  size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "" : url.substr(slash);
}

std::optional<std::string> first_value(const std::optional<std::string>& header) {
  if (!header) return std::nullopt;
  std::string v = header->substr(0, header->find(',')); // the client-facing proxy comes first
  v.erase(0, v.find_first_not_of(' '));
  while (!v.empty() && v.back() == ' ')
    v.pop_back();
  // A host[:port] or a scheme: anything else is ignored rather than put into an issuer.
  for (char c : v) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']')) {
      return std::nullopt;
    }
  }
  if (v.empty() || v.size() > 255) return std::nullopt;
  return v;
}

} // namespace

Environment* find_environment(const Environments& envs, const std::string& name) {
  for (const auto& e : envs) {
    if (e->name() == name) return e.get();
  }
  return nullptr;
}

std::string route_prefix(const Environment& env, const std::string& base) {
  return env.settings().tokens.platform ? base : base + kGatewayPrefix;
}

Target resolve_target(const Environments& envs, const HttpRequest& req) {
  Target t;
  t.env = envs.front().get();
  std::string path = req.path;
  auto forwarded_host = first_value(req.header("X-Forwarded-Host"));
  auto forwarded_proto = first_value(req.header("X-Forwarded-Proto"));
  if (forwarded_proto && *forwarded_proto != "http" && *forwarded_proto != "https") forwarded_proto.reset();
  std::optional<std::string> host = forwarded_host ? forwarded_host : first_value(req.header("Host"));
  t.url = (forwarded_proto ? *forwarded_proto : req.tls ? "https" : "http") + "://" + host.value_or("localhost") +
          req.path;

  // A named environment by host name: <name>.<anything>, as cloud stacks have a host each.
  bool by_host = false;
  if (host) {
    std::string label = host->substr(0, host->find('.'));
    if (label.size() < host->size()) {
      if (Environment* e = find_environment(envs, label); e != nullptr && !label.empty()) {
        t.env = e;
        by_host = true;
      }
    }
  }
  // RFC 8414 §3: /.well-known/oauth-authorization-server/<issuer path>, and OpenID Connect's
  // document at the same place (MCP clients try both, RFC 8414 §5).
  std::string base;
  std::string well_known_inserted;
  for (const char* wk : {kWellKnownOauth, kWellKnownOidc}) {
    if (starts_with(path, std::string(wk) + "/")) {
      path = path.substr(std::string(wk).size());
      well_known_inserted = wk;
    }
  }
  // A named environment by path: /<name>/…
  if (!by_host) {
    for (const auto& e : envs) {
      if (e->name().empty()) continue;
      std::string p = "/" + e->name();
      if (path == p || starts_with(path, p + "/")) {
        t.env = e.get();
        base = p;
        path = path.substr(p.size());
        break;
      }
    }
  }
  if (forwarded_host || by_host) t.host = host;
  t.scheme = forwarded_proto;
  if (req.tls && !t.host && !t.scheme && t.env->settings().issuer_by_listener) {
    // A TLS listener's own issuer: the configured issuer's host and this listener's port.
    if (auto origin = origin_of_url(t.env->settings().issuer))
      t.host = host_of_authority(authority_of_url(*origin)) + ":" + std::to_string(req.local_port);
  }
  if (req.tls && !t.scheme) t.scheme = "https"; // the connection itself was TLS
  if (!t.scheme) {
    const std::string& configured = t.env->settings().issuer;
    t.scheme = configured.substr(0, configured.find("://"));
  }

  // RFC 9728 §3.1: /.well-known/oauth-protected-resource/api/<service>… describes that resource.
  if (starts_with(path, std::string(kWellKnownResource) + "/api/")) {
    std::string rest = path.substr(std::string(kWellKnownResource).size());
    std::string service = rest.substr(5, rest.find('/', 5) - 5);
    if (!service.empty() && service != "auth") {
      t.service = service;
      t.route = path;
      // Its authorization server: the issuer this request would be handed (not published by this).
      t.chosen = t.env->choose_issuer(t.scheme, t.host, route_prefix(*t.env, base));
      return t;
    }
  }
  // The stand-in for the other Formance services: /api/<service>/… with service != auth.
  if (well_known_inserted.empty() && starts_with(path, "/api/") && path != kGatewayPrefix &&
      !starts_with(path, std::string(kGatewayPrefix) + "/")) {
    t.service = path.substr(5, path.find('/', 5) - 5);
    if (!t.service.empty()) {
      t.route = path;
      t.chosen = t.env->choose_issuer(t.scheme, t.host, route_prefix(*t.env, base));
      return t;
    }
  }
  // The platform's routes sit right under its path (/platform/oauth/token), environments' under /api/auth.
  t.prefix = route_prefix(*t.env, base);
  std::string issuer_path = path_of_url(t.env->settings().issuer);
  for (const std::string& prefix : {std::string(kGatewayPrefix), base.empty() ? issuer_path : std::string()}) {
    if (prefix.empty()) continue;
    if (path == prefix) {
      path = "/";
      break;
    }
    if (starts_with(path, prefix + "/")) {
      path = path.substr(prefix.size());
      break;
    }
  }
  // The inserted form names one issuer path exactly; anything after it is no route.
  t.route = well_known_inserted.empty() ? path : path == "/" ? well_known_inserted : std::string("/.well-known/none");
  t.chosen = t.env->choose_issuer(t.scheme, t.host, t.prefix);
  return t;
}

} // namespace authemu
