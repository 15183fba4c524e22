#include "cli/admin_client.h"

#include <httplib.h>

#include <algorithm>

#include "base/config_error.h"
#include "base/json.h"
#include "base/origin.h"
#include "cli/commands.h"
#include "cli/tls_setup.h"
#include "http/http_fetcher.h"

namespace authemu {

namespace {

// Members the admin API reads as strings: name=123 stays "123" for these.
bool is_string_member(const std::string& name) {
  static const char* kStrings[] = {
      "environment", "case",  "client_id", "user",         "sub",        "aud",   "iss",
      "scope",       "typ",   "signature", "endpoint",     "grant_type", "error", "error_description",
      "outcome",     "token", "nonce",     "access_token", "subject",    "id",    "username",
      "password",    "email", "name",      "htm",          "htu",        "secret", "jti", "alg"};
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

bool is_https_url(const std::string& url) {
  return url.size() >= 8 && iequals(std::string_view(url).substr(0, 8), "https://");
}

FetchResponse https_command_request(const FetchRequest& request, const std::vector<std::string>& tls_trust,
                                    std::chrono::milliseconds timeout) {
  FetchLimits limits;
  limits.timeout = timeout;
  limits.max_body = 64 * 1024 * 1024; // a journal or a list of sessions may be long
  TlsTrustSources trust;
  trust.pem_files = tls_trust;
  return HttpFetcher(limits, trust).fetch(request);
}

std::optional<FetchResponse> send_admin(const Options& o, const AdminCall& call, const std::vector<std::string>& trust,
                                        const std::string& prefix, std::ostream& err) {
  Headers headers;
  if (!o.admin_token.empty()) headers.emplace_back("Authorization", "Bearer " + o.admin_token);
  if (is_https_url(o.url)) {
    FetchRequest r{call.method, o.url.substr(0, o.url.find_last_not_of('/') + 1) + call.path, headers, ""};
    if (call.method == "POST") {
      r.headers.emplace_back("Content-Type", "application/json");
      r.body = call.body;
    }
    try {
      // 75 s: a delayed request may be waiting on a fault of up to 60 s.
      return https_command_request(r, trust, std::chrono::seconds(75));
    } catch (const FetchError& e) {
      err << prefix << "no answer: " << e.what() << "\n";
      return std::nullopt;
    }
  }
  httplib::Client client(o.url);
  if (!client.is_valid()) throw ConfigError("--url: not a URL: " + o.url);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(70, 0); // a delayed request may be waiting on a fault of up to 60 s
  httplib::Headers fields(headers.begin(), headers.end());
  httplib::Result res = call.method == "GET"      ? client.Get(call.path, fields)
                        : call.method == "DELETE" ? client.Delete(call.path, fields)
                                                  : client.Post(call.path, fields, call.body, "application/json");
  if (!res) {
    err << prefix << "no answer from " << o.url << ": " << httplib::to_string(res.error()) << "\n";
    return std::nullopt;
  }
  return FetchResponse{res->status, {}, res->body, o.url};
}

bool report_admin_refusal(const FetchResponse& res, const std::string& prefix, std::ostream& err) {
  if (res.status < 300) return false;
  std::string why;
  auto body = parse_json(res.body, &why);
  if (body && body->is<JsonObject>()) {
    const JsonObject& e = body->get<JsonObject>();
    err << prefix << res.status << " " << find_string(e, "errorCode").value_or("") << ": "
        << find_string(e, "errorMessage").value_or(res.body) << "\n";
  } else {
    err << prefix << res.status << (res.status == 404 ? " (is the admin API on? --admin-api)" : "") << "\n";
  }
  return true;
}

int run_admin_command(const Options& o, std::ostream& out, std::ostream& err, const std::vector<std::string>& trust) {
  AdminCall call = admin_call(o.command, o.args, o.environment, o.user);
  std::string prefix = "authemu " + o.command + ": ";
  std::optional<FetchResponse> res = send_admin(o, call, trust, prefix, err);
  if (!res) return 1;
  if (report_admin_refusal(*res, prefix, err)) return 1;
  std::string why;
  auto body = parse_json(res->body, &why);
  if (call.token_only && body && body->is<JsonObject>()) {
    const JsonObject& o = body->get<JsonObject>();
    // A DPoP-bound token comes with the key its proofs are signed with: the whole answer then.
    if (find_member(o, "dpop_key") != nullptr) {
      out << res->body << "\n";
      return 0;
    }
    std::string token;
    for (const char* member : {"access_token", "id_token", "dpop_proof", "client_assertion"})
      if (token.empty()) token = find_string(o, member).value_or("");
    out << token << "\n";
  } else if (!res->body.empty()) {
    out << res->body << "\n";
  }
  return 0;
}

} // namespace authemu

namespace authemu {

bool probe_health(const std::string& host, int port, std::string* error, bool tls,
                  const std::vector<std::string>& tls_trust) {
  if (tls) {
    std::string url = "https://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                      std::to_string(port) + "/_healthcheck";
    try {
      FetchResponse res = https_command_request(FetchRequest{"GET", url, {}, ""}, tls_trust, std::chrono::seconds(4));
      if (res.status == 200) return true;
      *error = "status " + std::to_string(res.status);
    } catch (const std::exception& e) {
      *error = e.what();
    }
    return false;
  }
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
  // Over TLS: trusting the CA file the server wrote (or --tls-ca-out) and --tls-trust; a wildcard
  // is probed at 127.0.0.1, which the generated certificate covers.
  if (probe_health(host, a.port, &error, options.tls, options.tls ? cli_trust_files(options, "https://" + url_host(host) + ":" + std::to_string(a.port))
                                                                   : std::vector<std::string>{}))
    return 0;
  err << "authemu healthcheck: " << error << "\n";
  return 1;
}

} // namespace authemu
