// A client's own claims (claims, groups, username) in the tokens it gets without a user, and the
// check that they leave the claims authemu sets alone. Issues nothing itself.
#pragma once
#include <optional>
#include <string>

#include "base/json.h"
#include "store/client_store.h"

namespace authemu {

// The claims authemu sets on every access token: a client may not set them.
bool is_reserved_claim(const std::string& name);

// "claims.iss: reserved: authemu sets it" for the first reserved claim the client names, else nothing.
std::optional<std::string> client_claims_problem(const Client& client);

// The claims a token without a user carries for client: its claims, then preferred_username (its
// username) and role_claim (its groups, a JSON array), when set. Empty for a client with none.
JsonObject client_claims(const Client& client, const std::string& role_claim);

} // namespace authemu
