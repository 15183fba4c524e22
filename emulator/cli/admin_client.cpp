#include "cli/admin_client.h"

#include "cli/tls_command.h"
#include "cli/tls_setup.h"

#include <httplib.h>

#include <algorithm>

#include "base/config_error.h"
#include "base/json.h"
#include "base/origin.h"
#include "cli/commands.h"

namespace authemu {

namespace {

// Members the admin API reads as strings: name=123 stays "123" for these.
bool is_string_member(const std::string& name) {
  static const char* kStrings[] = {
      "environment", "case",  "client_id", "user",         "sub",        "aud",   "iss",
      "scope",       "typ",   "signature", "endpoint",     "grant_type", "error", "error_description",
      "outcome",     "token", "nonce",     "access_token", "subject",    "id",    "username",
      "password",    "email", "name"};
  return std::any_of(std::begin(kStrings), std::end(kStrings), [&](const char* s) { return name == s; });
}

} // namespace

void AdminWords::expect(size_t n, const std::string& usage) const {
  if (args.size() != n) throw ConfigError(command + ": usage: authemu " + usage);
}

JsonObject AdminWords::members(size_t from) const {
  JsonObject o;
  for (size_t i = from; i < args.size(); ++i) {
    const std::string& w = args[i];
    size_t eq = w.find('=');
    if (eq == std::string::npos || eq == 0) throw ConfigError("'" + w + "': expected name=value or name:=JSON");
    bool raw = w[eq - 1] == ':';
    std::string name = w.substr(0, raw ? eq - 1 : eq), value = w.substr(eq + 1);
    if (name.empty()) throw ConfigError("'" + w + "': expected name=value or name:=JSON");
    if (o.count(name)) throw ConfigError(name + ": given twice");
    std::string error;
    if (raw) {
      auto v = parse_json(value, &error);
      if (!v) throw ConfigError(name + ": not JSON: " + error);
      o[name] = *v;
      continue;
    }
    if (!is_string_member(name)) {
      auto v = parse_json(value, &error);
      if (v && (v->is<int64_t>() || v->is<bool>())) {
        o[name] = *v;
        continue;
      }
    }
    o[name] = json_string(value);
  }
  return o;
}

std::string AdminWords::body_of(JsonObject o) const {
  if (!environment.empty()) o["environment"] = json_string(environment);
  return o.empty() ? std::string() : dump_json(Json(o));
}

std::string AdminWords::env_query() const {
  return environment.empty() ? std::string() : "?environment=" + httplib::detail::encode_query_param(environment);
}

std::string AdminWords::query_of(JsonObject o) const {
  if (!environment.empty()) o["environment"] = json_string(environment);
  std::string q;
  for (const auto& [name, value] : o) {
    q += (q.empty() ? "?" : "&") + httplib::detail::encode_query_param(name) + "=" +
         httplib::detail::encode_query_param(value.is<std::string>() ? value.get<std::string>() : value.serialize());
  }
  return q;
}

std::string AdminWords::segment(const std::string& word) {
  return httplib::detail::encode_query_param(word);
}

AdminCall admin_call(const std::string& command, const std::vector<std::string>& args, const std::string& environment,
                     const std::string& user) {
  const Command* c = find_command(command);
  if (c == nullptr || c->call == nullptr) throw ConfigError("unknown admin command " + command);
  return c->call(AdminWords{command, args, environment, user});
}

int run_admin_command(const Options& o, std::ostream& out, std::ostream& err) {
  AdminCall call = admin_call(o.command, o.args, o.environment, o.user);
  httplib::Client client(o.url);
  if (!client.is_valid()) throw ConfigError("--url: not a URL: " + o.url);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(70, 0); // a delayed request may be waiting on a fault of up to 60 s
  httplib::Headers headers;
  if (!o.admin_token.empty()) headers.emplace("Authorization", "Bearer " + o.admin_token);
  httplib::Result res = call.method == "GET"      ? client.Get(call.path, headers)
                        : call.method == "DELETE" ? client.Delete(call.path, headers)
                                                  : client.Post(call.path, headers, call.body, "application/json");
  std::string prefix = "authemu " + o.command + ": ";
  if (!res) {
    err << prefix << "no answer from " << o.url << ": " << httplib::to_string(res.error()) << "\n";
    return 1;
  }
  std::string why;
  auto body = parse_json(res->body, &why);
  if (res->status >= 300) {
    if (body && body->is<JsonObject>()) {
      const JsonObject& e = body->get<JsonObject>();
      err << prefix << res->status << " " << find_string(e, "errorCode").value_or("") << ": "
          << find_string(e, "errorMessage").value_or(res->body) << "\n";
    } else {
      err << prefix << res->status << (res->status == 404 ? " (is the admin API on? --admin-api)" : "") << "\n";
    }
    return 1;
  }
  if (call.token_only && body && body->is<JsonObject>()) {
    const JsonObject& o = body->get<JsonObject>();
    out << find_string(o, "access_token").value_or(find_string(o, "id_token").value_or("")) << "\n";
  } else if (!res->body.empty()) {
    out << res->body << "\n";
  }
  return 0;
}

} // namespace authemu

namespace authemu {

bool probe_health(const std::string& host, int port, std::string* error) {
  httplib::Client client(host, port);
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(2, 0);
  auto res = client.Get("/_healthcheck");
  if (!res) {
    *error = "no answer from " + host + ":" + std::to_string(port) + ": " + httplib::to_string(res.error());
    return false;
  }
  if (res->status != 200) {
    *error = "status " + std::to_string(res->status);
    return false;
  }
  return true;
}

} // namespace authemu

namespace authemu {

int run_healthcheck(const Options& options, std::ostream& err) {
  ListenAddress a = parse_listen(options.listen);
  std::string host = local_connect_host(a.host);
  std::string error;
  if (options.tls) {
    // The CA file the server wrote (or --tls-ca-out) and --tls-trust; 127.0.0.1 for a wildcard,
    // which the generated certificate covers.
    std::vector<std::string> trust{options.tls_ca_out.empty() ? default_ca_file(a.port) : options.tls_ca_out};
    if (!options.tls_trust.empty()) trust.push_back(options.tls_trust);
    if (probe_health_tls(host, a.port, trust, &error)) return 0;
  } else if (probe_health(host, a.port, &error)) {
    return 0;
  }
  err << "authemu healthcheck: " << error << "\n";
  return 1;
}

} // namespace authemu
