#include "startup.h"

#include <fstream>
#include <sstream>

#include "config_error.h"
#include "embedded.h"

namespace authemu {

namespace {

constexpr char kDefaultFixture[] = "default.yaml";
constexpr char kTestKey[] = "test-signing-key.pem";

std::string read_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(what + ": cannot open " + path + ": " + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Fixture load_fixture_option(const Options& options, const EnvLookup& env) {
  if (options.config.empty()) {
    auto text = embedded_file(kDefaultFixture);
    if (!text) throw ConfigError("embedded fixture missing from this build");
    return load_fixture(*text, "(embedded) fixtures/default.yaml", env);
  }
  return load_fixture(read_file(options.config, "--config"), options.config, env);
}

SigningKey load_signing_key(const Options& options) {
  try {
    if (options.generate_signing_key) {
      RsaKey key = RsaKey::generate(2048);
      std::string kid = rsa_thumbprint(key);
      return SigningKey{kid, std::move(key)};
    }
    std::string pem;
    if (options.signing_key.empty()) {
      pem = std::string(*embedded_file(kTestKey));
    } else if (options.signing_key.find("-----BEGIN") != std::string::npos) {
      pem = options.signing_key;  // Formance's SIGNING_KEY holds the PEM text itself
    } else {
      pem = read_file(options.signing_key, "--signing-key");
    }
    RsaKey key = RsaKey::from_pem(pem);
    std::string kid = rsa_thumbprint(key);
    return SigningKey{kid, std::move(key)};
  } catch (const CryptoError& e) {
    throw ConfigError(std::string("--signing-key: ") + e.what());
  }
}

namespace {

std::string origin_of(const std::string& url) {
  size_t slash = url.find('/', url.find("://") + 3);
  return slash == std::string::npos ? url : url.substr(0, slash);
}

SigningKey environment_key(const Options& options, const EnvironmentFixture& e) {
  const std::string what = e.where + ": environments." + e.name + ".signingKey";
  try {
    if (!e.signing_key) {
      RsaKey key = RsaKey::generate(2048);
      std::string kid = rsa_thumbprint(key);
      return SigningKey{kid, std::move(key)};
    }
    std::string pem;
    const std::string& v = *e.signing_key;
    if (v.rfind("embedded:", 0) == 0) {
      auto text = embedded_file(v.substr(9));
      if (!text) throw ConfigError(what + ": no embedded file " + v.substr(9));
      pem = std::string(*text);
    } else if (v.find("-----BEGIN") != std::string::npos) {
      pem = v;
    } else {
      std::string path = v;
      if (!path.empty() && path[0] != '/' && !options.config.empty()) {
        size_t slash = options.config.rfind('/');
        if (slash != std::string::npos) path = options.config.substr(0, slash + 1) + path;
      }
      pem = read_file(path, what);
    }
    RsaKey key = RsaKey::from_pem(pem);
    std::string kid = rsa_thumbprint(key);
    return SigningKey{kid, std::move(key)};
  } catch (const CryptoError& err) {
    throw ConfigError(what + ": " + err.what());
  }
}

}  // namespace

namespace {

// A named environment's or the platform's settings: the server's, with the fixture's overrides.
EnvironmentSettings fixture_settings(const EnvironmentSettings& base, const EnvironmentFixture& e,
                                     const std::string& default_issuer) {
  EnvironmentSettings s = base;
  s.name = e.name;
  s.extra_issuers.clear();
  s.fixed_issuer = e.issuer.has_value();
  s.issuer = e.issuer ? *e.issuer : default_issuer;
  while (!s.issuer.empty() && s.issuer.back() == '/') s.issuer.pop_back();
  if (e.check_scopes) s.check_scopes = *e.check_scopes;
  if (e.access_token_lifetime) s.access_token_lifetime = *e.access_token_lifetime;
  if (e.user_token_lifetime) s.user_token_lifetime = *e.user_token_lifetime;
  if (e.refresh_token_lifetime) s.refresh_token_lifetime = *e.refresh_token_lifetime;
  if (e.role_claim) s.role_claim = *e.role_claim;
  return s;
}

// The key of e, which no environment built so far may share (each needs its own kid).
SigningKey own_key(const Options& options, const EnvironmentFixture& e, const std::vector<EnvironmentSpec>& specs,
                   const std::string& field, const std::string& who) {
  SigningKey key = environment_key(options, e);
  for (const auto& other : specs) {
    if (other.key.kid == key.kid) {
      throw ConfigError(e.where + ": " + field + ": the same key as environment " +
                        (other.settings.name.empty() ? std::string("default") : other.settings.name) + "; " + who +
                        " needs its own");
    }
  }
  return key;
}

}  // namespace

std::vector<EnvironmentSpec> environment_specs(const Options& options, const AppSettings& settings, Fixture fixture,
                                               SigningKey default_key) {
  std::vector<EnvironmentSpec> specs;
  EnvironmentSettings d = default_environment_settings(settings);
  specs.push_back(EnvironmentSpec{d, std::move(fixture.clients), std::move(fixture.users), std::move(default_key)});
  std::string origin = origin_of(settings.issuer);
  for (auto& e : fixture.environments) {
    EnvironmentSettings s = fixture_settings(d, e, origin + "/" + e.name + "/api/auth");
    SigningKey key = own_key(options, e, specs, "environments." + e.name + ".signingKey", "each environment");
    specs.push_back(EnvironmentSpec{std::move(s), std::move(e.clients), std::move(e.users), std::move(key)});
  }
  if (fixture.platform) {
    EnvironmentFixture& e = *fixture.platform;
    e.name = "platform";
    EnvironmentSettings s = fixture_settings(d, e, origin + "/platform");
    s.platform = true;
    for (const auto& spec : specs) {
      s.environment_issuers[spec.settings.name.empty() ? "default" : spec.settings.name] = spec.settings.issuer;
    }
    // Every environment a platform client or member names must exist.
    auto check_names = [&](const std::vector<std::string>& names, const std::string& who) {
      for (const auto& n : names) {
        if (s.environment_issuers.count(n) == 0) {
          throw ConfigError(e.where + ": platform: " + who + " names unknown environment " + n);
        }
      }
    };
    for (const auto& c : e.clients) check_names(c.environments, "client " + c.id);
    for (const auto& u : e.users) check_names(u.environments, "user " + u.username);
    SigningKey key = own_key(options, e, specs, "platform.signingKey", "the platform");
    specs.push_back(EnvironmentSpec{std::move(s), std::move(e.clients), std::move(e.users), std::move(key)});
  }
  return specs;
}

std::string derive_issuer(const Options& options, const std::string& listen_host, int bound_port) {
  if (options.base_url.empty()) {
    // Loopback and wildcard listeners are reached as localhost, like the Formance docs' URLs.
    bool local = listen_host == "127.0.0.1" || listen_host == "0.0.0.0" || listen_host == "localhost" ||
                 listen_host == "::" || listen_host == "::1";
    std::string host = local ? "localhost" : listen_host;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return "http://" + host + ":" + std::to_string(bound_port) + "/api/auth";
  }
  std::string url = options.base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  // RFC 8414 §2: an http(s) URL with no query or fragment.
  bool scheme = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  size_t host_start = url.find("://") + 3;
  if (!scheme || url.size() <= host_start || url[host_start] == '/' ||
      url.find_first_of("?# ") != std::string::npos) {
    throw ConfigError("--base-url: expected an http:// or https:// URL without query or fragment, got '" +
                      options.base_url + "'");
  }
  return url;
}

}  // namespace authemu
