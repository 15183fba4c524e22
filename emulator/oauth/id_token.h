// The claims of an OpenID Connect ID token (OIDC Core §2, §3.1.3.6, §5.4), for the grants and for
// minted test tokens. Builds claims only; signing is the key store's.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "store/user_store.h"

namespace authemu {

struct IdTokenInput {
  std::string issuer;
  std::string client_id;
  const User& user;
  std::vector<std::string> scopes;
  int64_t now = 0;
  int64_t lifetime = 3600;
  int64_t auth_time = 0;
  std::optional<std::string> nonce;
  std::optional<std::string> access_token; // for at_hash
  std::string sid;
  std::vector<std::string> amr;
  std::string role_claim = "group";
  JsonObject extra; // further claims (the platform's org); the standard ones win
};

JsonObject id_token_claims(const IdTokenInput& in);

// OIDC Core §3.1.3.6: base64url of the left half of SHA-256 of the access token (RS256, PS256,
// ES256 and HS256 all hash with SHA-256).
std::string at_hash(const std::string& access_token);

} // namespace authemu
