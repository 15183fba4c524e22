#include "oauth/id_token.h"

#include <algorithm>

#include "base/base64.h"
#include "jose/crypto.h"

namespace authemu {

std::string at_hash(const std::string& access_token) {
  return base64url_encode(sha256(access_token).substr(0, 16));
}

JsonObject id_token_claims(const IdTokenInput& in) {
  auto has = [&](const char* s) { return std::find(in.scopes.begin(), in.scopes.end(), s) != in.scopes.end(); };
  const User& user = in.user;
  JsonObject id = user.claims; // the user's extra claims first: the standard ones below win
  for (const auto& [name, value] : in.extra)
    id[name] = value;
  id["iss"] = json_string(in.issuer);
  id["sub"] = json_string(user.id);
  id["aud"] = json_string_array({in.client_id});
  id["azp"] = json_string(in.client_id);
  id["iat"] = json_int(in.now);
  id["exp"] = json_int(in.now + in.lifetime);
  id["auth_time"] = json_int(in.auth_time); // always sent: OIDC Core §2 allows it, max_age needs it
  if (in.nonce) id["nonce"] = json_string(*in.nonce);
  if (in.access_token) id["at_hash"] = json_string(at_hash(*in.access_token));
  if (!in.sid.empty()) id["sid"] = json_string(in.sid);
  if (!in.amr.empty()) id["amr"] = json_string_array(in.amr);
  if (has("profile")) { // OIDC Core §5.4
    id["preferred_username"] = json_string(user.username);
    if (!user.name.empty()) id["name"] = json_string(user.name);
    id[in.role_claim] = json_string_array(user.groups);
  }
  if (has("email") && !user.email.empty()) {
    id["email"] = json_string(user.email);
    id["email_verified"] = Json(true);
  }
  return id;
}

} // namespace authemu
