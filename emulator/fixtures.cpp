#include "fixtures.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "config_error.h"
#include "duration.h"

namespace authemu {

namespace {

const char* const kGrantTypes[] = {"client_credentials", "password", "refresh_token", "authorization_code"};

class Reader {
 public:
  Reader(const std::string& source, const EnvLookup& env, std::vector<std::string>* warnings)
      : source_(source), env_(env), warnings_(warnings) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& path, const std::string& what) const {
    throw ConfigError(source_ + ":" + std::to_string(node.Mark().line + 1) + ": " + path + ": " + what);
  }
  void warn(const YAML::Node& node, const std::string& path, const std::string& what) const {
    warnings_->push_back(source_ + ":" + std::to_string(node.Mark().line + 1) + ": " + path + ": " + what);
  }

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
        char* end = nullptr;
        long long n = std::strtoll(s.c_str(), &end, 10);
        if (!s.empty() && end != nullptr && *end == '\0') return Json(int64_t(n));
      }
      return Json(s);
    }
    if (node.IsSequence()) {
      JsonArray a;
      for (size_t i = 0; i < node.size(); ++i) a.push_back(json(node[i], path + "[" + std::to_string(i) + "]"));
      return Json(a);
    }
    JsonObject o;
    for (const auto& kv : node) o[scalar(kv.first, path)] = json(kv.second, path + "." + kv.first.Scalar());
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

  Client client(const YAML::Node& node, const std::string& path) const {
    if (!node.IsMap()) fail(node, path, "expected a map");
    Client c;
    bool has_id = false;
    for (const auto& kv : node) {
      std::string key = scalar(kv.first, path);
      std::string p = path + "." + key;
      const YAML::Node& v = kv.second;
      if (key == "id") {
        c.id = scalar(v, p);
        has_id = true;
      } else if (key == "name") c.name = scalar(v, p);
      else if (key == "description") c.description = scalar(v, p);
      else if (key == "public") c.is_public = boolean(v, p);
      else if (key == "trusted") c.trusted = boolean(v, p);
      else if (key == "redirectUris") c.redirect_uris = string_list(v, p);
      else if (key == "postLogoutRedirectUris") c.post_logout_redirect_uris = string_list(v, p);
      else if (key == "scopes") c.scopes = string_list(v, p);
      else if (key == "metadata") c.metadata = string_map(v, p);
      else if (key == "accessTokenLifetime") c.access_token_lifetime = duration(v, p);
      else if (key == "userTokenLifetime") c.user_token_lifetime = duration(v, p);
      else if (key == "refreshTokenLifetime") c.refresh_token_lifetime = duration(v, p);
      else if (key == "audience") c.audience = v.IsScalar() ? std::vector<std::string>{v.Scalar()} : string_list(v, p);
      else if (key == "grantTypes") {
        c.grant_types = string_list(v, p);
        for (size_t i = 0; i < c.grant_types->size(); ++i) {
          const std::string& g = (*c.grant_types)[i];
          if (std::find(std::begin(kGrantTypes), std::end(kGrantTypes), g) == std::end(kGrantTypes)) {
            fail(v[i], p + "[" + std::to_string(i) + "]",
                 "unknown grant type " + g + " (known: client_credentials, password, refresh_token, authorization_code)");
          }
        }
      }
      else if (key == "secrets") {
        if (!v.IsNull() && !v.IsSequence()) fail(v, p, "expected a list of strings");
        for (size_t i = 0; v.IsSequence() && i < v.size(); ++i) {
          ClientSecret s;
          s.hash = hash_secret(secret(v[i], p + "[" + std::to_string(i) + "]"));
          c.secrets.push_back(std::move(s));
        }
      } else warn(kv.first, p, "unknown key, ignored");
    }
    if (!has_id || c.id.empty()) fail(node, path + ".id", "required");
    if (c.name.empty()) c.name = c.id;
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
      if (key == "id") u.id = scalar(v, p);
      else if (key == "username") u.username = scalar(v, p);
      else if (key == "password") {
        u.password_hash = hash_secret(secret(v, p));
        has_password = true;
      } else if (key == "email") u.email = scalar(v, p);
      else if (key == "name") u.name = scalar(v, p);
      else if (key == "groups") u.groups = string_list(v, p);
      else if (key == "claims") {
        if (!v.IsMap()) fail(v, p, "expected a map");
        u.claims = json(v, p).get<JsonObject>();
      } else warn(kv.first, p, "unknown key, ignored");
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

}  // namespace

Fixture load_fixture(std::string_view text, const std::string& source, const EnvLookup& env) {
  Fixture f;
  Reader r(source, env, &f.warnings);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw ConfigError(source + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
  if (root.IsNull()) return f;
  if (!root.IsMap()) r.fail(root, "(top level)", "expected a map with a clients: list");
  try {
    for (const auto& kv : root) {
      std::string key = r.scalar(kv.first, "(top level)");
      const YAML::Node& v = kv.second;
      if (key == "clients" || key == "users") {
        if (v.IsNull()) continue;
        if (!v.IsSequence()) r.fail(v, key, "expected a list");
        std::set<std::string> ids, names;
        for (size_t i = 0; i < v.size(); ++i) {
          std::string p = key + "[" + std::to_string(i) + "]";
          if (key == "clients") {
            Client c = r.client(v[i], p);
            if (!ids.insert(c.id).second) r.fail(v[i], p + ".id", "duplicate client id " + c.id);
            f.clients.push_back(std::move(c));
          } else {
            User u = r.user(v[i], p);
            if (!ids.insert(u.id).second) r.fail(v[i], p + ".id", "duplicate user id " + u.id);
            if (!names.insert(u.username).second) r.fail(v[i], p + ".username", "duplicate username " + u.username);
            f.users.push_back(std::move(u));
          }
        }
      } else {
        r.warn(kv.first, key, "unknown key, ignored");
      }
    }
  } catch (const YAML::Exception& e) {
    throw ConfigError(source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return f;
}

}  // namespace authemu
