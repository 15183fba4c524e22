#include "oauth/grant_registry.h"

#include <algorithm>

namespace authemu {

// Each defined in its grant_<name>.cpp.
extern const Grant kClientCredentialsGrant;
extern const Grant kPasswordGrant;
extern const Grant kRefreshTokenGrant;
extern const Grant kTokenExchangeGrant;
extern const Grant kJwtBearerGrant;
extern const Grant kAuthorizationCodeGrant;
extern const Grant kDeviceCodeGrant;

const std::vector<const Grant*>& all_grants() {
  static const std::vector<const Grant*> grants = {
      &kClientCredentialsGrant, &kPasswordGrant,      &kRefreshTokenGrant, &kAuthorizationCodeGrant,
      &kDeviceCodeGrant,        &kTokenExchangeGrant, &kJwtBearerGrant,
  };
  return grants;
}

std::string known_grant_types() {
  std::string out;
  for (const Grant* g : all_grants())
    out += (out.empty() ? "" : ", ") + std::string(g->name);
  return out;
}

const Grant* find_grant(std::string_view name) {
  for (const Grant* g : all_grants()) {
    if (g->name == name) return g;
  }
  return nullptr;
}

bool is_available(const Grant& grant, const GrantContext& ctx) {
  return grant.handle != nullptr && (grant.available == nullptr || grant.available(ctx));
}

std::vector<std::string> available_grant_types(const GrantContext& ctx) {
  std::vector<std::string> names;
  for (const Grant* g : all_grants()) {
    if (is_available(*g, ctx)) names.emplace_back(g->name);
  }
  return names;
}

bool client_allows_grant(const Client& client, const Grant& grant) {
  if (client.grant_types) {
    return std::find(client.grant_types->begin(), client.grant_types->end(), grant.name) != client.grant_types->end();
  }
  switch (grant.default_for) {
  case GrantDefault::nobody:
    return false;
  case GrantDefault::all_clients:
    return true;
  case GrantDefault::confidential_clients:
    return !client.is_public;
  }
  return false;
}

bool client_allows_grant(const Client& client, std::string_view grant) {
  const Grant* g = find_grant(grant);
  return g != nullptr && client_allows_grant(client, *g);
}

} // namespace authemu
