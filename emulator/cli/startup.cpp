#include "cli/startup.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/config_error.h"
#include "base/embedded.h"
#include "base/origin.h"
#include "cli/delegation_check.h"
#include "cli/embedded_keys.h"
#include "stack/environment_spec.h"
#include "stack/fixture_extend.h"

namespace authemu {

namespace {

constexpr char kDefaultFixture[] = "default.yaml";
constexpr char kTestKey[] = "test-signing-key.pem";

std::string read_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw ConfigError(what + ": " + path + " is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(what + ": cannot open " + path + ": " + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Nothing but blank lines, comments and document markers: a YAML file that says nothing.
bool is_blank_yaml(const std::string& text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string::npos && line[first] != '#' && line.compare(first, 3, "---") != 0 &&
        line.compare(first, 3, "...") != 0) {
      return false;
    }
    pos = end + 1;
  }
  return true;
}

} // namespace

namespace {

Fixture embedded_fixture(const EnvLookup& env) {
  // Its node stream when the build made one (scripts/embed.sh): read without yaml-cpp's scanner.
  if (auto nodes = embedded_file(std::string(kDefaultFixture) + ".nodes"))
    return load_fixture_nodes(*nodes, "(embedded) fixtures/default.yaml", env);
  auto text = embedded_file(kDefaultFixture);
  if (!text) throw ConfigError("embedded fixture missing from this build");
  return load_fixture(*text, "(embedded) fixtures/default.yaml", env);
}

} // namespace

Fixture load_fixture_option(const Options& options, const EnvLookup& env) {
  if (options.config.empty()) return embedded_fixture(env);
  std::string where = options.source_of("config");
  std::string text = read_file(options.config, where);
  if (is_blank_yaml(text)) {
    throw ConfigError(where + ": " + options.config +
                      " is empty (expected clients:, users:, environments: or platform:)");
  }
  Fixture fixture = load_fixture(text, options.config, env);
  if (!fixture.extends_default) return fixture; // Formance's config.yml: the file replaces the default
  return extend_fixture(embedded_fixture(env), std::move(fixture),
                        "the embedded default fixture (fixtures/default.yaml)");
}

std::string check_config(const Options& options, const EnvLookup& env, std::vector<std::string>* warnings) {
  if (options.args.size() > 1) throw ConfigError("check-config: usage: authemu check-config FILE");
  Options o = options;
  if (!o.args.empty()) {
    o.config = o.args[0];
    o.sources["config"] = "check-config";
  }
  if (o.config.empty()) throw ConfigError("check-config: usage: authemu check-config FILE (or --config FILE)");
  Fixture fixture = load_fixture_option(o, env);
  *warnings = fixture.warnings;
  SigningKey key = load_signing_key(o);
  auto specs =
      environment_specs(o, app_settings(o, derive_issuer(o, "127.0.0.1", 8080)), std::move(fixture), std::move(key));
  std::string out = o.config + ": ok (";
  for (size_t i = 0; i < specs.size(); ++i) {
    const EnvironmentSpec& e = specs[i];
    out += (i == 0 ? "" : "; ") + e.settings.label() + ": " + std::to_string(e.clients.size()) + " clients, " +
           std::to_string(e.users.size()) + " users";
  }
  return out + ")";
}

namespace {

// An embedded TEST key, loaded once per process (cli/embedded_keys.h).
SigningKey embedded(const std::string& name, const KeySource& k) {
  try {
    return embedded_key(name, k.alg);
  } catch (const CryptoError& e) {
    throw ConfigError(k.key_where + ": " + e.what());
  }
}

Algorithm option_algorithm(const Options& options) {
  auto alg = find_algorithm(options.signing_algorithm);
  if (!alg)
    throw ConfigError("--signing-algorithm: expected RS256, PS256, ES256 or HS256, got '" + options.signing_algorithm +
                      "'");
  return *alg;
}

} // namespace

SigningKey load_signing_key(const Options& options) {
  KeySource k;
  k.alg = option_algorithm(options);
  k.generate = options.generate_signing_key;
  k.key_where = options.source_of("signing-key");
  k.secret_where = options.source_of("signing-secret");
  k.alg_where = options.source_of("signing-algorithm");
  if (!options.signing_secret.empty()) k.secret = options.signing_secret;
  if (options.signing_key.empty()) {
    // The embedded TEST key for RS256; the other algorithms get a new key at every start.
    if (k.alg == Algorithm::RS256 && !k.generate && !k.secret) return embedded(kTestKey, k);
  } else if (is_key_text(options.signing_key)) {
    k.key = options.signing_key; // Formance's SIGNING_KEY holds the PEM text itself
  } else {
    k.key = read_file(options.signing_key, options.source_of("signing-key"));
  }
  return make_key(k);
}

namespace {

std::string origin_of(const std::string& url) {
  size_t slash = url.find('/', url.find("://") + 3);
  return slash == std::string::npos ? url : url.substr(0, slash);
}

SigningKey environment_key(const Options& options, const EnvironmentFixture& e, const std::string& field) {
  FixtureKey f = fixture_key(e, e.where_of("signingKey") + ": " + field + ".signingKey",
                             e.where_of("signingSecret") + ": " + field + ".signingSecret");
  KeySource& k = f.source;
  if (f.embedded && !k.secret && (k.alg == Algorithm::RS256 || k.alg == Algorithm::PS256))
    return embedded(*f.embedded, k);
  if (f.path) {
    std::string path = *f.path;
    if (!path.empty() && path[0] != '/' && !options.config.empty()) {
      size_t slash = options.config.rfind('/');
      if (slash != std::string::npos) path = options.config.substr(0, slash + 1) + path;
    }
    k.key = read_file(path, k.key_where);
  }
  return make_key(k);
}

} // namespace

namespace {

// The key of e, which no environment built so far may share (each needs its own kid).
SigningKey own_key(const Options& options, const EnvironmentFixture& e, const std::vector<EnvironmentSpec>& specs,
                   const std::string& field, const std::string& who) {
  SigningKey key = environment_key(options, e, field);
  for (const auto& other : specs) {
    if (other.key.kid() == key.kid()) {
      const char* member = e.signing_secret ? "signingSecret" : "signingKey";
      throw ConfigError(e.where_of(member) + ": " + field + "." + member + ": the same key as environment " +
                        other.settings.label() + "; " + who + " needs its own");
    }
  }
  return key;
}

} // namespace

std::vector<EnvironmentSpec> environment_specs(const Options& options, const AppSettings& settings, Fixture fixture,
                                               SigningKey default_key) {
  std::vector<EnvironmentSpec> specs;
  std::vector<std::string> fixture_places{"--delegated-issuer"}; // where each spec's delegation was set
  for (const auto& e : fixture.environments)
    fixture_places.push_back(e.where + ": environments." + e.name);
  if (fixture.platform) fixture_places.push_back(fixture.platform->where + ": platform");
  const EnvironmentSettings& d = settings.environment;
  specs.push_back(EnvironmentSpec{d, std::move(fixture.clients), std::move(fixture.users), std::move(default_key)});
  std::string origin = origin_of(settings.environment.issuer);
  for (auto& e : fixture.environments) {
    EnvironmentSettings s = fixture_settings(d, e, origin + "/" + e.name + "/api/auth");
    SigningKey key = own_key(options, e, specs, "environments." + e.name, "each environment");
    specs.push_back(EnvironmentSpec{std::move(s), std::move(e.clients), std::move(e.users), std::move(key)});
  }
  if (fixture.platform) {
    EnvironmentFixture& e = *fixture.platform;
    e.name = "platform";
    EnvironmentSettings s = fixture_settings(d, e, origin + "/platform");
    s.tokens.platform = true;
    for (const auto& spec : specs) {
      s.tokens.environment_issuers[spec.settings.label()] = spec.settings.issuer;
    }
    // Every environment a platform client or member names must exist.
    auto check_names = [&](const std::vector<std::string>& names, const std::string& field, const std::string& who) {
      for (const auto& n : names) {
        if (s.tokens.environment_issuers.count(n) == 0) {
          throw ConfigError(e.where_of(field) + ": platform." + field + ": " + who + " names unknown environment " + n);
        }
      }
    };
    for (size_t i = 0; i < e.clients.size(); ++i)
      check_names(e.clients[i].environments, "clients[" + std::to_string(i) + "].environments",
                  "client " + e.clients[i].id);
    for (size_t i = 0; i < e.users.size(); ++i)
      check_names(e.users[i].environments, "users[" + std::to_string(i) + "].environments",
                  "user " + e.users[i].username);
    SigningKey key = own_key(options, e, specs, "platform", "the platform");
    specs.push_back(EnvironmentSpec{std::move(s), std::move(e.clients), std::move(e.users), std::move(key)});
  }
  check_delegations(specs, fixture_places);
  return specs;
}

namespace {

// "ledger" or "ledger@v2.1.0": a stand-in service of --services.
ServiceInfo service_info(const std::string& item, const std::string& where) {
  size_t at = item.find('@');
  ServiceInfo s{item.substr(0, at), at == std::string::npos ? kDefaultServiceVersion : item.substr(at + 1)};
  bool name_ok = !s.name.empty() && s.name.size() <= 63 && s.name != "auth" &&
                 s.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
  if (!name_ok || s.version.empty()) {
    throw ConfigError(where +
                      ": expected service names such as ledger or ledger@v2.1.0 (a-z, 0-9, '-'; not auth), got '" +
                      item + "'");
  }
  return s;
}

} // namespace

AppSettings app_settings(const Options& options, const std::string& issuer) {
  AppSettings settings;
  EnvironmentSettings& env = settings.environment;
  env.issuer = issuer;
  env.issuer_by_listener = options.base_url.empty() && options.browser_url.empty();
  env.extra_issuers = options.auth_issuers;
  apply_options(options, env); // lifetimes, login mode, delegation, … (stack/environment_settings.cpp)
  settings.debug = options.debug;
  settings.clock_start = options.clock_start;
  settings.clock_frozen = options.clock_frozen;
  settings.admin_api = options.admin_api;
  settings.admin_token = options.admin_token;
  settings.cors_origins = options.cors_origins;
  settings.back_channel_by_host = !options.browser_url.empty();
  for (const auto& item : options.services)
    settings.services.push_back(service_info(item, options.source_of("services")));
  return settings;
}

std::optional<std::string> note_exposure(AppSettings& settings, const std::vector<EnvironmentSpec>& specs,
                                         const std::string& listen_host) {
  std::string secret;
  for (const auto& spec : specs) {
    if (is_embedded_test_key(spec.key)) continue;
    secret += (secret.empty() ? "" : ", ") + spec.settings.label();
  }
  settings.secret_keys = !secret.empty();
  settings.beyond_loopback = !is_loopback_host(listen_host);
  if (!settings.secret_keys || !settings.beyond_loopback || !settings.admin_token.empty()) return std::nullopt;
  return "the admin API refuses mint and rotation to a given key until an admin token is set (--admin-token, "
         "ADMIN_TOKEN): environments " +
         secret +
         " sign with keys that are not embedded test keys and the server "
         "listens on " +
         (listen_host.empty() ? std::string("all addresses") : listen_host) + ", beyond loopback";
}

std::string derive_issuer(const Options& options, const std::string& listen_host, int bound_port) {
  if (options.base_url.empty() && !options.browser_url.empty()) {
    // The issuer is where browsers reach the server (--browser-url); services use their own host.
    auto origin = parse_origin(options.browser_url);
    if (!origin) {
      throw ConfigError(options.source_of("browser-url") +
                        ": expected an origin such as http://localhost:8080 (scheme://host[:port], no path), got '" +
                        options.browser_url + "'");
    }
    return *origin + "/api/auth";
  }
  if (options.base_url.empty()) {
    // Listeners that localhost reaches are named so, like the Formance docs' URLs.
    std::string host = is_reached_as_localhost(listen_host) ? "localhost" : url_host(listen_host);
    return std::string(options.tls ? "https://" : "http://") + host + ":" + std::to_string(bound_port) + "/api/auth";
  }
  std::string url = options.base_url;
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  // RFC 8414 §2: an http(s) URL with no query or fragment.
  bool scheme = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  size_t host_start = url.find("://") + 3;
  if (!scheme || url.size() <= host_start || url[host_start] == '/' || url.find_first_of("?# ") != std::string::npos) {
    throw ConfigError("--base-url: expected an http:// or https:// URL without query or fragment, got '" +
                      options.base_url + "'");
  }
  return url;
}

} // namespace authemu
