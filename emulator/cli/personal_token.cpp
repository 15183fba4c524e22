#include "cli/personal_token.h"

#include <httplib.h>

#include "base/json.h"
#include "stack/environment.h"

namespace authemu {

namespace {

// POSTs a form and returns the JSON object of a 200 answer; else nothing and *error.
std::optional<JsonObject> post_form(httplib::Client& client, const std::string& path, const httplib::Params& form,
                                    const std::string& step, std::string* error) {
  auto res = client.Post(path, form);
  if (!res) {
    *error = step + ": no answer: " + httplib::to_string(res.error());
    return std::nullopt;
  }
  std::string why;
  auto body = parse_json(res->body, &why);
  if (res->status != 200 || !body || !body->is<JsonObject>()) {
    *error = step + ": status " + std::to_string(res->status) + ": " + res->body;
    return std::nullopt;
  }
  return body->get<JsonObject>();
}

} // namespace

bool personal_token(const Options& o, std::string* token, std::string* error) {
  if (o.username.empty() || o.password.empty()) {
    *error = "--username and --password are required";
    return false;
  }
  std::string environment = environment_label(o.environment);
  httplib::Client client(o.url);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(10, 0);
  if (!client.is_valid()) {
    *error = "--url: not a URL: " + o.url;
    return false;
  }
  httplib::Params login = {{"grant_type", "password"},
                           {"username", o.username},
                           {"password", o.password},
                           {"scope", o.scope},
                           {"client_id", o.client_id}};
  if (!o.client_secret.empty()) login.emplace("client_secret", o.client_secret);
  auto platform = post_form(client, "/platform/oauth/token", login, "platform login", error);
  if (!platform) return false;

  httplib::Params exchange = {{"grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"},
                              {"subject_token", find_string(*platform, "access_token").value_or("")},
                              {"subject_token_type", "urn:ietf:params:oauth:token-type:access_token"},
                              {"audience", environment},
                              {"client_id", o.client_id}};
  if (!o.client_secret.empty()) exchange.emplace("client_secret", o.client_secret);
  auto bound = post_form(client, "/platform/oauth/token", exchange, "token exchange", error);
  if (!bound) return false;

  std::string name = environment_name(environment);
  std::string env_path = name.empty() ? "/api/auth" : "/" + name + "/api/auth";
  httplib::Params bearer = {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"},
                            {"assertion", find_string(*bound, "access_token").value_or("")},
                            {"scope", "openid email"}};
  auto env = post_form(client, env_path + "/oauth/token", bearer, "environment token", error);
  if (!env) return false;
  *token = find_string(*env, "access_token").value_or("");
  return !token->empty();
}

} // namespace authemu
