#include "oauth/discovery.h"

#include "base/json.h"
#include "jose/jwk.h"
#include "oauth/client_auth.h"
#include "oauth/token_service.h"

namespace authemu {

std::string discovery_json(const DiscoveryFacts& f) {
  const std::string& issuer = f.issuer;
  const std::string& back = f.back_channel.empty() ? issuer : f.back_channel;
  bool mtls = f.mtls;
  JsonObject d;
  d["issuer"] = json_string(issuer);
  d["authorization_endpoint"] = json_string(issuer + "/authorize");
  d["token_endpoint"] = json_string(back + "/oauth/token");
  d["end_session_endpoint"] = json_string(issuer + "/end_session");
  d["device_authorization_endpoint"] = json_string(back + "/device_authorization"); // RFC 8628 §4
  d["pushed_authorization_request_endpoint"] = json_string(back + "/par");
  d["introspection_endpoint"] = json_string(back + "/oauth/introspect");
  d["revocation_endpoint"] = json_string(back + "/revoke");
  d["userinfo_endpoint"] = json_string(back + "/userinfo");
  d["jwks_uri"] = json_string(back + "/keys");
  if (f.registration) d["registration_endpoint"] = json_string(back + "/register"); // RFC 7591 §3
  if (f.metadata_documents) d["client_id_metadata_document_supported"] = Json(true);
  d["grant_types_supported"] = json_string_array(f.grant_types);
  // The client authentication methods (client_auth.h); "none": public clients send only their
  // client_id (password and refresh grants, revocation). Introspection wants proof.
  d["token_endpoint_auth_methods_supported"] = json_string_array(client_auth_method_names(false, mtls));
  d["revocation_endpoint_auth_methods_supported"] = json_string_array(client_auth_method_names(false, mtls));
  d["introspection_endpoint_auth_methods_supported"] = json_string_array(client_auth_method_names(true, mtls));
  // RFC 8414 §2: the algorithms of client assertions (RFC 7523: private_key_jwt with RS, PS and ES,
  // client_secret_jwt with HS), and of DPoP proofs (RFC 9449 §5.1, asymmetric only). No EdDSA:
  // mbedTLS 3.6 has no EdDSA signatures.
  std::vector<std::string> assertion_algs = asymmetric_jws_algorithm_names();
  for (const auto& a : hmac_jws_algorithm_names()) assertion_algs.push_back(a);
  d["token_endpoint_auth_signing_alg_values_supported"] = json_string_array(assertion_algs);
  d["revocation_endpoint_auth_signing_alg_values_supported"] = json_string_array(assertion_algs);
  d["introspection_endpoint_auth_signing_alg_values_supported"] = json_string_array(assertion_algs);
  d["dpop_signing_alg_values_supported"] = json_string_array(asymmetric_jws_algorithm_names());
  // RFC 8705 §3.3: access tokens can be bound to the client's certificate.
  if (mtls) d["tls_client_certificate_bound_access_tokens"] = Json(true);
  d["scopes_supported"] = json_string_array({"openid", "profile", "email", "offline_access"});
  d["claims_supported"] =
      json_string_array({"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "azp", "at_hash", "sid", "amr",
                         "name", "preferred_username", "email", "email_verified", f.role_claim});
  d["response_types_supported"] = json_string_array({"code"});
  d["response_modes_supported"] = json_string_array({"query", "fragment", "form_post"});
  d["code_challenge_methods_supported"] = json_string_array({"S256", "plain"});
  d["prompt_values_supported"] = json_string_array({"none", "login", "consent", "select_account"});
  d["authorization_response_iss_parameter_supported"] = Json(true); // RFC 9207 §3
  d["request_parameter_supported"] = Json(false);
  d["request_uri_parameter_supported"] = Json(false); // request_uri only from the PAR endpoint
  d["subject_types_supported"] = json_string_array({"public"});
  d["id_token_signing_alg_values_supported"] = json_string_array({algorithm_name(f.signing_alg)});
  return dump_json(Json(d));
}

} // namespace authemu
