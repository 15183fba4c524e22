#include "cli/admin_client.h"

#include <httplib.h>

#include <algorithm>

#include "base/config_error.h"
#include "base/json.h"
#include "oauth/form.h"
#include "testkit/admin_api.h"

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

// name=value and name:=JSON words into an object.
JsonObject members(const std::vector<std::string>& words, size_t from) {
  JsonObject o;
  for (size_t i = from; i < words.size(); ++i) {
    const std::string& w = words[i];
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

std::string query_of(const JsonObject& o) {
  std::string q;
  for (const auto& [name, value] : o) {
    q += (q.empty() ? "?" : "&") + httplib::detail::encode_query_param(name) + "=" +
         httplib::detail::encode_query_param(value.is<std::string>() ? value.get<std::string>() : value.serialize());
  }
  return q;
}

} // namespace

AdminCall admin_call(const std::string& command, const std::vector<std::string>& args, const std::string& environment,
                     const std::string& user) {
  const std::string base = kAdminPrefix;
  AdminCall c;
  auto body_of = [&](JsonObject o) {
    if (!environment.empty()) o["environment"] = json_string(environment);
    return o.empty() ? std::string() : dump_json(Json(o));
  };
  auto env_query = [&]() {
    return environment.empty() ? std::string() : "?environment=" + httplib::detail::encode_query_param(environment);
  };
  auto words = [&](size_t n, const std::string& usage) {
    if (args.size() != n) throw ConfigError(command + ": usage: authemu " + usage);
  };
  if (command == "clock") {
    std::string verb = args.empty() ? "show" : args[0];
    c.path = base + "/clock";
    if (verb == "show") {
      c.method = "GET";
      c.path += env_query();
    } else if (verb == "advance" || verb == "set") {
      words(2, "clock " + verb + (verb == "set" ? " TIME" : " DURATION"));
      JsonObject o;
      std::string ignored;
      auto n = parse_json(args[1], &ignored);
      o[verb] = n && n->is<int64_t>() ? *n : json_string(args[1]);
      c.method = "POST";
      c.body = body_of(o);
    } else if (verb == "freeze" || verb == "unfreeze") {
      words(1, "clock " + verb);
      c.method = "POST";
      c.body = body_of(JsonObject{{"freeze", Json(verb == "freeze")}});
    } else if (verb == "reset") {
      words(1, "clock reset");
      c.method = "DELETE";
      c.path += env_query();
    } else {
      throw ConfigError("clock: unknown action '" + verb + "' (advance, set, freeze, unfreeze, reset)");
    }
  } else if (command == "reset") {
    words(0, "reset [--environment E]");
    c.method = "POST";
    c.path = base + "/reset";
    c.body = body_of({});
  } else if (command == "mint") {
    c.method = "POST";
    c.path = base + "/mint";
    c.body = body_of(members(args, 0));
    if (c.body.empty()) c.body = "{}";
    c.token_only = true;
  } else if (command == "keys") {
    words(0, "keys [--environment E]");
    c.method = "GET";
    c.path = base + "/keys" + env_query();
  } else if (command == "rotate-key") {
    c.method = "POST";
    c.path = base + "/keys/rotate";
    c.body = body_of(members(args, 0));
    if (c.body.empty()) c.body = "{}";
  } else if (command == "fault") {
    c.path = base + "/faults";
    if (!args.empty() && args[0] == "list") {
      words(1, "fault list");
      c.method = "GET";
      c.path += env_query();
    } else if (!args.empty() && args[0] == "clear") {
      words(1, "fault clear");
      c.method = "DELETE";
      c.path += env_query();
    } else {
      if (args.empty())
        throw ConfigError("fault: usage: authemu fault endpoint=token error=invalid_grant [count=N] [client_id=C] "
                          "[status=N] [delay=2s]");
      c.method = "POST";
      c.body = body_of(members(args, 0));
    }
  } else if (command == "journal") {
    c.path = base + "/journal";
    if (!args.empty() && args[0] == "clear") {
      words(1, "journal clear");
      c.method = "DELETE";
      c.path += env_query();
    } else {
      JsonObject q = members(args, 0);
      if (!environment.empty()) q["environment"] = json_string(environment);
      c.method = "GET";
      c.path += query_of(q);
    }
  } else if (command == "login") {
    c.path = base + "/logins";
    if (!args.empty() && (args[0] == "list" || args[0] == "clear")) {
      words(1, "login " + args[0]);
      c.method = args[0] == "list" ? "GET" : "DELETE";
      c.path += env_query();
    } else {
      if (args.empty()) {
        throw ConfigError("login: usage: authemu login user=U | subject=S [claims:=JSON] | error=CODE [client_id=C] "
                          "[count=N] | list | clear");
      }
      c.method = "POST";
      c.body = body_of(members(args, 0));
    }
  } else if (command == "sessions") {
    c.path = base + "/sessions";
    if (args.empty() || args[0] == "list") {
      words(args.empty() ? 0 : 1, "sessions [list | end SID | clear]");
      c.method = "GET";
      c.path += env_query();
    } else if (args[0] == "end") {
      words(2, "sessions end SID");
      c.method = "DELETE";
      c.path += "/" + httplib::detail::encode_query_param(args[1]) + env_query();
    } else if (args[0] == "clear") {
      words(1, "sessions clear");
      c.method = "DELETE";
      c.path += env_query();
    } else {
      throw ConfigError("sessions: unknown action '" + args[0] + "' (list, end, clear)");
    }
  } else if (command == "users") {
    c.path = base + "/users";
    if (args.empty() || args[0] == "list") {
      words(args.empty() ? 0 : 1, "users [list | add username=U [password=P email=E …] | remove ID]");
      c.method = "GET";
      c.path += env_query();
    } else if (args[0] == "add") {
      c.method = "POST";
      c.body = body_of(members(args, 1));
    } else if (args[0] == "remove") {
      words(2, "users remove ID");
      c.method = "DELETE";
      c.path += "/" + httplib::detail::encode_query_param(args[1]) + env_query();
    } else {
      throw ConfigError("users: unknown action '" + args[0] + "' (list, add, remove)");
    }
  } else if (command == "device") {
    c.path = base + "/devices";
    if (args.empty() || args[0] == "list") {
      words(args.empty() ? 0 : 1, "device [list | approve CODE [--user U] | deny CODE [--user U]]");
      c.method = "GET";
      c.path += env_query();
    } else if (args[0] == "approve" || args[0] == "deny") {
      words(2, "device " + args[0] + " CODE [--user U]");
      c.method = "POST";
      c.path += "/" + httplib::detail::encode_query_param(args[1]) + "/" + args[0];
      JsonObject o;
      if (!user.empty()) o["user"] = json_string(user);
      c.body = body_of(o);
      if (c.body.empty()) c.body = "{}";
    } else {
      throw ConfigError("device: unknown action '" + args[0] + "' (list, approve, deny)");
    }
  } else {
    throw ConfigError("unknown admin command " + command);
  }
  return c;
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
