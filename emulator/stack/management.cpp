#include "stack/management.h"

#include "base/json.h"
#include "jose/crypto.h"
#include "oauth/client_auth.h"
#include "oauth/client_claims.h"

namespace authemu {

std::string management_error(const std::string& code, const std::string& message) {
  JsonObject o;
  o["errorCode"] = json_string(code);
  o["errorMessage"] = json_string(message);
  return dump_json(Json(o));
}

namespace {

ApiResult validation(const std::string& message) {
  return ApiResult{400, management_error("VALIDATION", message)};
}
ApiResult not_found() {
  return ApiResult{404, ""};
}

std::string data(Json value) {
  JsonObject o;
  o["data"] = std::move(value);
  return dump_json(Json(o));
}

Json metadata_json(const Metadata& m) {
  JsonObject o;
  for (const auto& [k, v] : m)
    o[k] = json_string(v);
  return Json(o);
}

Json client_json(const Client& c) {
  JsonObject o;
  o["id"] = json_string(c.id);
  o["name"] = json_string(c.name);
  o["description"] = json_string(c.description);
  o["public"] = Json(c.is_public);
  o["trusted"] = Json(c.trusted);
  o["redirectUris"] = json_string_array(c.redirect_uris);
  o["postLogoutRedirectUris"] = json_string_array(c.post_logout_redirect_uris);
  o["scopes"] = json_string_array(c.scopes);
  o["metadata"] = metadata_json(c.metadata);
  JsonArray secrets;
  for (const auto& s : c.secrets) {
    JsonObject so;
    so["id"] = json_string(s.id);
    so["name"] = json_string(s.name);
    so["lastDigits"] = json_string(s.last_digits);
    so["hash"] = json_string(s.hash); // Formance shows it (base64 SHA-256), never the clear secret
    so["metadata"] = s.metadata ? metadata_json(*s.metadata) : Json();
    secrets.emplace_back(so);
  }
  o["secrets"] = Json(secrets);
  // authemu's client-authentication fields (RFC 7591 / RFC 8705 names in camelCase), when set.
  auto optional = [&o](const char* name, const std::optional<std::string>& v) {
    if (v) o[name] = json_string(*v);
  };
  optional("tokenEndpointAuthMethod", c.token_endpoint_auth_method);
  optional("tlsClientAuthSubjectDn", c.tls_client_auth_subject_dn);
  optional("tlsClientAuthSanDns", c.tls_client_auth_san_dns);
  optional("tlsClientAuthSanUri", c.tls_client_auth_san_uri);
  optional("tlsClientAuthSanIp", c.tls_client_auth_san_ip);
  optional("tlsClientAuthSanEmail", c.tls_client_auth_san_email);
  optional("jwksUri", c.jwks_uri);
  if (c.jwks) o["jwks"] = *c.jwks;
  if (c.tls_client_certificate_bound_access_tokens) o["tlsClientCertificateBoundAccessTokens"] = Json(true);
  optional("tokenEndpointAuthSigningAlg", c.token_endpoint_auth_signing_alg);
  if (c.dpop_bound_access_tokens) o["dpopBoundAccessTokens"] = Json(true);
  if (c.dpop_nonce) o["dpopNonce"] = Json(*c.dpop_nonce);
  if (c.require_openid) o["requireOpenid"] = Json(*c.require_openid);
  if (!c.resources.empty()) o["resources"] = json_string_array(c.resources);
  if (c.registered) o["registered"] = Json(true); // by /register or a client metadata document
  // authemu's claims of its tokens without a user (oauth/client_claims.h), when set.
  if (!c.claims.empty()) o["claims"] = Json(c.claims);
  if (!c.groups.empty()) o["groups"] = json_string_array(c.groups);
  optional("username", c.username);
  return Json(o);
}

Json user_json(const User& u) {
  JsonObject o;
  o["id"] = json_string(u.id);
  o["subject"] = json_string(u.subject.empty() ? u.id : u.subject); // a delegated user: the upstream sub
  o["email"] = json_string(u.email);
  return Json(o);
}

// Reads a JSON object body; on failure sets *error to the VALIDATION message.
std::optional<JsonObject> object_body(const std::string& body, ApiResult* error) {
  if (body.empty()) {
    *error = validation("request body is empty: expected a JSON object");
    return std::nullopt;
  }
  std::string why;
  auto value = parse_json(body, &why);
  if (!value) {
    *error = validation("invalid JSON: " + why);
    return std::nullopt;
  }
  if (!value->is<JsonObject>()) {
    *error = validation("expected a JSON object");
    return std::nullopt;
  }
  return value->get<JsonObject>();
}

bool read_string(const JsonObject& o, const char* name, std::string* out, std::string* error) {
  const Json* v = find_member(o, name);
  if (v == nullptr || v->is<picojson::null>()) return true;
  if (!v->is<std::string>()) {
    *error = std::string(name) + ": expected a string";
    return false;
  }
  if (v->get<std::string>().size() > kMaxFieldLength) {
    *error = std::string(name) + ": longer than " + std::to_string(kMaxFieldLength) + " bytes";
    return false;
  }
  *out = v->get<std::string>();
  return true;
}

bool read_optional_string(const JsonObject& o, const char* name, std::optional<std::string>* out,
                          std::string* error) {
  const Json* v = find_member(o, name);
  if (v == nullptr || v->is<picojson::null>()) return true;
  std::string s;
  if (!read_string(o, name, &s, error)) return false;
  *out = std::move(s);
  return true;
}

// A JWK set of at most 64 KiB of JSON.
bool read_jwks(const JsonObject& o, const char* name, std::optional<Json>* out, std::string* error) {
  const Json* v = find_member(o, name);
  if (v == nullptr || v->is<picojson::null>()) return true;
  if (dump_json(*v).size() > 65536) {
    *error = std::string(name) + ": larger than 65536 bytes";
    return false;
  }
  *out = *v;
  return true;
}

bool read_bool(const JsonObject& o, const char* name, bool* out, std::string* error) {
  const Json* v = find_member(o, name);
  if (v == nullptr || v->is<picojson::null>()) return true;
  if (!v->is<bool>()) {
    *error = std::string(name) + ": expected true or false";
    return false;
  }
  *out = v->get<bool>();
  return true;
}

bool read_optional_bool(const JsonObject& o, const char* name, std::optional<bool>* out, std::string* error) {
  if (const Json* v = find_member(o, name); v == nullptr || v->is<picojson::null>()) return true;
  bool value = false;
  if (!read_bool(o, name, &value, error)) return false;
  *out = value;
  return true;
}

bool read_list(const JsonObject& o, const char* name, std::vector<std::string>* out, std::string* error) {
  const Json* v = find_member(o, name);
  if (v == nullptr || v->is<picojson::null>()) return true;
  if (!v->is<JsonArray>()) {
    *error = std::string(name) + ": expected an array of strings";
    return false;
  }
  const auto& a = v->get<JsonArray>();
  if (a.size() > kMaxListItems) {
    *error = std::string(name) + ": more than " + std::to_string(kMaxListItems) + " items";
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is<std::string>() || a[i].get<std::string>().size() > kMaxFieldLength) {
      *error = std::string(name) + "[" + std::to_string(i) + "]: expected a string of at most " +
               std::to_string(kMaxFieldLength) + " bytes";
      return false;
    }
    out->push_back(a[i].get<std::string>());
  }
  return true;
}

bool read_metadata(const JsonObject& o, const char* name, std::optional<Metadata>* out, std::string* error) {
  const Json* v = find_member(o, name);
  if (v == nullptr || v->is<picojson::null>()) return true;
  if (!v->is<JsonObject>()) {
    *error = std::string(name) + ": expected an object of strings";
    return false;
  }
  const auto& m = v->get<JsonObject>();
  if (m.size() > kMaxMetadataEntries) {
    *error = std::string(name) + ": more than " + std::to_string(kMaxMetadataEntries) + " entries";
    return false;
  }
  Metadata result;
  size_t bytes = 0;
  for (const auto& [k, val] : m) {
    if (!val.is<std::string>() || k.size() > kMaxFieldLength || val.get<std::string>().size() > kMaxFieldLength) {
      *error = std::string(name) + "." + k.substr(0, 64) + ": expected a string of at most " +
               std::to_string(kMaxFieldLength) + " bytes";
      return false;
    }
    bytes += k.size() + val.get<std::string>().size();
    result[k] = val.get<std::string>();
  }
  if (bytes > kMaxMetadataBytes) {
    *error = std::string(name) + ": more than " + std::to_string(kMaxMetadataBytes) + " bytes of keys and values";
    return false;
  }
  *out = std::move(result);
  return true;
}

// A JSON object of at most kMaxClaimsBytes, none of its members a reserved claim.
bool read_claims(const JsonObject& o, const char* name, JsonObject* out, std::string* error) {
  const Json* v = find_member(o, name);
  if (v == nullptr || v->is<picojson::null>()) return true;
  if (!v->is<JsonObject>()) {
    *error = std::string(name) + ": expected an object";
    return false;
  }
  if (dump_json(*v).size() > kMaxClaimsBytes) {
    *error = std::string(name) + ": larger than " + std::to_string(kMaxClaimsBytes) + " bytes";
    return false;
  }
  *out = v->get<JsonObject>();
  return true;
}

// ClientOptions of the Formance spec; every field optional, unknown fields ignored.
bool read_client_options(const JsonObject& o, Client* c, std::string* error) {
  std::optional<Metadata> metadata;
  bool ok = read_string(o, "name", &c->name, error) && read_string(o, "description", &c->description, error) &&
            read_bool(o, "public", &c->is_public, error) && read_bool(o, "trusted", &c->trusted, error) &&
            read_list(o, "redirectUris", &c->redirect_uris, error) &&
            read_list(o, "postLogoutRedirectUris", &c->post_logout_redirect_uris, error) &&
            read_list(o, "scopes", &c->scopes, error) && read_metadata(o, "metadata", &metadata, error) &&
            read_optional_string(o, "tokenEndpointAuthMethod", &c->token_endpoint_auth_method, error) &&
            read_optional_string(o, "tlsClientAuthSubjectDn", &c->tls_client_auth_subject_dn, error) &&
            read_optional_string(o, "tlsClientAuthSanDns", &c->tls_client_auth_san_dns, error) &&
            read_optional_string(o, "tlsClientAuthSanUri", &c->tls_client_auth_san_uri, error) &&
            read_optional_string(o, "tlsClientAuthSanIp", &c->tls_client_auth_san_ip, error) &&
            read_optional_string(o, "tlsClientAuthSanEmail", &c->tls_client_auth_san_email, error) &&
            read_optional_string(o, "jwksUri", &c->jwks_uri, error) && read_jwks(o, "jwks", &c->jwks, error) &&
            read_bool(o, "tlsClientCertificateBoundAccessTokens", &c->tls_client_certificate_bound_access_tokens,
                      error) &&
            read_optional_string(o, "tokenEndpointAuthSigningAlg", &c->token_endpoint_auth_signing_alg, error) &&
            read_bool(o, "dpopBoundAccessTokens", &c->dpop_bound_access_tokens, error) &&
            read_optional_bool(o, "dpopNonce", &c->dpop_nonce, error) &&
            read_optional_bool(o, "requireOpenid", &c->require_openid, error) &&
            read_list(o, "resources", &c->resources, error);
  // The claims of its tokens without a user (oauth/client_claims.h).
  ok = ok && read_claims(o, "claims", &c->claims, error) && read_list(o, "groups", &c->groups, error) &&
       read_optional_string(o, "username", &c->username, error);
  if (metadata) c->metadata = std::move(*metadata);
  if (ok) {
    if (auto problem = client_auth_fields_problem(*c)) {
      *error = *problem;
      return false;
    }
    if (auto problem = client_claims_problem(*c)) {
      *error = *problem;
      return false;
    }
  }
  return ok;
}

// Client ids end up in URL paths and token claims: printable ASCII without '/', at most 256 bytes.
bool valid_client_id(const std::string& id) {
  if (id.empty() || id.size() > 256) return false;
  for (char c : id) {
    if (c <= 0x20 || c >= 0x7f || c == '/' || c == '?' || c == '#' || c == '%') return false;
  }
  return true;
}

} // namespace

ApiResult ManagementApi::list_clients() const {
  JsonArray list;
  for (const auto& c : clients_.list_dynamic())
    list.push_back(client_json(*c));
  return ApiResult{200, data(Json(list))};
}

ApiResult ManagementApi::create_client(const std::string& body) {
  ApiResult error;
  auto o = object_body(body, &error);
  if (!o) return error;
  Client c;
  std::string why;
  if (!read_client_options(*o, &c, &why) || !read_string(*o, "id", &c.id, &why)) return validation(why);
  if (c.id.empty()) {
    c.id = uuid_v4();
  } else if (!valid_client_id(c.id)) {
    return validation("id: expected 1 to 256 printable ASCII characters without '/', '?', '#', '%' or spaces");
  }
  switch (clients_.create(c)) {
  case ClientStore::CreateOutcome::id_taken:
    return ApiResult{409, management_error("CONFLICT", "client " + c.id + " already exists")};
  case ClientStore::CreateOutcome::full:
    return validation("too many clients: the limit is " + std::to_string(kMaxDynamicClients));
  case ClientStore::CreateOutcome::created:
    break;
  }
  return ApiResult{201, data(client_json(c))};
}

ApiResult ManagementApi::read_client(const std::string& id) const {
  auto c = clients_.find_dynamic(id);
  if (!c) return not_found();
  return ApiResult{200, data(client_json(*c))};
}

ApiResult ManagementApi::update_client(const std::string& id, const std::string& body) {
  ApiResult error;
  auto o = object_body(body, &error);
  if (!o) return error;
  Client options; // full replacement: what the body omits is cleared
  std::string why;
  if (!read_client_options(*o, &options, &why)) return validation(why);
  options.id = id; // an id in the body is ignored, as Formance does
  auto updated = clients_.update(options);
  if (!updated) return not_found();
  return ApiResult{200, data(client_json(*updated))};
}

ApiResult ManagementApi::delete_client(const std::string& id) {
  clients_.remove(id);
  return ApiResult{204, ""};
}

ApiResult ManagementApi::create_secret(const std::string& client_id, const std::string& body) {
  if (!clients_.find_dynamic(client_id)) return not_found();
  ApiResult error;
  auto o = object_body(body, &error);
  if (!o) return error;
  std::string name, why;
  std::optional<Metadata> metadata;
  if (!read_string(*o, "name", &name, &why) || !read_metadata(*o, "metadata", &metadata, &why)) return validation(why);
  ClientStore::NewSecret created;
  switch (clients_.add_secret(client_id, name, std::move(metadata), &created)) {
  case ClientStore::SecretOutcome::ok:
    break;
  case ClientStore::SecretOutcome::full:
    return validation("too many secrets: the limit is " + std::to_string(kMaxSecretsPerClient) + " per client");
  default:
    return not_found();
  }
  // Formance answers 200 with id, lastDigits, name and the clear secret (shown only here).
  JsonObject s;
  s["id"] = json_string(created.secret.id);
  s["lastDigits"] = json_string(created.secret.last_digits);
  s["name"] = json_string(created.secret.name);
  s["clear"] = json_string(created.clear);
  return ApiResult{200, data(Json(s))};
}

ApiResult ManagementApi::delete_secret(const std::string& client_id, const std::string& secret_id) {
  if (clients_.delete_secret(client_id, secret_id) != ClientStore::SecretOutcome::ok) return not_found();
  return ApiResult{204, ""};
}

ApiResult ManagementApi::list_users() const {
  JsonArray list;
  for (const auto& u : users_.list())
    list.push_back(user_json(*u));
  return ApiResult{200, data(Json(list))};
}

ApiResult ManagementApi::read_user(const std::string& id) const {
  auto u = users_.find(id);
  if (u == nullptr) return not_found();
  return ApiResult{200, data(user_json(*u))};
}

} // namespace authemu
