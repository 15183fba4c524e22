#include "stack/fixtures.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "base/config_error.h"
#include "base/duration.h"
#include "base/number.h"
#include "jose/key_store.h"
#include "oauth/client_auth.h"
#include "oauth/client_claims.h"
#include "oauth/grant_registry.h"
#include "stack/node_stream.h"

namespace authemu {

namespace {

class Reader {
public:
  Reader(const std::string& source, const EnvLookup& env, std::vector<std::string>* warnings)
      : source_(source), env_(env), warnings_(warnings) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& path, const std::string& what) const {
    throw ConfigError(at(node) + path + ": " + what);
  }
  std::string where(const YAML::Node& node) const { return source_ + ":" + std::to_string(node.Mark().line + 1); }
  // A map's key; YAML keys are unique (YAML 1.2 section 3.2.1.1), which yaml-cpp does not check.
  std::string key(const YAML::Node& k, const std::string& path, std::set<std::string>& seen) const {
    std::string name = scalar(k, path.empty() ? "(top level)" : path), p = path.empty() ? name : path + "." + name;
    if (!seen.insert(name).second) fail(k, p, "duplicate key");
    return name;
  }
  void warn(const YAML::Node& node, const std::string& path, const std::string& what) const {
    warnings_->push_back(at(node) + path + ": " + what);
  }
  // "file:line: " before a message; nothing for input without a file (an environment made at run time).
  std::string at(const YAML::Node& node) const { return source_.empty() ? "" : where(node) + ": "; }

  std::string scalar(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar()) fail(node, path, "expected a string");
    return node.Scalar();
  }
  bool boolean(const YAML::Node& node, const std::string& path) const {
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) fail(node, path, "expected true or false");
    return value;
  }
  std::vector<std::string> string_list(const YAML::Node& node, const std::string& path) const {
    std::vector<std::string> out;
    if (node.IsNull()) return out;
    if (!node.IsSequence()) fail(node, path, "expected a list of strings");
    for (size_t i = 0; i < node.size(); ++i) {
      if (!node[i].IsScalar()) fail(node[i], path + "[" + std::to_string(i) + "]", "expected a string");
      out.push_back(node[i].Scalar());
    }
    return out;
  }
  Metadata string_map(const YAML::Node& node, const std::string& path) const {
    Metadata out;
    if (node.IsNull()) return out;
    if (!node.IsMap()) fail(node, path, "expected a map of strings");
    for (const auto& kv : node) {
      std::string key = scalar(kv.first, path);
      if (!kv.second.IsScalar()) fail(kv.second, path + "." + key, "expected a string");
      out[key] = kv.second.Scalar();
    }
    return out;
  }
  std::string choice(const YAML::Node& node, const std::string& path, const std::vector<std::string>& choices) const {
    std::string m = scalar(node, path);
    if (std::find(choices.begin(), choices.end(), m) == choices.end()) fail(node, path, "expected " + choice_list(choices));
    return m;
  }
  int64_t duration(const YAML::Node& node, const std::string& path) const {
    auto d = node.IsScalar() ? parse_duration(node.Scalar()) : std::nullopt;
    if (!d) fail(node, path, "expected a duration such as 3600, 90s, 5m or 1h");
    return *d;
  }
  Json json(const YAML::Node& node, const std::string& path) const {
    if (node.IsNull()) return Json();
    if (node.IsScalar()) {
      // Untagged plain scalars: keep booleans and integers typed, everything else a string.
      const std::string& s = node.Scalar();
      if (node.Tag() != "!") {
        bool b;
        if (s == "true" || s == "false") return Json(YAML::convert<bool>::decode(node, b) && b);
        bool out_of_range = false;
        if (auto n = parse_int64(s, &out_of_range)) return Json(*n);
        if (out_of_range) {
          fail(node, path,
               "expected an integer from -9223372036854775808 to 9223372036854775807 (quote it for a string)");
        }
      }
      return Json(s);
    }
    if (node.IsSequence()) {
      JsonArray a;
      for (size_t i = 0; i < node.size(); ++i)
        a.push_back(json(node[i], path + "[" + std::to_string(i) + "]"));
      return Json(a);
    }
    JsonObject o;
    for (const auto& kv : node)
      o[scalar(kv.first, path)] = json(kv.second, path + "." + kv.first.Scalar());
    return Json(o);
  }

  // A "$NAME" secret is read from the environment, as Formance does; an unset variable is an error.
  std::string secret(const YAML::Node& node, const std::string& path) const {
    std::string s = scalar(node, path);
    if (s.size() > 1 && s[0] == '$') {
      auto value = env_(s.substr(1));
      if (!value) fail(node, path, "environment variable " + s.substr(1) + " is not set");
      return *value;
    }
    return s;
  }

  // A client key of one plain value: read by the type of the member it sets; false for other keys.
  bool plain_field(Client& c, const std::string& key, const YAML::Node& v, const std::string& p) const {
    static const std::pair<const char*, std::string Client::*> texts[] = {{"name", &Client::name},
                                                                           {"description", &Client::description}};
    static const std::pair<const char*, std::optional<std::string> Client::*> optional_texts[] = {
        {"tokenEndpointAuthMethod", &Client::token_endpoint_auth_method},
        {"tlsClientAuthSubjectDn", &Client::tls_client_auth_subject_dn},
        {"tlsClientAuthSanDns", &Client::tls_client_auth_san_dns}, {"tlsClientAuthSanUri", &Client::tls_client_auth_san_uri},
        {"tlsClientAuthSanIp", &Client::tls_client_auth_san_ip}, {"tlsClientAuthSanEmail", &Client::tls_client_auth_san_email},
        {"jwksUri", &Client::jwks_uri},
        {"tokenEndpointAuthSigningAlg", &Client::token_endpoint_auth_signing_alg}};
    static const std::pair<const char*, bool Client::*> flags[] = {
        {"public", &Client::is_public}, {"trusted", &Client::trusted},
        {"tlsClientCertificateBoundAccessTokens", &Client::tls_client_certificate_bound_access_tokens},
        {"dpopBoundAccessTokens", &Client::dpop_bound_access_tokens}};
    static const std::pair<const char*, std::optional<bool> Client::*> optional_flags[] = {
        {"dpopNonce", &Client::dpop_nonce}, {"requireOpenid", &Client::require_openid}};
    static const std::pair<const char*, std::vector<std::string> Client::*> lists[] = {
        {"redirectUris", &Client::redirect_uris}, {"postLogoutRedirectUris", &Client::post_logout_redirect_uris},
        {"scopes", &Client::scopes},             {"environments", &Client::environments},
        {"resources", &Client::resources}};
    static const std::pair<const char*, std::optional<int64_t> Client::*> durations[] = {
        {"accessTokenLifetime", &Client::access_token_lifetime}, {"userTokenLifetime", &Client::user_token_lifetime},
        {"refreshTokenLifetime", &Client::refresh_token_lifetime}, {"deviceCodeLifetime", &Client::device_code_lifetime},
        {"deviceCodeInterval", &Client::device_code_interval}};
    for (const auto& [k, m] : texts)
      if (key == k) return (c.*m = scalar(v, p), true);
    for (const auto& [k, m] : optional_texts)
      if (key == k) return (c.*m = scalar(v, p), true);
    for (const auto& [k, m] : flags)
      if (key == k) return (c.*m = boolean(v, p), true);
    for (const auto& [k, m] : optional_flags)
      if (key == k) return (c.*m = boolean(v, p), true);
    for (const auto& [k, m] : lists)
      if (key == k) return (c.*m = string_list(v, p), true);
    for (const auto& [k, m] : durations)
      if (key == k) return (c.*m = duration(v, p), true);
    if (key == "metadata") return (c.metadata = string_map(v, p), true);
    if (key == "loginMode") return (c.login_mode = choice(v, p, {"page", "auto"}), true);
    return false;
  }

  Client client(const YAML::Node& node, const std::string& path) const {
    if (!node.IsMap()) fail(node, path, "expected a map");
    Client c;
    bool has_id = false;
    for (const auto& kv : node) {
      std::string key = scalar(kv.first, path);
      std::string p = path + "." + key;
      const YAML::Node& v = kv.second;
      if (plain_field(c, key, v, p)) continue;
      if (key == "id") {
        c.id = scalar(v, p);
        has_id = true;
      } else if (key == "audience")
        c.audience = v.IsScalar() ? std::vector<std::string>{v.Scalar()} : string_list(v, p);
      else if (key == "grantTypes") {
        c.grant_types = string_list(v, p);
        for (size_t i = 0; i < c.grant_types->size(); ++i) {
          const std::string& g = (*c.grant_types)[i];
          if (find_grant(g) == nullptr) {
            fail(v[i], p + "[" + std::to_string(i) + "]",
                 "unknown grant type " + g + " (known: " + known_grant_types() + ")");
          }
        }
      } else if (key == "jwks") {
        if (!v.IsMap()) fail(v, p, "expected a JWK set: a map with keys");
        c.jwks = json(v, p);
      } else if (key == "secrets") {
        if (!v.IsNull() && !v.IsSequence()) fail(v, p, "expected a list of strings");
        for (size_t i = 0; v.IsSequence() && i < v.size(); ++i) {
          ClientSecret s;
          s.clear = secret(v[i], p + "[" + std::to_string(i) + "]");
          s.hash = hash_secret(s.clear);
          c.secrets.push_back(std::move(s));
        }
      } else if (key == "claims") { // of its tokens without a user (oauth/client_claims.h)
        if (!v.IsMap()) fail(v, p, "expected a map");
        c.claims = json(v, p).get<JsonObject>();
      } else if (key == "groups")
        c.groups = string_list(v, p);
      else if (key == "username")
        c.username = scalar(v, p);
      else
        warn(kv.first, p, "unknown key, ignored");
    }
    if (!has_id || c.id.empty()) fail(node, path + ".id", "required");
    keep_clear_secrets_for_hmac(c);
    if (c.name.empty()) c.name = c.id;
    if (auto problem = client_auth_fields_problem(c)) {
      size_t colon = problem->find(": ");
      std::string field = problem->substr(0, colon);
      const YAML::Node& at = node[field] ? node[field] : node;
      fail(at, path + "." + field, problem->substr(colon + 2));
    }
    if (auto problem = client_claims_problem(c)) { // "claims.<name>: what"
      size_t colon = problem->find(": ");
      fail(node["claims"][problem->substr(7, colon - 7)], path + "." + problem->substr(0, colon),
           problem->substr(colon + 2));
    }
    return c;
  }

  User user(const YAML::Node& node, const std::string& path) const {
    if (!node.IsMap()) fail(node, path, "expected a map");
    User u;
    bool has_password = false;
    for (const auto& kv : node) {
      std::string key = scalar(kv.first, path);
      std::string p = path + "." + key;
      const YAML::Node& v = kv.second;
      if (key == "id")
        u.id = scalar(v, p);
      else if (key == "username")
        u.username = scalar(v, p);
      else if (key == "password") {
        u.password_hash = hash_secret(secret(v, p));
        has_password = true;
      } else if (key == "email")
        u.email = scalar(v, p);
      else if (key == "name")
        u.name = scalar(v, p);
      else if (key == "groups")
        u.groups = string_list(v, p);
      else if (key == "environments")
        u.environments = string_list(v, p);
      else if (key == "claims") {
        if (!v.IsMap()) fail(v, p, "expected a map");
        u.claims = json(v, p).get<JsonObject>();
      } else
        warn(kv.first, p, "unknown key, ignored");
    }
    if (u.username.empty()) fail(node, path + ".username", "required");
    if (!has_password) fail(node, path + ".password", "required");
    if (u.id.empty()) u.id = u.username;
    return u;
  }

private:
  const std::string& source_;
  const EnvLookup& env_;
  std::vector<std::string>* warnings_;
};

} // namespace

bool valid_environment_name(const std::string& name) {
  // Names of root routes: /<name>/… would shadow them.
  static const char* const kReserved[] = {"api",    "oauth",    "keys",      "clients",  "users",   "userinfo",
                                          "revoke", "platform", "authorize", "healthz",  "ready",   "device",
                                          "login",  "logout",   "par",       "callback", "versions"};
  if (name.empty() || name.size() > 63 || name.front() == '-' || name.back() == '-') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return std::find(std::begin(kReserved), std::end(kReserved), name) == std::end(kReserved);
}

namespace {

// clients: and users: of one environment, with duplicate checks.
// lines gets the "file:line" of each entry and of its environments: list (platform checks).
void read_principals(const Reader& r, const YAML::Node& node, const std::string& key, const std::string& path,
                     std::vector<Client>* clients, std::vector<User>* users,
                     std::map<std::string, std::string>* lines) {
  if (node.IsNull()) return;
  if (!node.IsSequence()) r.fail(node, path, "expected a list");
  std::set<std::string> ids, names;
  for (size_t i = 0; i < node.size(); ++i) {
    std::string p = path + "[" + std::to_string(i) + "]", entry = key + "[" + std::to_string(i) + "]";
    (*lines)[entry] = r.where(node[i]);
    if (node[i].IsMap() && node[i]["environments"])
      (*lines)[entry + ".environments"] = r.where(node[i]["environments"]);
    if (key == "clients") {
      Client c = r.client(node[i], p);
      if (!ids.insert(c.id).second) r.fail(node[i], p + ".id", "duplicate client id " + c.id);
      clients->push_back(std::move(c));
    } else {
      User u = r.user(node[i], p);
      if (!ids.insert(u.id).second) r.fail(node[i], p + ".id", "duplicate user id " + u.id);
      if (!names.insert(u.username).second) r.fail(node[i], p + ".username", "duplicate username " + u.username);
      users->push_back(std::move(u));
    }
  }
}

// A setting of the table (stack/environment_settings.h), read and checked as its kind says.
SettingValue setting_value(const Reader& r, const YAML::Node& v, const std::string& p, const EnvironmentSetting& row) {
  SettingKind kind = row.kind;
  switch (kind) {
  case SettingKind::duration:
    return SettingValue(std::in_place_type<int64_t>, r.duration(v, p));
  case SettingKind::boolean:
    return SettingValue(std::in_place_type<bool>, r.boolean(v, p));
  case SettingKind::choice:
    return r.choice(v, p, row.choices);
  case SettingKind::secret:
    return r.secret(v, p);
  case SettingKind::text:
    break;
  }
  return r.scalar(v, p);
}

EnvironmentFixture read_environment(const Reader& r, const std::string& source, const std::string& name,
                                    const YAML::Node& node, const std::string& path) {
  EnvironmentFixture e;
  e.name = name;
  e.where = source + ":" + std::to_string(node.Mark().line + 1);
  if (path != "platform" && !valid_environment_name(name)) {
    r.fail(node, path.empty() ? "name" : path, kEnvironmentNameRule);
  }
  if (node.IsNull()) return e;
  if (!node.IsMap()) r.fail(node, path, "expected a map");
  std::set<std::string> seen;
  for (const auto& kv : node) {
    std::string key = r.key(kv.first, path, seen);
    std::string p = path.empty() ? key : path + "." + key;
    const YAML::Node& v = kv.second;
    e.lines[key] = r.where(v.IsNull() ? kv.first : v);
    if (key == "clients" || key == "users")
      read_principals(r, v, key, p, &e.clients, &e.users, &e.lines);
    else if (key == "issuer")
      e.issuer = r.scalar(v, p);
    else if (key == "signingKey")
      e.signing_key = r.scalar(v, p);
    else if (key == "signingAlgorithm") {
      e.signing_algorithm = r.scalar(v, p);
      if (!find_algorithm(*e.signing_algorithm)) r.fail(v, p, "expected RS256, PS256, ES256 or HS256");
    } else if (key == "signingSecret")
      e.signing_secret = r.secret(v, p);
    else if (const EnvironmentSetting* setting = find_environment_setting(key))
      setting->set_override(e, setting_value(r, v, p, *setting));
    else if (key == "organization" && path == "platform") {
      if (!v.IsMap()) r.fail(v, p, "expected a map with id and name");
      for (const auto& o : v) {
        std::string k = r.scalar(o.first, p);
        if (k == "id")
          e.organization_id = r.scalar(o.second, p + ".id");
        else if (k == "name")
          e.organization_name = r.scalar(o.second, p + ".name");
        else
          r.warn(o.first, p + "." + k, "unknown key, ignored");
      }
    } else
      r.warn(kv.first, p, "unknown key, ignored");
  }
  return e;
}

Fixture read_fixture(const YAML::Node& root, const std::string& source, const EnvLookup& env) {
  Fixture f;
  Reader r(source, env, &f.warnings);
  if (root.IsNull()) return f;
  if (!root.IsMap()) r.fail(root, "(top level)", "expected a map with a clients: list");
  try {
    std::set<std::string> seen;
    for (const auto& kv : root) {
      std::string key = r.key(kv.first, "", seen);
      const YAML::Node& v = kv.second;
      if (key == "clients" || key == "users") {
        read_principals(r, v, key, key, &f.clients, &f.users, &f.lines);
      } else if (key == "extends") { // the one fixture a file may extend is the embedded one
        std::string got = v.IsSequence() ? "a list" : v.IsMap() ? "a map" : "'" + v.Scalar() + "'";
        if (got != "'default'")
          r.fail(v.IsNull() ? kv.first : v, key, "expected default (the embedded default fixture), got " + got);
        f.extends_default = true;
      } else if (key == "environments") {
        if (v.IsNull()) continue;
        if (!v.IsMap()) r.fail(v, key, "expected a map of environment names");
        std::set<std::string> names;
        for (const auto& e : v) {
          std::string name = r.scalar(e.first, key);
          if (!names.insert(name).second) r.fail(e.first, key + "." + name, "duplicate environment");
          f.environments.push_back(read_environment(r, source, name, e.second, key + "." + name));
        }
      } else if (key == "platform") {
        f.platform = read_environment(r, source, "platform", v, "platform");
      } else {
        r.warn(kv.first, key, "unknown key, ignored");
      }
    }
  } catch (const YAML::Exception& e) {
    throw ConfigError(source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return f;
}

} // namespace

Fixture load_fixture(std::string_view text, const std::string& source, const EnvLookup& env) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw ConfigError(source + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
  return read_fixture(root, source, env);
}

EnvironmentFixture load_environment(std::string_view text, std::vector<std::string>* warnings) {
  const std::string source; // no file: messages are "field: what"
  const EnvLookup no_variables = [](const std::string&) { return std::nullopt; };
  Reader r(source, no_variables, warnings);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
    if (!root.IsMap()) r.fail(root, "body", "expected an object with name and the environment's fields");
    if (!root["name"]) r.fail(root, "name", "required");
    std::string n = r.scalar(root["name"], "name");
    root.remove("name");
    return read_environment(r, source, n, root, "");
  } catch (const YAML::Exception& e) {
    throw ConfigError("body: " + e.msg);
  }
}

Fixture load_fixture_nodes(std::string_view stream, const std::string& source, const EnvLookup& env) {
  YAML::Node root;
  try {
    root = read_node_stream(stream);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(source + ": " + e.what());
  }
  return read_fixture(root, source, env);
}

} // namespace authemu
