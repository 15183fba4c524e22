// The one list of grant types this server knows. The token endpoint's dispatch, discovery's
// grant_types_supported, the fixtures' grantTypes check and client defaults all read it; a new grant
// is a grant_<name>.cpp plus one line in grant_registry.cpp.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "oauth/grant.h"
#include "store/client_store.h"

namespace authemu {

// Every known grant, in the registry's order (the order of discovery and of messages).
const std::vector<const Grant*>& all_grants();
// Their names, for messages: "client_credentials, password, …".
std::string known_grant_types();
// Nothing for an unknown name.
const Grant* find_grant(std::string_view name);
// True when the grant has a handler and works in this environment.
bool is_available(const Grant& grant, const GrantContext& ctx);
// The names of the grants available here, for discovery (RFC 8414 §2 grant_types_supported).
std::vector<std::string> available_grant_types(const GrantContext& ctx);

// Whether the client may use the grant: its grantTypes list when it has one, else Formance's set
// (authorization_code, the device code grant and refresh_token, plus client_credentials for
// confidential clients).
// Does not apply the public-client rule (Grant::public_clients); client_for_grant does.
bool client_allows_grant(const Client& client, const Grant& grant);
// The same by name; false for a name the registry does not know.
bool client_allows_grant(const Client& client, std::string_view grant);

} // namespace authemu
