// What clients sign, made to order for the admin API's mint: DPoP proofs (RFC 9449 §4) for a
// resource server's own tests and client assertions (RFC 7523 §3) for a client library's, valid
// or broken by a named case. Signs with a key the caller gives (a private JWK) or one made here
// and handed back; time claims are on real time, and the stale and future cases fail on the
// environment's clock too. Stores nothing but the jti of a replayed_jti case.
#pragma once
#include <optional>
#include <string>

#include "base/json.h"
#include "stack/environment.h"

namespace authemu {

struct MintedClientJwt {
  std::string jwt;
  JsonObject header, claims;
  std::optional<JsonObject> key; // the private JWK it was signed with, when made here
};

// Members: case, htm, htu, access_token, nonce, key, alg. Throws admin_api::validation naming the
// member and why.
MintedClientJwt mint_dpop_proof(const JsonObject& body, Environment& env, const std::string& issuer);

// Members: case, client_id, aud, key (a private JWK) or secret, alg, jti. Throws admin_api::validation.
MintedClientJwt mint_client_assertion(const JsonObject& body, Environment& env, const std::string& issuer);

// A new key for a DPoP-bound minted token: {"jkt": …} in cnf, and its private JWK for the test.
struct MintedDpopKey {
  std::string jkt;
  JsonObject private_jwk;
};
MintedDpopKey mint_dpop_key();

} // namespace authemu
