#include "cli/options.h"

#include <algorithm>
#include <charconv>
#include <type_traits>

#include "base/clock.h"
#include "base/config_error.h"
#include "base/duration.h"
#include "base/number.h"
#include "base/origin.h"
#include "cli/commands.h"
#include "jose/key_store.h"
#include "stack/environment_settings.h"

namespace authemu {

namespace {

enum class Kind { text, boolean, duration, list, origins, count, seconds, instant, algorithm, choice };

// Unix seconds or RFC 3339 UTC.
std::optional<int64_t> instant_of(const std::string& v) {
  if (v.size() <= 12) {
    if (auto n = parse_uint64(v)) return static_cast<int64_t>(*n);
  }
  return parse_utc(v);
}

// Seconds with a fraction, from 0 to 600 (bench-sign --seconds; 0: one signature only).
std::optional<double> parse_seconds(const std::string& v) {
  double d = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || !(d >= 0 && d <= 600)) return std::nullopt;
  return d;
}

struct Spec {
  const char* flag; // without the leading "--"
  const char* env;
  Kind kind;
  unsigned commands; // CommandBit set: the commands it applies to
  const char* help;
  std::function<void(Options&, const std::string&, bool)> set; // (options, value, bool value)
  std::function<void(Options&)> clear = nullptr;               // lists: empties the list
  const std::vector<std::string>* choices = nullptr;           // Kind::choice: the values it takes
};

// A per-environment setting's option (stack/environment_settings.h): its value kept in Options'
// EnvironmentOptions.
Spec environment_spec(const EnvironmentSetting& e) {
  Kind kind = e.kind == SettingKind::duration ? Kind::duration : e.kind == SettingKind::boolean ? Kind::boolean
              : e.kind == SettingKind::choice ? Kind::choice : Kind::text;
  return Spec{e.flag, e.env, kind, kServe, e.help, [&e, kind](Options& o, const std::string& v, bool b) {
                if (kind == Kind::duration)
                  e.set_option(o, SettingValue(std::in_place_type<int64_t>, *parse_duration(v)));
                else if (kind == Kind::boolean)
                  e.set_option(o, SettingValue(std::in_place_type<bool>, b));
                else
                  e.set_option(o, SettingValue(v));
              },
              nullptr, &e.choices};
}

// Every option, in the order --help lists them.
const std::vector<Spec>& specs() {
  static const std::vector<Spec> before = {
      {"listen", "LISTEN", Kind::text, kServe | kHealthcheck,
       "address to listen on, host:port; port 0 picks a free one (default 127.0.0.1:8080)",
       [](Options& o, const std::string& v, bool) { o.listen = v; }},
      {"base-url", "BASE_URL", Kind::text, kServe | kExport,
       "issuer URL, with the /api/auth path clients use (default http://localhost:<port>/api/auth)",
       [](Options& o, const std::string& v, bool) { o.base_url = v; }},
      {"browser-url", "BROWSER_URL", Kind::text, kServe,
       "where browsers reach the server, e.g. http://localhost:8080 in compose: the issuer and the sign-in "
       "endpoints use it, discovery's token, JWKS, userinfo, introspection and revocation endpoints the request's "
       "Host (as Keycloak's dynamic back channel)",
       [](Options& o, const std::string& v, bool) { o.browser_url = v; }},
      {"auth-issuers", "AUTH_ISSUERS", Kind::list, kServe,
       "further issuers whose tokens the management API accepts (comma or space separated)",
       [](Options& o, const std::string& v, bool) { o.auth_issuers.push_back(v); },
       [](Options& o) { o.auth_issuers.clear(); }},
      {"cors-origins", "CORS_ORIGINS", Kind::origins, kServe,
       "browser origins (scheme://host[:port], comma separated) that CORS answers with credentials, besides the "
       "origins of the clients' redirect URIs",
       [](Options& o, const std::string& v, bool) { o.cors_origins.push_back(*parse_origin(v)); },
       [](Options& o) { o.cors_origins.clear(); }},
      {"services", "SERVICES", Kind::list, kServe,
       "stand-in services that GET /versions lists and whose info routes answer, name or name@version "
       "(default ledger,payments,wallets,orchestration,webhooks,reconciliation at v2.0.0)",
       [](Options& o, const std::string& v, bool) { o.services.push_back(v); }, [](Options& o) { o.services.clear(); }},
      {"tls", "TLS", Kind::boolean, kServe | kHealthcheck,
       "the main listener (--listen) speaks HTTPS with a generated CA's certificate (see --tls-ca-out); "
       "healthcheck: probe over TLS",
       [](Options& o, const std::string&, bool b) { o.tls = b; }},
      {"tls-listen", "TLS_LISTEN", Kind::text, kServe,
       "also listen for HTTPS on host:port beside the plain listener (port 0 picks a free one)",
       [](Options& o, const std::string& v, bool) { o.tls_listen = v; }},
      {"tls-names", "TLS_NAMES", Kind::list, kServe | kTls,
       "more host names or IP addresses the server certificate is for (comma separated), besides localhost, "
       "*.localhost, 127.0.0.1, ::1, this machine's name and the configured URLs' hosts",
       [](Options& o, const std::string& v, bool) { o.tls_names.push_back(v); },
       [](Options& o) { o.tls_names.clear(); }},
      {"tls-ca-out", "TLS_CA_OUT", Kind::text, kServe | kHealthcheck,
       "where to write the CA certificate that clients trust (default authemu-ca-<port>.pem in the temp directory); "
       "healthcheck: the CA it trusts",
       [](Options& o, const std::string& v, bool) { o.tls_ca_out = v; }},
      {"tls-ca-dir", "TLS_CA_DIR", Kind::text, kServe | kTls,
       "keep the CA in this directory: reuse ca.pem + ca-key.pem (or mkcert's rootCA.pem + rootCA-key.pem), "
       "else create them there, so that a machine trusts one CA once",
       [](Options& o, const std::string& v, bool) { o.tls_ca_dir = v; }},
      {"tls-cert", "TLS_CERT", Kind::text, kServe,
       "serve this certificate chain (PEM, leaf first) instead of a generated one; needs --tls-key",
       [](Options& o, const std::string& v, bool) { o.tls_cert = v; }},
      {"tls-key", "TLS_KEY", Kind::text, kServe, "the private key of --tls-cert (PEM, RSA or EC)",
       [](Options& o, const std::string& v, bool) { o.tls_key = v; }},
      {"tls-client-ca", "TLS_CLIENT_CA", Kind::text, kServe,
       "CA certificates (PEM file, one or more) that TLS client certificates may chain to (RFC 8705 "
       "tls_client_auth), besides this server's own CA; with --tls-cert the only ones. Every TLS listener asks for a "
       "client certificate and serves clients without one as before",
       [](Options& o, const std::string& v, bool) { o.tls_client_ca = v; }},
      {"tls-client-certs", "TLS_CLIENT_CERTS", Kind::text, kServe,
       "request (default): every TLS handshake asks for an optional client certificate (RFC 8705 client "
       "authentication, certificate-bound tokens); off: none asks, so a browser with certificates installed shows "
       "no picker, and discovery lists no mutual-TLS method",
       [](Options& o, const std::string& v, bool) { o.tls_client_certs = v; }},
      {"tls-client-cert-header", "TLS_CLIENT_CERT_HEADER", Kind::text, kServe,
       "behind a TLS-terminating proxy (RFC 8705 §6.5): the request header that carries the client certificate "
       "(PEM, URL-encoded PEM such as nginx's $ssl_client_escaped_cert, base64 DER, or Envoy's "
       "X-Forwarded-Client-Cert), judged against this server's CA and --tls-client-ca; only where the proxy sets "
       "or removes that header on every request",
       [](Options& o, const std::string& v, bool) { o.tls_client_cert_header = v; }},
      {"tls-trust", "TLS_TRUST", Kind::text, kServe | kHealthcheck | kPersonalToken | kAdmin | kTls | kExport,
       "more CA certificates (PEM file) trusted for outbound HTTPS and for https URLs of the commands",
       [](Options& o, const std::string& v, bool) { o.tls_trust = v; }},
      {"config", "CONFIG", Kind::text, kServe | kCheckConfig | kExport,
       "fixture file (Formance config.yml format) instead of the embedded default",
       [](Options& o, const std::string& v, bool) { o.config = v; }},
      {"signing-key", "SIGNING_KEY", Kind::text, kServe | kBenchSign | kCheckConfig | kExport,
       "private key, PEM (RSA PKCS#1/PKCS#8, EC SEC1/PKCS#8) or JWK: the text itself or a file path (default: the "
       "embedded TEST key for RS256, a generated one for PS256 and ES256)",
       [](Options& o, const std::string& v, bool) { o.signing_key = v; }},
      {"generate-signing-key", "GENERATE_SIGNING_KEY", Kind::boolean, kServe | kBenchSign | kCheckConfig,
       "generate a fresh key for the signing algorithm at start instead",
       [](Options& o, const std::string&, bool b) { o.generate_signing_key = b; }},
      {"signing-algorithm", "SIGNING_ALGORITHM", Kind::algorithm, kServe | kBenchSign | kCheckConfig | kExport,
       "JWS algorithm of the tokens: RS256, PS256, ES256 or HS256 (default RS256)",
       [](Options& o, const std::string& v, bool) { o.signing_algorithm = v; }},
      {"signing-secret", "SIGNING_SECRET", Kind::text, kServe | kBenchSign | kCheckConfig,
       "HS256 shared secret, at least 32 bytes (required with HS256)",
       [](Options& o, const std::string& v, bool) { o.signing_secret = v; }},
  };
  static const std::vector<Spec> after = {
      {"threads", "THREADS", Kind::count, kServe | kBenchSign,
       "most HTTP worker threads: requests answered at once, made on demand (default 64; idle connections hold none); "
       "bench-sign: signing threads (default 1)",
       [](Options& o, const std::string& v, bool) { o.threads = static_cast<int>(parse_int64(v).value_or(0)); }},
      {"debug", "DEBUG", Kind::boolean, kServe, "reported as _info.debug, as the Formance service does",
       [](Options& o, const std::string&, bool b) { o.debug = b; }},
      {"quiet", "QUIET", Kind::boolean, kServe, "ready line on stdout, problems on stderr, no request/start/stop log",
       [](Options& o, const std::string&, bool b) { o.quiet = b; }},
      {"clock-start", "CLOCK_START", Kind::instant, kServe,
       "start every environment's clock at this time, Unix seconds or 2030-01-01T00:00:00Z (reset returns there)",
       [](Options& o, const std::string& v, bool) { o.clock_start = instant_of(v); }},
      {"clock-frozen", "CLOCK_FROZEN", Kind::boolean, kServe,
       "start with the clocks frozen (they move only by the admin API)",
       [](Options& o, const std::string&, bool b) { o.clock_frozen = b; }},
      {"admin-api", "ADMIN_API", Kind::boolean, kServe,
       "serve the admin API (clock, reset, mint, keys, faults, journal) under /_authemu (default true)",
       [](Options& o, const std::string&, bool b) { o.admin_api = b; }},
      {"admin-token", "ADMIN_TOKEN", Kind::text, kServe | kAdmin | kTls | kExport,
       "server: the admin API then needs Authorization: Bearer <token> (and answers any Host; mint and key import need "
       "it with a key that is not a test key beyond loopback); admin commands: the token they send",
       [](Options& o, const std::string& v, bool) { o.admin_token = v; }},
      {"dir", "AUTHEMU_TLS_DIR", Kind::text, kTls, "tls ca: the directory of the CA (as --tls-ca-dir)",
       [](Options& o, const std::string& v, bool) { o.tls_ca_dir = v; }},
      {"cn", "AUTHEMU_CLIENT_CN", Kind::text, kTls, "tls client-cert: the certificate's subject CN (at most 64 characters)",
       [](Options& o, const std::string& v, bool) { o.client_cert.cn = v; }},
      {"cert", "AUTHEMU_CLIENT_CERT", Kind::text, kTls, "tls client-cert: where to write the certificate (PEM)",
       [](Options& o, const std::string& v, bool) { o.client_cert.cert_file = v; }},
      {"key", "AUTHEMU_CLIENT_KEY", Kind::text, kTls,
       "tls client-cert: where to write its private key (PEM, mode 0600)",
       [](Options& o, const std::string& v, bool) { o.client_cert.key_file = v; }},
      {"dns", "AUTHEMU_CLIENT_DNS", Kind::list, kTls, "tls client-cert: dNSName SANs (comma separated or repeated)",
       [](Options& o, const std::string& v, bool) { o.client_cert.dns.push_back(v); },
       [](Options& o) { o.client_cert.dns.clear(); }},
      {"uri", "AUTHEMU_CLIENT_URI", Kind::text, kTls, "tls client-cert: a URI SAN (repeat for more)",
       [](Options& o, const std::string& v, bool) { o.client_cert.uris.push_back(v); },
       [](Options& o) { o.client_cert.uris.clear(); }},
      {"ip", "AUTHEMU_CLIENT_IP", Kind::list, kTls, "tls client-cert: iPAddress SANs (comma separated or repeated)",
       [](Options& o, const std::string& v, bool) { o.client_cert.ips.push_back(v); },
       [](Options& o) { o.client_cert.ips.clear(); }},
      {"email", "AUTHEMU_CLIENT_EMAIL", Kind::list, kTls,
       "tls client-cert: rfc822Name SANs (comma separated or repeated)",
       [](Options& o, const std::string& v, bool) { o.client_cert.emails.push_back(v); },
       [](Options& o) { o.client_cert.emails.clear(); }},
      {"lifetime", "AUTHEMU_CLIENT_LIFETIME", Kind::duration, kTls,
       "tls client-cert: how long it is valid, e.g. 30d or 3600 (default 30d; at most until the CA's end)",
       [](Options& o, const std::string& v, bool) { o.client_cert.lifetime = v; }},
      {"seconds", "BENCH_SECONDS", Kind::seconds, kBenchSign,
       "bench-sign: how long to measure (default 3; 0: the key load and one signature)",
       [](Options& o, const std::string& v, bool) { o.bench_seconds = parse_seconds(v).value_or(0); }},
      {"url", "AUTHEMU_URL", Kind::text, kPersonalToken | kAdmin | kTls | kExport,
       "personal-token, export, admin commands, tls client-cert: the running server (default http://127.0.0.1:8080)",
       [](Options& o, const std::string& v, bool) { o.url = v; }},
      {"environment", "AUTHEMU_ENVIRONMENT", Kind::text, kPersonalToken | kAdmin | kExport,
       "personal-token, export: the environment (default: default); admin commands: the one to act on (default: all)",
       [](Options& o, const std::string& v, bool) { o.environment = v; }},
      {"username", "AUTHEMU_USERNAME", Kind::text, kPersonalToken, "personal-token: the platform member",
       [](Options& o, const std::string& v, bool) { o.username = v; }},
      {"password", "AUTHEMU_PASSWORD", Kind::text, kPersonalToken, "personal-token: the member's password",
       [](Options& o, const std::string& v, bool) { o.password = v; }},
      {"client-id", "AUTHEMU_CLIENT_ID", Kind::text, kPersonalToken,
       "personal-token: the platform client (default fctl)",
       [](Options& o, const std::string& v, bool) { o.client_id = v; }},
      {"client-secret", "AUTHEMU_CLIENT_SECRET", Kind::text, kPersonalToken,
       "personal-token: its secret, if it has one",
       [](Options& o, const std::string& v, bool) { o.client_secret = v; }},
      {"scope", "AUTHEMU_SCOPE", Kind::text, kPersonalToken,
       "personal-token: scope asked of the platform (default \"openid email\")",
       [](Options& o, const std::string& v, bool) { o.scope = v; }},
      {"user", "AUTHEMU_USER", Kind::text, kAdmin,
       "device approve and deny: the user who decides, an id, username or email (approve's default: the user its "
       "id_token_hint named)",
       [](Options& o, const std::string& v, bool) { o.user = v; }},
      {"client", "AUTHEMU_EXPORT_CLIENT", Kind::text, kExport, "export ftl: the FTL client (default ftl-client)",
       [](Options& o, const std::string& v, bool) { o.export_client = v; }},
      {"out", "AUTHEMU_OUT", Kind::text, kExport, "export: the file to write (default: stdout)",
       [](Options& o, const std::string& v, bool) { o.out_file = v; }},
  };
  static const std::vector<Spec> all = [] {
    std::vector<Spec> out = before;
    for (const auto& e : environment_settings())
      out.push_back(environment_spec(e)); // lifetimes, login mode, delegation, … (one row each there)
    out.insert(out.end(), after.begin(), after.end());
    return out;
  }();
  return all;
}

std::optional<bool> parse_bool(const std::string& v) {
  if (v == "true" || v == "1" || v == "yes" || v == "on" || v == "TRUE" || v == "True") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off" || v == "FALSE" || v == "False" || v.empty()) return false;
  return std::nullopt;
}

// An origin for --cors-origins: scheme://host[:port] and no more; '*' would be every origin.
void check_origin(const std::string& item, const std::string& where) {
  if (item == "*") throw ConfigError(where + ": '*' is not allowed: list each origin that may send credentials");
  if (!parse_origin(item)) {
    throw ConfigError(where +
                      ": expected origins such as https://app.example or http://localhost:3000 (scheme://host[:port], "
                      "no path), got '" +
                      item + "'");
  }
}

void apply(Options& o, const Spec& s, const std::string& value, const std::string& where) {
  switch (s.kind) {
  case Kind::boolean: {
    auto b = parse_bool(value);
    if (!b) throw ConfigError(where + ": expected true or false, got '" + value + "'");
    s.set(o, value, *b);
    return;
  }
  case Kind::duration:
    if (!parse_duration(value))
      throw ConfigError(where + ": expected a duration such as 3600, 90s, 5m or 1h, got '" + value + "'");
    break;
  case Kind::count: {
    auto n = parse_int64(value);
    if (!n || *n < 1 || *n > 256) throw ConfigError(where + ": expected a number from 1 to 256");
    break;
  }
  case Kind::seconds:
    if (!parse_seconds(value)) throw ConfigError(where + ": expected seconds from 0 to 600");
    break;
  case Kind::list:
  case Kind::origins: {
    // go-libs: slice values may be comma- or space-separated.
    std::string item;
    for (char c : value + ",") {
      if (c == ',' || c == ' ') {
        if (!item.empty()) {
          if (s.kind == Kind::origins) check_origin(item, where);
          s.set(o, item, false);
        }
        item.clear();
      } else {
        item += c;
      }
    }
    return;
  }
  case Kind::instant:
    if (!instant_of(value) || *instant_of(value) > 253402300799) {
      throw ConfigError(where + ": expected Unix seconds or a UTC time such as 2030-01-01T00:00:00Z, got '" + value +
                        "'");
    }
    break;
  case Kind::algorithm:
    if (!find_algorithm(value))
      throw ConfigError(where + ": expected RS256, PS256, ES256 or HS256, got '" + value + "'");
    break;
  case Kind::choice:
    if (std::find(s.choices->begin(), s.choices->end(), value) == s.choices->end())
      throw ConfigError(where + ": expected " + choice_list(*s.choices) + ", got '" + value + "'");
    break;
  case Kind::text:
    break;
  }
  s.set(o, value, false);
}

const Spec* find_spec(const std::string& flag) {
  for (const auto& s : specs()) {
    if (flag == s.flag) return &s;
  }
  return nullptr;
}

} // namespace

std::string Options::source_of(const std::string& flag) const {
  auto it = sources.find(flag);
  return it == sources.end() ? "--" + flag : it->second;
}

std::vector<OptionInfo> option_infos() {
  std::vector<OptionInfo> out;
  for (const auto& s : specs())
    out.push_back(OptionInfo{s.flag, s.env, s.kind != Kind::boolean, s.help, s.commands});
  return out;
}

namespace {

// A command word: a row of the command table.
void check_command(const std::string& a) {
  if (find_command(a) == nullptr) throw ConfigError("unknown command '" + a + "' (commands: " + command_names() + ")");
}

// A word that a boolean flag takes as its value when it follows it (--admin-api false).
bool is_bool_word(const std::string& v) {
  return !v.empty() && parse_bool(v).has_value();
}

// --help anywhere: the usage of the command given before or after it (help's own topic word counts).
Options help_for(const std::vector<std::string>& args, size_t from, Options o, bool command_seen) {
  std::string topic = command_seen && o.command != "help" ? o.command : "";
  for (size_t i = from; topic.empty() && i < args.size(); ++i) {
    if (args[i].rfind("-", 0) != 0 && args[i] != "help") topic = args[i];
  }
  if (!topic.empty()) check_command(topic);
  o.command = "help";
  o.help_topic = topic == "help" || topic == "version" ? "" : topic;
  return o;
}

} // namespace

Options parse_options(const std::vector<std::string>& args, const EnvGetter& env) {
  Options o;
  for (const auto& s : specs()) {
    if (auto v = env(s.env)) {
      if (s.clear) s.clear(o); // a list from the environment replaces the default
      apply(o, s, *v, std::string("environment ") + s.env);
      o.sources[s.flag] = s.env;
    }
  }
  bool command_seen = false;
  std::vector<const Spec*> lists_reset; // flags replace the environment's list
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") return help_for(args, i + 1, o, command_seen);
    if (a == "--version") {
      o.command = "version";
      return o;
    }
    if (a.rfind("--", 0) != 0) {
      if (command_seen && (is_admin_command(o.command) || o.command == "check-config" || o.command == "tls" ||
                           o.command == "export" || o.command == "explain")) {
        if (o.args.size() >= 64) throw ConfigError("more than 64 arguments");
        o.args.push_back(a);
        continue;
      }
      if (command_seen && o.command == "help") return help_for(args, i, o, false);
      if (command_seen) throw ConfigError("unexpected argument '" + a + "' (see authemu " + o.command + " --help)");
      check_command(a);
      o.command = a;
      command_seen = true;
      continue;
    }
    std::string name = a.substr(2), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    const Spec* s = find_spec(name);
    if (s == nullptr) throw ConfigError("unknown option --" + name + " (see --help)");
    if (!has_value && (s->kind != Kind::boolean || (i + 1 < args.size() && is_bool_word(args[i + 1])))) {
      if (i + 1 >= args.size()) throw ConfigError("--" + name + ": missing value");
      value = args[++i];
      has_value = true;
    }
    if (!has_value) value = "true";
    if (s->clear && std::find(lists_reset.begin(), lists_reset.end(), s) == lists_reset.end()) {
      s->clear(o);
      lists_reset.push_back(s);
    }
    apply(o, *s, value, "--" + name);
    o.sources[name] = "--" + name;
  }
  parse_listen(o.listen);
  if (!o.tls_listen.empty()) parse_listen(o.tls_listen, o.source_of("tls-listen"));
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    throw ConfigError(o.tls_cert.empty() ? o.source_of("tls-key") + ": needs --tls-cert (TLS_CERT) beside it"
                                         : o.source_of("tls-cert") + ": needs --tls-key (TLS_KEY) beside it");
  }
  if (o.tls_client_certs != "request" && o.tls_client_certs != "off") {
    throw ConfigError(o.source_of("tls-client-certs") + ": expected request or off, got '" + o.tls_client_certs + "'");
  }
  if (!o.tls_client_ca.empty() && !o.tls_wanted() && o.tls_client_cert_header.empty() && o.command == "serve") {
    throw ConfigError(o.source_of("tls-client-ca") + ": needs a TLS listener (--tls, --tls-listen, --tls-cert or "
                                                     "--tls-ca-dir) or --tls-client-cert-header");
  }
  if (!o.tls_cert.empty() && !o.tls_ca_dir.empty()) {
    throw ConfigError(o.source_of("tls-ca-dir") + ": not with " + o.source_of("tls-cert") +
                      ": a given certificate needs no CA");
  }
  return o;
}

ListenAddress parse_listen(const std::string& listen, const std::string& where) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) throw ConfigError(where + ": expected host:port, got '" + listen + "'");
  ListenAddress a;
  a.host = listen.substr(0, colon);
  if (a.host.size() >= 2 && a.host.front() == '[' && a.host.back() == ']') a.host = a.host.substr(1, a.host.size() - 2);
  if (a.host.empty()) a.host = "0.0.0.0"; // ":8080", as the Formance service's default
  std::string port = listen.substr(colon + 1);
  auto p = parse_uint64(port, 65535);
  if (!p) throw ConfigError(where + ": bad port '" + port + "'");
  a.port = static_cast<int>(*p);
  return a;
}

} // namespace authemu
