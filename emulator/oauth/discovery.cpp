#include "oauth/discovery.h"

#include "base/json.h"
#include "oauth/token_service.h"

namespace authemu {

std::string discovery_json(const std::string& issuer, const std::string& role_claim,
                           const std::vector<std::string>& grant_types, Algorithm signing_alg) {
  JsonObject d;
  d["issuer"] = json_string(issuer);
  d["token_endpoint"] = json_string(issuer + "/oauth/token");
  d["introspection_endpoint"] = json_string(issuer + "/oauth/introspect");
  d["revocation_endpoint"] = json_string(issuer + "/revoke");
  d["userinfo_endpoint"] = json_string(issuer + "/userinfo");
  d["jwks_uri"] = json_string(issuer + "/keys");
  d["grant_types_supported"] = json_string_array(grant_types);
  // "none": public clients send only their client_id (password and refresh grants, revocation).
  d["token_endpoint_auth_methods_supported"] = json_string_array({"client_secret_basic", "client_secret_post", "none"});
  d["revocation_endpoint_auth_methods_supported"] =
      json_string_array({"client_secret_basic", "client_secret_post", "none"});
  d["introspection_endpoint_auth_methods_supported"] = json_string_array({"client_secret_basic", "client_secret_post"});
  d["scopes_supported"] = json_string_array({"openid", "profile", "email", "offline_access"});
  d["claims_supported"] = json_string_array({"sub", "iss", "aud", "exp", "iat", "auth_time", "azp", "at_hash", "name",
                                             "preferred_username", "email", "email_verified", role_claim});
  // Required by both specs; no response type works without an authorization endpoint.
  d["response_types_supported"] = json_string_array({});
  d["subject_types_supported"] = json_string_array({"public"});
  d["id_token_signing_alg_values_supported"] = json_string_array({algorithm_name(signing_alg)});
  return dump_json(Json(d));
}

} // namespace authemu
