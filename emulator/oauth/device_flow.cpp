#include "oauth/device_flow.h"

#include <algorithm>

#include "oauth/grant_registry.h"
#include "oauth/oauth_error.h"
#include "oauth/scope.h"
#include "oauth/stack_target.h"

namespace authemu {

namespace {

constexpr size_t kMaxValue = 2048; // prompt, organization_id, resource

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The client's scopes that a membership stack scope stands for: stack:Read → every *:read,
// stack:Write → every *:write; any other scope when the client has it.
std::vector<std::string> stack_scopes(const Client& client, const std::vector<std::string>& asked) {
  std::vector<std::string> out;
  for (const auto& a : asked) {
    for (const auto& s : client.scopes) {
      bool match = a == "stack:Read" ? ends_with(s, ":read") : a == "stack:Write" ? ends_with(s, ":write") : a == s;
      if (match && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
  }
  return out;
}

// resource at the platform: stack://<organization>/<environment>[|<scopes>], an environment name
// or its issuer. Sets the request's audience and returns the scopes it adds.
std::vector<std::string> platform_resource(const GrantContext& ctx, const Client& client, const std::string& resource,
                                           DeviceRequest& r) {
  std::string target = resource, scopes;
  if (auto bar = target.find('|'); bar != std::string::npos) {
    scopes = target.substr(bar + 1);
    target.resize(bar);
  }
  r.audience = {stack_target_issuer(ctx.settings, target, "resource: ")};
  r.resource = resource;
  return stack_scopes(client, parse_scope(scopes));
}

// The user an id_token_hint names: an ID token of this issuer, expired or not (as at logout).
std::string hint_user(const GrantContext& ctx, const std::string& hint) {
  std::string why;
  auto claims = ctx.verifier.verify_hint(hint, &why);
  if (!claims) throw oauth::invalid_request("id_token_hint is not an ID token of this issuer: " + why);
  std::string sub = find_string(*claims, "sub").value_or("");
  if (ctx.users.find(sub) == nullptr) throw oauth::invalid_request("id_token_hint names no user of this issuer");
  return sub;
}

std::string bounded(const Params& params, const char* name) {
  std::string v = params.get(name).value_or("");
  if (v.size() > kMaxValue) throw oauth::invalid_request(std::string(name) + " is too long");
  return v;
}

} // namespace

DeviceAuthorization device_authorization(const GrantContext& ctx, const Params& params, const AuthenticatedClient& auth,
                                         const std::string& issuer, const std::string& verification_uri) {
  // RFC 8628 §3.1: the client authenticated as at the token endpoint (public clients by client_id).
  const Client& client = *auth.client;
  if (!client_allows_grant(client, kDeviceCodeGrantType)) {
    throw oauth::unauthorized_client("client " + client.id + " may not use the device_code grant");
  }
  DeviceRequest r;
  r.client_id = client.id;
  r.issuer = issuer;
  r.prompt = bounded(params, "prompt");
  r.organization_id = bounded(params, "organization_id");
  std::string resource = bounded(params, "resource");
  if (ctx.settings.platform && !r.organization_id.empty() && r.organization_id != ctx.settings.organization_id) {
    throw oauth::invalid_request("unknown organization_id " + r.organization_id);
  }
  if (auto hint = params.get("id_token_hint")) r.hint_user = hint_user(ctx, *hint);

  std::vector<std::string> allowed = client.scopes;
  allowed.insert(allowed.end(), kUserScopes.begin(), kUserScopes.end());
  auto scopes = intersect_scope(parse_scope(params.get("scope").value_or("")), allowed);
  if (!resource.empty()) {
    std::vector<std::string> extra;
    if (ctx.settings.platform) {
      extra = platform_resource(ctx, client, resource, r);
    } else if (resource.find("://") == std::string::npos || resource.find('#') != std::string::npos) {
      throw oauth::invalid_target("resource must be an absolute URI without a fragment"); // RFC 8707 §2
    } else {
      r.audience = {resource};
      r.resource = resource;
    }
    for (const auto& s : extra) {
      if (std::find(scopes.begin(), scopes.end(), s) == scopes.end()) scopes.push_back(s);
    }
  }
  r.scope = join_scope(scopes);
  int64_t now = ctx.clock.now();
  int64_t lifetime = device_code_lifetime(ctx.settings, client);
  r.created = now;
  r.exp = now + lifetime;
  r.interval = device_code_interval(ctx.settings, client);
  int64_t interval = r.interval;
  auto made = ctx.devices.create(std::move(r), now);

  // RFC 8628 §3.2
  std::string user_code = display_user_code(made.user_code);
  return DeviceAuthorization{
      made.device_code, user_code, verification_uri, verification_uri + "?user_code=" + user_code, lifetime, interval};
}

std::optional<std::string> device_approval_refusal(const GrantContext& ctx, const DeviceRequest& r, const User& user) {
  if (r.audience.empty() || !ctx.settings.platform || user.environments.empty()) return std::nullopt;
  for (const auto& [name, issuer] : ctx.settings.environment_issuers) {
    if (issuer != r.audience.front()) continue;
    if (std::find(user.environments.begin(), user.environments.end(), name) == user.environments.end()) {
      return user.username + " may not access environment " + name;
    }
  }
  return std::nullopt;
}

} // namespace authemu
