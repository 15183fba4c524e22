#include <catch2/catch.hpp>

#include <map>

#include "base/config_error.h"
#include "cli/help.h"
#include "cli/options.h"

using namespace authemu;

namespace {
Options parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  return parse_options(args, [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
}
} // namespace

TEST_CASE("options: defaults") {
  Options o = parse({});
  CHECK(o.command == "serve");
  CHECK(o.listen == "127.0.0.1:8080");
  CHECK(o.access_token_lifetime == 3600);
  CHECK(o.user_token_lifetime == 300);
  CHECK_FALSE(o.auth_check_scopes);
}

TEST_CASE("options: Formance flag and environment names, flags win") {
  Options o = parse({"serve", "--listen", "0.0.0.0:9000", "--base-url=http://h/api/auth", "--auth-check-scopes"},
                    {{"LISTEN", ":1"}, {"CONFIG", "/etc/c.yaml"}, {"AUTH_ISSUERS", "http://a, http://b"}});
  CHECK(o.listen == "0.0.0.0:9000");
  CHECK(o.base_url == "http://h/api/auth");
  CHECK(o.config == "/etc/c.yaml");
  CHECK(o.auth_check_scopes);
  CHECK(o.auth_issuers == std::vector<std::string>{"http://a", "http://b"});
  CHECK(parse({}, {{"AUTH_CHECK_SCOPES", "true"}}).auth_check_scopes);
  CHECK(parse({}, {{"ACCESS_TOKEN_LIFETIME", "2h"}}).access_token_lifetime == 7200);
  CHECK(parse({"--user-token-lifetime", "90s"}).user_token_lifetime == 90);
}

TEST_CASE("options: test controls and admin commands") {
  Options o = parse({"--clock-start", "2030-01-01T00:00:00Z", "--clock-frozen", "--admin-token=t"});
  CHECK(o.clock_start == 1893456000);
  CHECK(o.clock_frozen);
  CHECK(o.admin_token == "t");
  CHECK(o.admin_api);
  CHECK(parse({}, {{"CLOCK_START", "1700000000"}, {"ADMIN_API", "false"}}).clock_start == 1700000000);
  CHECK_FALSE(parse({}, {{"ADMIN_API", "false"}}).admin_api);
  CHECK_THROWS_WITH(parse({"--clock-start", "tomorrow"}),
                    "--clock-start: expected Unix seconds or a UTC time such as 2030-01-01T00:00:00Z, got 'tomorrow'");
  Options c = parse({"clock", "advance", "1h", "--url", "http://h:1", "--environment", "sandbox"});
  CHECK(c.command == "clock");
  CHECK(c.args == std::vector<std::string>{"advance", "1h"});
  CHECK(c.url == "http://h:1");
  CHECK(c.environment == "sandbox");
  CHECK(parse({"mint", "case=expired", "claims:={}"}).args == std::vector<std::string>{"case=expired", "claims:={}"});
  CHECK_THROWS_WITH(parse({"serve", "extra"}), "unexpected argument 'extra' (see authemu serve --help)");
  Options d = parse({"device", "approve", "abcd-efgh", "--user", "alice"});
  CHECK(d.command == "device");
  CHECK(d.args == std::vector<std::string>{"approve", "abcd-efgh"});
  CHECK(d.user == "alice");
  CHECK(parse({"device", "deny", "X"}, {{"AUTHEMU_USER", "bob"}}).user == "bob");
}

TEST_CASE("options: device flow lifetime and interval (RFC 8628)") {
  Options o = parse({});
  CHECK(o.device_code_lifetime == 600);
  CHECK(o.device_code_interval == 5);
  Options t = parse({"--device-code-interval", "1s"}, {{"DEVICE_CODE_LIFETIME", "2m"}});
  CHECK(t.device_code_interval == 1);
  CHECK(t.device_code_lifetime == 120);
  CHECK(parse({"--id-token-lifetime", "15m"}).id_token_lifetime == 900);
  CHECK(parse({}, {{"ID_TOKEN_LIFETIME", "2h"}}).id_token_lifetime == 7200);
  CHECK(o.id_token_lifetime == 3600);
  CHECK_THROWS_WITH(parse({"--device-code-interval", "soon"}),
                    "--device-code-interval: expected a duration such as 3600, 90s, 5m or 1h, got 'soon'");
}

TEST_CASE("options: bad input names the option") {
  CHECK_THROWS_WITH(parse({"--nope"}), "unknown option --nope (see --help)");
  CHECK_THROWS_WITH(parse({"--listen"}), "--listen: missing value");
  CHECK_THROWS_WITH(parse({"--listen", "8080"}), "--listen: expected host:port, got '8080'");
  CHECK_THROWS_WITH(parse({"--listen", "h:99999"}), "--listen: bad port '99999'");
  CHECK_THROWS_WITH(parse({"--access-token-lifetime", "soon"}),
                    "--access-token-lifetime: expected a duration such as 3600, 90s, 5m or 1h, got 'soon'");
  CHECK_THROWS_WITH(parse({}, {{"AUTH_CHECK_SCOPES", "maybe"}}),
                    "environment AUTH_CHECK_SCOPES: expected true or false, got 'maybe'");
  CHECK_THROWS_WITH(parse({"frobnicate"}), Catch::StartsWith("unknown command 'frobnicate'"));
  CHECK_THROWS_WITH(parse({"--threads", "0"}), "--threads: expected a number from 1 to 256");
}

TEST_CASE("options: signing algorithm, secret and rotation grace") {
  Options d = parse({});
  CHECK(d.signing_algorithm == "RS256");
  CHECK(d.key_rotation_grace == 86400);
  Options o = parse({"--signing-algorithm", "ES256", "--key-rotation-grace", "10m"}, {{"SIGNING_SECRET", "s"}});
  CHECK(o.signing_algorithm == "ES256");
  CHECK(o.key_rotation_grace == 600);
  CHECK(o.signing_secret == "s");
  CHECK(parse({}, {{"SIGNING_ALGORITHM", "HS256"}, {"KEY_ROTATION_GRACE", "1h"}}).key_rotation_grace == 3600);
  CHECK_THROWS_WITH(parse({"--signing-algorithm", "none"}),
                    "--signing-algorithm: expected RS256, PS256, ES256 or HS256, got 'none'");
  CHECK_THROWS_WITH(parse({}, {{"SIGNING_ALGORITHM", "rs256"}}),
                    "environment SIGNING_ALGORITHM: expected RS256, PS256, ES256 or HS256, got 'rs256'");
}

TEST_CASE("options: help lists every flag with its environment variable") {
  std::string h = help_text();
  for (const char* s : {"--listen",
                        "LISTEN",
                        "--base-url",
                        "BASE_URL",
                        "--config",
                        "CONFIG",
                        "--signing-key",
                        "SIGNING_KEY",
                        "--generate-signing-key",
                        "--auth-check-scopes",
                        "AUTH_CHECK_SCOPES",
                        "--access-token-lifetime",
                        "--user-token-lifetime",
                        "--auth-issuers",
                        "--threads",
                        "--quiet",
                        "--signing-algorithm",
                        "SIGNING_ALGORITHM",
                        "--signing-secret",
                        "SIGNING_SECRET",
                        "--key-rotation-grace",
                        "KEY_ROTATION_GRACE"}) {
    CHECK_THAT(h, Catch::Contains(s));
  }
  CHECK(parse({"--help"}).command == "help");
}

TEST_CASE("options: listen addresses") {
  CHECK(parse_listen(":8080").host == "0.0.0.0");
  CHECK(parse_listen("[::1]:0").host == "::1");
  CHECK(parse_listen("127.0.0.1:0").port == 0);
}

TEST_CASE("options: durations in the one grammar, and the error for anything else") {
  CHECK(parse({"--access-token-lifetime", "3600"}).access_token_lifetime == 3600);
  CHECK(parse({"--access-token-lifetime", "1h30m"}).access_token_lifetime == 5400);
  CHECK(parse({"--user-token-lifetime", "2000ms"}).user_token_lifetime == 2);
  CHECK(parse({"--refresh-token-lifetime", "+2d"}).refresh_token_lifetime == 172800);
  CHECK(parse({}, {{"KEY_ROTATION_GRACE", "30m1h"}}).key_rotation_grace == 5400);
  CHECK_THROWS_WITH(parse({"--access-token-lifetime", "1.5h"}),
                    "--access-token-lifetime: expected a duration such as 3600, 90s, 5m or 1h, got '1.5h'");
  CHECK_THROWS_WITH(parse({"--key-rotation-grace", "1500ms"}),
                    "--key-rotation-grace: expected a duration such as 3600, 90s, 5m or 1h, got '1500ms'");
  CHECK_THROWS_WITH(parse({}, {{"USER_TOKEN_LIFETIME", "-5m"}}),
                    "environment USER_TOKEN_LIFETIME: expected a duration such as 3600, 90s, 5m or 1h, got '-5m'");
}

TEST_CASE("options: numbers that overflow are errors, not clamped") {
  CHECK(parse_listen("h:65535").port == 65535);
  CHECK_THROWS_WITH(parse_listen("h:99999999999999999999"), "--listen: bad port '99999999999999999999'");
  CHECK_THROWS_WITH(parse_listen("h:-1"), "--listen: bad port '-1'");
  CHECK_THROWS_WITH(parse_listen("h:80x"), "--listen: bad port '80x'");
  CHECK(parse({"--threads", "256"}).threads == 256);
  CHECK_THROWS_WITH(parse({"--threads", "99999999999999999999"}), "--threads: expected a number from 1 to 256");
  CHECK_THROWS_WITH(parse({"--threads", "8 "}), "--threads: expected a number from 1 to 256");
  CHECK(parse({"--clock-start", "1893456000"}).clock_start == 1893456000);
  CHECK_THROWS_WITH(parse({"--clock-start", "99999999999999999999"}),
                    "--clock-start: expected Unix seconds or a UTC time such as 2030-01-01T00:00:00Z, got "
                    "'99999999999999999999'");
  CHECK(parse({"bench-sign", "--seconds", "0.5"}).bench_seconds == 0.5);
  CHECK(parse({"bench-sign", "--seconds", "0"}).bench_seconds == 0);
  CHECK_THROWS_WITH(parse({"bench-sign", "--seconds", "-1"}), "--seconds: expected seconds from 0 to 600");
  CHECK_THROWS_WITH(parse({"bench-sign", "--seconds", "1e999"}), "--seconds: expected seconds from 0 to 600");
  CHECK_THROWS_WITH(parse({"bench-sign", "--seconds", "2s"}), "--seconds: expected seconds from 0 to 600");
}

TEST_CASE("options: --cors-origins takes origins, normalised; flags replace CORS_ORIGINS") {
  CHECK(parse({}, {{"CORS_ORIGINS", "https://App.example:443, http://localhost:3000"}}).cors_origins ==
        std::vector<std::string>{"https://app.example", "http://localhost:3000"});
  Options o = parse({"--cors-origins", "http://a.example/", "--cors-origins=http://b.example:8080"},
                    {{"CORS_ORIGINS", "http://env.example"}, {"AUTH_ISSUERS", "http://i"}});
  CHECK(o.cors_origins == std::vector<std::string>{"http://a.example", "http://b.example:8080"});
  CHECK(o.auth_issuers == std::vector<std::string>{"http://i"}); // another list keeps its environment value
  CHECK(parse({"--auth-issuers", "http://j"}, {{"CORS_ORIGINS", "http://env.example"}}).cors_origins ==
        std::vector<std::string>{"http://env.example"});
  CHECK_THROWS_WITH(parse({"--cors-origins", "*"}),
                    "--cors-origins: '*' is not allowed: list each origin that may send credentials");
  for (const char* bad : {"app.example", "https://app.example/cb", "null", "https://", "https://a.example:0"}) {
    INFO(bad);
    CHECK_THROWS_WITH(parse({}, {{"CORS_ORIGINS", bad}}),
                      std::string("environment CORS_ORIGINS: expected origins such as https://app.example or "
                                  "http://localhost:3000 (scheme://host[:port], no path), got '") +
                          bad + "'");
  }
}

TEST_CASE("options: a boolean flag alone is true, or takes the next word when it is a boolean") {
  CHECK_FALSE(parse({"--admin-api", "false"}).admin_api);
  CHECK_FALSE(parse({"--admin-api=false"}).admin_api);
  CHECK(parse({"--admin-api", "true"}).admin_api);
  Options o = parse({"--quiet", "serve"}); // serve is no boolean: --quiet alone, then the command
  CHECK(o.quiet);
  CHECK(o.command == "serve");
  CHECK(parse({"--debug", "1", "--quiet", "off"}).debug);
  CHECK_FALSE(parse({"--debug", "1", "--quiet", "off"}).quiet);
  CHECK(parse({"clock", "--quiet", "advance", "1h"}).args == std::vector<std::string>{"advance", "1h"});
}

TEST_CASE("options: --help after or before a command asks for that command's usage") {
  Options o = parse({"clock", "--help"});
  CHECK(o.command == "help");
  CHECK(o.help_topic == "clock");
  CHECK(parse({"--help", "mint"}).help_topic == "mint");
  CHECK(parse({"help", "check-config"}).help_topic == "check-config");
  CHECK(parse({"-h"}).help_topic.empty());
  CHECK(parse({"help"}).help_topic.empty());
  CHECK(parse({"mint", "case=expired", "--help"}).help_topic == "mint");
  CHECK_THROWS_WITH(parse({"help", "frobnicate"}), Catch::StartsWith("unknown command 'frobnicate' (commands: serve"));
}

TEST_CASE("options: each command's help has its usage and only its options") {
  std::string clock = command_help("clock");
  CHECK_THAT(clock, Catch::StartsWith("Usage:\n  authemu clock [advance D | set TIME | freeze | unfreeze | reset] "
                                      "[--environment E]\n"));
  CHECK_THAT(clock, Catch::Contains("--url VALUE"));
  CHECK_THAT(clock, Catch::Contains("env AUTHEMU_URL"));
  CHECK_THAT(clock, Catch::Contains("--admin-token VALUE"));
  CHECK_THAT(clock, !Catch::Contains("--listen"));
  std::string serve = command_help("serve");
  CHECK_THAT(serve, Catch::Contains("--listen VALUE"));
  CHECK_THAT(serve, Catch::Contains("--admin-api "));
  CHECK_THAT(serve, !Catch::Contains("--username"));
  std::string check = command_help("check-config");
  CHECK_THAT(check, Catch::StartsWith("Usage:\n  authemu check-config FILE\n"));
  CHECK_THAT(check, Catch::Contains("--signing-key VALUE"));
  CHECK_THAT(command_help("personal-token"), Catch::Contains("--username VALUE"));
  CHECK_THAT(command_help("bench-sign"), Catch::Contains("env BENCH_SECONDS"));
  CHECK(command_help("") == help_text());
  CHECK_THAT(help_text(), Catch::Contains("  authemu <command> --help      that command's usage and options\n"));
}

TEST_CASE("options: where a value came from, for messages about it") {
  CHECK(parse({}).source_of("config") == "--config");
  CHECK(parse({}, {{"CONFIG", "f.yaml"}}).source_of("config") == "CONFIG");
  CHECK(parse({"--config", "g.yaml"}, {{"CONFIG", "f.yaml"}}).source_of("config") == "--config");
  CHECK(parse({"check-config", "f.yaml"}).args == std::vector<std::string>{"f.yaml"});
}

TEST_CASE("options: --services and SERVICES replace the default list") {
  CHECK(parse({}).services.size() == 6);
  CHECK(parse({}, {{"SERVICES", "ledger wallets"}}).services == std::vector<std::string>{"ledger", "wallets"});
  CHECK(parse({"--services", "ledger@v2.1.0"}, {{"SERVICES", "wallets"}}).services ==
        std::vector<std::string>{"ledger@v2.1.0"});
}

TEST_CASE("options: TLS flags, each with its environment variable") {
  Options plain = parse({});
  CHECK_FALSE(plain.tls_wanted());
  Options o = parse({"--tls", "--tls-listen", "127.0.0.1:0", "--tls-names", "a.test,10.0.0.1", "--tls-ca-out", "/x/ca.pem",
                     "--tls-trust", "/x/roots.pem"});
  CHECK(o.tls);
  CHECK(o.tls_listen == "127.0.0.1:0");
  CHECK(o.tls_names == std::vector<std::string>{"a.test", "10.0.0.1"});
  CHECK(o.tls_ca_out == "/x/ca.pem");
  CHECK(o.tls_trust == "/x/roots.pem");
  CHECK(o.tls_wanted());
  Options e = parse({}, {{"TLS", "true"}, {"TLS_LISTEN", ":8443"}, {"TLS_NAMES", "b.test c.test"}, {"TLS_CA_DIR", "/d"},
                         {"TLS_CA_OUT", "/o.pem"}, {"TLS_TRUST", "/t.pem"}});
  CHECK(e.tls);
  CHECK(e.tls_listen == ":8443");
  CHECK(e.tls_names == std::vector<std::string>{"b.test", "c.test"});
  CHECK(e.tls_ca_dir == "/d");
  CHECK(e.tls_ca_out == "/o.pem");
  CHECK(e.tls_trust == "/t.pem");
  Options c = parse({}, {{"TLS_CERT", "/c.pem"}, {"TLS_KEY", "/k.pem"}});
  CHECK(c.tls_cert == "/c.pem");
  CHECK(c.tls_key == "/k.pem");
  CHECK(c.tls_wanted());
  CHECK(parse({"--tls-listen", ":8443"}).tls_wanted());
  Options m = parse({"--tls", "--tls-client-ca", "/x/clients.pem"});
  CHECK(m.tls_client_ca == "/x/clients.pem");
  CHECK(parse({"--tls-listen", ":0"}, {{"TLS_CLIENT_CA", "/y.pem"}}).tls_client_ca == "/y.pem");
  CHECK(parse({"--tls"}).asks_client_certificates());
  // Behind a TLS-terminating proxy: client roots without a TLS listener of authemu's own.
  Options proxied = parse({"--tls-client-cert-header", "X-SSL-Client-Cert", "--tls-client-ca", "/team.pem"});
  CHECK(proxied.tls_client_cert_header == "X-SSL-Client-Cert");
  CHECK(proxied.tls_client_ca == "/team.pem");
  CHECK_FALSE(proxied.tls_wanted());
  CHECK_FALSE(parse({"--tls", "--tls-client-certs", "off"}).asks_client_certificates());
  CHECK_FALSE(parse({"--tls"}, {{"TLS_CLIENT_CERTS", "off"}}).asks_client_certificates());
  Options cc = parse({"tls", "client-cert", "--cn", "svc", "--cert", "c.pem", "--key", "k.pem", "--dns", "a.test,b.test",
                      "--uri", "spiffe://x/a,b", "--uri", "urn:y", "--ip", "10.0.0.1", "--email", "o@x.test",
                      "--lifetime", "30d", "--url", "https://127.0.0.1:8443"});
  CHECK(cc.args == std::vector<std::string>{"client-cert"});
  CHECK(cc.client_cert.cn == "svc");
  CHECK(cc.client_cert.cert_file == "c.pem");
  CHECK(cc.client_cert.key_file == "k.pem");
  CHECK(cc.client_cert.dns == std::vector<std::string>{"a.test", "b.test"});
  CHECK(cc.client_cert.uris == std::vector<std::string>{"spiffe://x/a,b", "urn:y"}); // a URI is never split
  CHECK(cc.client_cert.ips == std::vector<std::string>{"10.0.0.1"});
  CHECK(cc.client_cert.emails == std::vector<std::string>{"o@x.test"});
  CHECK(cc.client_cert.lifetime == "30d");
  CHECK(cc.url == "https://127.0.0.1:8443");
  Options t = parse({"tls", "ca", "--dir", "/ca"});
  CHECK(t.command == "tls");
  CHECK(t.args == std::vector<std::string>{"ca"});
  CHECK(t.tls_ca_dir == "/ca");
}

TEST_CASE("options: TLS mistakes name the option") {
  auto error = [](std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    try {
      parse(std::move(args), std::move(env));
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error({"--tls-cert", "/c.pem"}) == "--tls-cert: needs --tls-key (TLS_KEY) beside it");
  CHECK(error({}, {{"TLS_KEY", "/k.pem"}}) == "TLS_KEY: needs --tls-cert (TLS_CERT) beside it");
  CHECK(error({"--tls-cert", "/c", "--tls-key", "/k", "--tls-ca-dir", "/d"}) ==
        "--tls-ca-dir: not with --tls-cert: a given certificate needs no CA");
  CHECK(error({"--tls-listen", "8443"}) == "--tls-listen: expected host:port, got '8443'");
  CHECK(error({}, {{"TLS_LISTEN", "h:x"}}) == "TLS_LISTEN: bad port 'x'");
  CHECK(error({}, {{"TLS", "maybe"}}) == "environment TLS: expected true or false, got 'maybe'");
  CHECK(error({"--tls-client-ca", "/c.pem"}) ==
        "--tls-client-ca: needs a TLS listener (--tls, --tls-listen, --tls-cert or --tls-ca-dir) or --tls-client-cert-header");
  CHECK(error({"--tls", "--tls-client-certs", "required"}) ==
        "--tls-client-certs: expected request or off, got 'required'");
  CHECK(error({}, {{"TLS_CLIENT_CA", "/c.pem"}}) ==
        "TLS_CLIENT_CA: needs a TLS listener (--tls, --tls-listen, --tls-cert or --tls-ca-dir) or --tls-client-cert-header");
}
