#include "discovery.h"

#include "json.h"
#include "token_service.h"

namespace authemu {

std::string discovery_json(const std::string& issuer) {
  JsonObject d;
  d["issuer"] = json_string(issuer);
  d["token_endpoint"] = json_string(issuer + "/oauth/token");
  d["jwks_uri"] = json_string(issuer + "/keys");
  d["grant_types_supported"] = json_string_array(TokenService::supported_grant_types());
  d["token_endpoint_auth_methods_supported"] = json_string_array({"client_secret_basic", "client_secret_post"});
  // Required by both specs; no response type works without an authorization endpoint.
  d["response_types_supported"] = json_string_array({});
  d["subject_types_supported"] = json_string_array({"public"});
  d["id_token_signing_alg_values_supported"] = json_string_array({"RS256"});
  return dump_json(Json(d));
}

}  // namespace authemu
