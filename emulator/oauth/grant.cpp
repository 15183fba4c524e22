#include "oauth/grant.h"

#include "base/json.h"

namespace authemu {

std::string token_response(const TokenResponse& r) {
  JsonObject body;
  body["access_token"] = json_string(r.access_token);
  body["token_type"] = json_string("Bearer");
  body["expires_in"] = json_int(r.expires_in);
  if (r.refresh_token) body["refresh_token"] = json_string(*r.refresh_token);
  if (r.scope) body["scope"] = json_string(*r.scope);
  if (r.id_token) body["id_token"] = json_string(*r.id_token);
  if (r.issued_token_type) body["issued_token_type"] = json_string(*r.issued_token_type);
  return dump_json(Json(body));
}

} // namespace authemu
