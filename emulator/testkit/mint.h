// Tokens made to order for the admin API: any claims, header members and lifetime, and the broken
// variants a service under test must refuse (expired, not yet valid, wrong audience or issuer,
// unknown key, alg none, tampered signature). Uses an environment's keys and clock; stores nothing.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "stack/environment.h"
#include "testkit/admin_error.h"

namespace authemu {

struct MintRequest {
  enum class Signature { valid, tampered, none, foreign };
  std::string client_id = "testing";
  std::optional<std::string> user;                  // a fixture user's id or username: sub and the user's claims
  std::optional<std::string> subject;               // sub (default: the user's id, else client_id)
  std::optional<std::vector<std::string>> audience; // default: the client's audience, else [client_id]
  std::optional<std::string> issuer;                // default: the environment's issuer
  std::string scope;
  std::optional<int64_t> expires_in; // exp - now, may be negative; default: the environment's lifetime
  int64_t not_before = 0;            // nbf - now
  Signature signature = Signature::valid;
  std::optional<std::string> typ; // default: the environment's access token type, JWT for an ID token
  // RFC 7800 cnf of an access token: as given ({"x5t#S256": …} binds it to a certificate, RFC 8705
  // §3.1), or made from a "certificate" (PEM) given instead.
  std::optional<Json> cnf;
  // RFC 9449 §6: bound to a DPoP key made for it (cnf jkt), whose private JWK the answer carries.
  bool dpop = false;
  JsonObject claims; // set last: any claim, standard ones included; null removes one
  JsonObject header; // merged over {"alg","kid","typ"}; null removes a member
  // An OpenID Connect ID token instead of an access token (OIDC Core §2): aud [client_id], typ JWT,
  // the ID-token lifetime, nonce, and at_hash of access_token when given.
  bool id_token = false;
  std::optional<std::string> nonce, access_token;
  bool wrong_nonce = false, wrong_at_hash = false; // the cases a relying party must refuse
};

// Reads the admin API's JSON body (see docs/test-controls.md, "Mint"). "case" names a preset:
// valid, expired, not_yet_valid, wrong_audience, wrong_issuer, foreign_key, alg_none, bad_signature,
// and for ID tokens wrong_nonce and wrong_at_hash; explicit members win over it. Throws
// admin_api::validation naming the member and why.
MintRequest parse_mint_request(const JsonObject& body);

// A string member of a mint body (at most 4096 characters); throws admin_api::validation.
std::string mint_text(const JsonObject& body, const std::string& name);
// jwt with its signature's first byte changed: well formed, failing verification.
std::string tampered(const std::string& jwt);

// RFC 8705 §3.1 x5t#S256 of the first certificate of PEM text; nothing when there is none.
std::optional<std::string> certificate_thumbprint(std::string_view pem);

struct MintedToken {
  std::string token;
  JsonObject header, claims;
  int64_t expires_in = 0;
  bool id_token = false;
};

// Throws admin_api::validation for a user the environment does not have, or a token over kMaxJwtLength.
MintedToken mint_token(const MintRequest& request, Environment& env, const std::string& issuer);

} // namespace authemu
