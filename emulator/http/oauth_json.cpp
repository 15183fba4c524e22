#include "http/oauth_json.h"

namespace authemu {

std::string token_response_json(const TokenResponse& r) {
  JsonObject body;
  body["access_token"] = json_string(r.access_token);
  body["token_type"] = json_string(r.dpop ? "DPoP" : "Bearer"); // RFC 9449 §5
  body["expires_in"] = json_int(r.expires_in);
  if (r.refresh_token) body["refresh_token"] = json_string(*r.refresh_token);
  if (r.scope) body["scope"] = json_string(*r.scope);
  if (r.id_token) body["id_token"] = json_string(*r.id_token);
  if (r.issued_token_type) body["issued_token_type"] = json_string(*r.issued_token_type);
  return dump_json(Json(body));
}

std::string introspection_json(const Introspection& i) {
  JsonObject o;
  o["active"] = Json(i.active);
  if (!i.active) return dump_json(Json(o)); // §2.2: and nothing else
  o["token_type"] = json_string(i.token_type);
  o["scope"] = json_string(i.scope);
  o["client_id"] = json_string(i.client_id);
  o["sub"] = json_string(i.sub);
  if (i.username) o["username"] = json_string(*i.username);
  o["iss"] = json_string(i.iss);
  if (i.aud) o["aud"] = json_string_array(*i.aud);
  o["iat"] = json_int(i.iat);
  o["exp"] = json_int(i.exp);
  if (i.nbf) o["nbf"] = json_int(*i.nbf);
  if (i.jti) o["jti"] = json_string(*i.jti);
  if (i.cnf) o["cnf"] = *i.cnf;
  return dump_json(Json(o));
}

std::string device_authorization_json(const DeviceAuthorization& d) {
  JsonObject o;
  o["device_code"] = json_string(d.device_code);
  o["user_code"] = json_string(d.user_code);
  o["verification_uri"] = json_string(d.verification_uri);
  o["verification_uri_complete"] = json_string(d.verification_uri_complete);
  o["expires_in"] = json_int(d.expires_in);
  o["interval"] = json_int(d.interval);
  return dump_json(Json(o));
}

std::string userinfo_json(const JsonObject& claims) {
  return dump_json(Json(claims));
}

} // namespace authemu
