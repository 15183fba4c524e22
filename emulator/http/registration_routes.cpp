#include "http/registration_routes.h"

#include "base/base64.h"
#include "http/app.h"
#include "http/bearer.h"
#include "http/responses.h"
#include "jose/crypto.h"
#include "oauth/bearer_auth.h"
#include "oauth/oauth_error.h"
#include "oauth/registration.h"

namespace authemu {

namespace {

HttpResponse json_answer(int status, const JsonObject& o) {
  HttpResponse res;
  res.json(status, dump_json(Json(o)));
  no_store(res); // RFC 7591 §3.2.1: it carries credentials
  return res;
}

// RFC 7591 §3: an off environment has no registration endpoint.
void check_enabled(RouteCall& c) {
  if (c.env().settings().registration == "off") {
    throw oauth::with_code("not_found", "registration is off in environment " + c.env().label() + " (--registration)", 404);
  }
}

// The JSON object of a registration request; throws invalid_client_metadata.
JsonObject metadata_body(const HttpRequest& req) {
  if (!req.is_json()) throw oauth::invalid_client_metadata("Content-Type must be application/json (RFC 7591 section 3.1)");
  if (req.body.size() > kMaxRegistrationBytes) {
    throw oauth::invalid_client_metadata("metadata larger than " + std::to_string(kMaxRegistrationBytes) + " bytes");
  }
  std::string error;
  auto v = parse_json(req.body, &error);
  if (!v) throw oauth::invalid_client_metadata("body is not JSON: " + error);
  if (!v->is<JsonObject>()) throw oauth::invalid_client_metadata("body must be a JSON object");
  return v->get<JsonObject>();
}

std::optional<std::string> bearer_of(const HttpRequest& req) {
  auto t = authorization_token(req, "Bearer");
  if (!t || t->malformed) return std::nullopt;
  return t->token;
}

// 401 invalid_token with the Bearer challenge (RFC 6750 §3): a missing or wrong token.
HttpResponse token_refusal(const std::string& description, bool sent) {
  HttpResponse res;
  return bearer_error(res, 401, sent ? "invalid_token" : "", description, "");
}

std::string new_token() {
  return base64url_encode(random_bytes(32));
}

void add_secret(Client& c, const std::string& clear) {
  ClientSecret s;
  s.id = uuid_v4();
  s.name = "registration";
  s.hash = hash_secret(clear);
  s.last_digits = clear.substr(clear.size() - 4);
  s.clear = clear; // the store keeps it only for client_secret_jwt
  c.secrets.push_back(std::move(s));
}

// The registered client a registration access token manages (RFC 7592 §2), or the refusal.
std::variant<ClientStore::Ptr, HttpResponse> managed(RouteCall& c, std::string* token) {
  auto presented = bearer_of(c.req);
  if (!presented) return token_refusal("the registration access token is required (Authorization: Bearer)", false);
  ClientStore::Ptr client = c.env().clients().find_dynamic(c.params[0]);
  // §2.1: an unknown client is 401 too, as a wrong token: nothing tells which one it was.
  if (!client || !client->registered ||
      !constant_time_equal(hash_secret(*presented), client->registration_token_hash)) {
    return token_refusal("not the registration access token of client " + c.params[0], true);
  }
  *token = *presented;
  return client;
}

} // namespace

HttpResponse register_route(RouteCall& c) {
  check_enabled(c);
  Environment& env = c.env();
  if (env.settings().registration == "token") {
    auto token = bearer_of(c.req);
    if (!token) return token_refusal("registration needs an initial access token (Authorization: Bearer)", false);
    if (!env.accepts_initial_access_token(*token)) return token_refusal("not an initial access token of this environment", true);
  }
  JsonObject metadata = metadata_body(c.req);
  Client client = client_from_metadata(metadata, uuid_v4());
  client.issued_at = env.clock().now();
  std::optional<std::string> secret;
  if (gets_client_secret(client)) {
    secret = new_token();
    add_secret(client, *secret);
  }
  std::string token = new_token();
  client.registration_token_hash = hash_secret(token);
  Client stored = client;
  switch (env.clients().create(std::move(stored))) {
  case ClientStore::CreateOutcome::created:
    break;
  case ClientStore::CreateOutcome::id_taken:
    throw oauth::server_error("client id collision");
  case ClientStore::CreateOutcome::full:
    throw oauth::invalid_client_metadata("environment " + env.label() + " holds " + std::to_string(kMaxDynamicClients) +
                                         " dynamic clients already (the cap): delete some, or reset");
  }
  return json_answer(201, registration_answer(client, secret, token, c.issuer() + "/register/" + client.id));
}

HttpResponse read_registration_route(RouteCall& c) {
  check_enabled(c);
  std::string token;
  auto found = managed(c, &token);
  if (auto* refusal = std::get_if<HttpResponse>(&found)) return *refusal;
  const Client& client = *std::get<ClientStore::Ptr>(found);
  return json_answer(200, registration_answer(client, std::nullopt, token, c.issuer() + "/register/" + client.id));
}

HttpResponse update_registration_route(RouteCall& c) {
  check_enabled(c);
  std::string token;
  auto found = managed(c, &token);
  if (auto* refusal = std::get_if<HttpResponse>(&found)) return *refusal;
  const Client& old = *std::get<ClientStore::Ptr>(found);
  JsonObject metadata = metadata_body(c.req);
  // RFC 7592 §2.2: the whole registration again, with its client_id, without the server's members.
  if (find_string(metadata, "client_id") != std::optional<std::string>(old.id)) {
    throw oauth::invalid_client_metadata("client_id: must be " + old.id + " (RFC 7592 section 2.2)");
  }
  for (const char* member : {"registration_access_token", "registration_client_uri", "client_secret_expires_at",
                             "client_id_issued_at"}) {
    if (metadata.count(member)) {
      throw oauth::invalid_client_metadata(std::string(member) + ": the server's member, not sent on update (RFC 7592 section 2.2)");
    }
  }
  if (auto sent = find_string(metadata, "client_secret"); sent && !secret_matches(old, *sent)) {
    throw oauth::invalid_client_metadata("client_secret: does not match the client's secret");
  }
  Client next = client_from_metadata(metadata, old.id);
  next.issued_at = old.issued_at;
  next.registration_token_hash = old.registration_token_hash;
  std::optional<std::string> secret;
  if (gets_client_secret(next)) {
    next.secrets = old.secrets;
    if (next.secrets.empty()) {
      secret = new_token();
      add_secret(next, *secret);
    }
  }
  ClientStore::Ptr stored = c.env().clients().replace(next);
  if (!stored) return token_refusal("not the registration access token of client " + old.id, true);
  return json_answer(200, registration_answer(*stored, secret, token, c.issuer() + "/register/" + old.id));
}

HttpResponse delete_registration_route(RouteCall& c) {
  check_enabled(c);
  std::string token;
  auto found = managed(c, &token);
  if (auto* refusal = std::get_if<HttpResponse>(&found)) return *refusal;
  c.env().clients().remove(std::get<ClientStore::Ptr>(found)->id);
  HttpResponse res;
  res.status = 204; // RFC 7592 §2.3
  return res;
}

} // namespace authemu
