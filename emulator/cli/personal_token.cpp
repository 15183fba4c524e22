#include "cli/personal_token.h"

#include <httplib.h>

#include <memory>

#include "base/json.h"
#include "cli/admin_client.h"
#include "stack/environment.h"

namespace authemu {

namespace {

// The server at --url: plain http through httplib, https through http/ (trusting tls_trust too).
struct Server {
  const Options& o;
  const std::vector<std::string>& tls_trust;
  std::unique_ptr<httplib::Client> client; // http only: httplib throws on an https URL

  // POSTs a form: its status and body, or nothing and *error.
  std::optional<FetchResponse> post(const std::string& path, const httplib::Params& form, const std::string& step,
                                    std::string* error) const {
    if (is_https_url(o.url)) {
      FetchRequest r{"POST", o.url.substr(0, o.url.find_last_not_of('/') + 1) + path,
                     {{"Content-Type", "application/x-www-form-urlencoded"}},
                     httplib::detail::params_to_query_str(form)};
      try {
        return https_command_request(r, tls_trust, std::chrono::seconds(15));
      } catch (const FetchError& e) {
        *error = step + ": no answer: " + e.what();
        return std::nullopt;
      }
    }
    auto res = client->Post(path, form);
    if (!res) {
      *error = step + ": no answer: " + httplib::to_string(res.error());
      return std::nullopt;
    }
    return FetchResponse{res->status, {}, res->body, o.url};
  }
};

// POSTs a form and returns the JSON object of a 200 answer; else nothing and *error.
std::optional<JsonObject> post_form(const Server& server, const std::string& path, const httplib::Params& form,
                                    const std::string& step, std::string* error) {
  auto res = server.post(path, form, step, error);
  if (!res) return std::nullopt;
  std::string why;
  auto body = parse_json(res->body, &why);
  if (res->status != 200 || !body || !body->is<JsonObject>()) {
    *error = step + ": status " + std::to_string(res->status) + ": " + res->body;
    return std::nullopt;
  }
  return body->get<JsonObject>();
}

} // namespace

bool personal_token(const Options& o, std::string* token, std::string* error, const std::vector<std::string>& tls_trust) {
  if (o.username.empty() || o.password.empty()) {
    *error = "--username and --password are required";
    return false;
  }
  std::string environment = environment_label(o.environment);
  Server server{o, tls_trust, nullptr};
  if (!is_https_url(o.url)) {
    server.client = std::make_unique<httplib::Client>(o.url);
    server.client->set_connection_timeout(5, 0);
    server.client->set_read_timeout(10, 0);
    if (!server.client->is_valid()) {
      *error = "--url: not a URL: " + o.url;
      return false;
    }
  }
  httplib::Params login = {{"grant_type", "password"},
                           {"username", o.username},
                           {"password", o.password},
                           {"scope", o.scope},
                           {"client_id", o.client_id}};
  if (!o.client_secret.empty()) login.emplace("client_secret", o.client_secret);
  auto platform = post_form(server, "/platform/oauth/token", login, "platform login", error);
  if (!platform) return false;

  httplib::Params exchange = {{"grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"},
                              {"subject_token", find_string(*platform, "access_token").value_or("")},
                              {"subject_token_type", "urn:ietf:params:oauth:token-type:access_token"},
                              {"audience", environment},
                              {"client_id", o.client_id}};
  if (!o.client_secret.empty()) exchange.emplace("client_secret", o.client_secret);
  auto bound = post_form(server, "/platform/oauth/token", exchange, "token exchange", error);
  if (!bound) return false;

  std::string name = environment_name(environment);
  std::string env_path = name.empty() ? "/api/auth" : "/" + name + "/api/auth";
  httplib::Params bearer = {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"},
                            {"assertion", find_string(*bound, "access_token").value_or("")},
                            {"scope", "openid email"}};
  auto env = post_form(server, env_path + "/oauth/token", bearer, "environment token", error);
  if (!env) return false;
  *token = find_string(*env, "access_token").value_or("");
  return !token->empty();
}

} // namespace authemu
