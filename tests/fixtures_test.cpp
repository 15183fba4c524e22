#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iterator>

#include "base/config_error.h"
#include "base/embedded.h"
#include "base/json.h"
#include "cli/startup.h"
#include "oauth/grant_registry.h"
#include "stack/fixture_extend.h"
#include "stack/fixtures.h"
#include "stack/node_stream.h"

using namespace authemu;

namespace {
Fixture load(const std::string& text) {
  return load_fixture(text, "f.yaml", [](const std::string& name) -> std::optional<std::string> {
    if (name == "MY_SECRET") return std::string("from-env");
    return std::nullopt;
  });
}
} // namespace

TEST_CASE("fixtures: the Formance static-clients format") {
  Fixture f = load(R"(
clients:
  - id: c1
    name: Client one
    description: d
    secrets: [one, $MY_SECRET]
    public: false
    trusted: true
    redirectUris: [http://localhost:3000/cb]
    postLogoutRedirectUris: [http://localhost:3000/]
    scopes: [ledger:read]
    metadata: {team: qa}
    accessTokenLifetime: 10m
  - id: c2
)");
  REQUIRE(f.clients.size() == 2);
  const Client& c = f.clients[0];
  CHECK(c.id == "c1");
  CHECK(c.name == "Client one");
  CHECK(c.trusted);
  CHECK(c.redirect_uris == std::vector<std::string>{"http://localhost:3000/cb"});
  CHECK(c.scopes == std::vector<std::string>{"ledger:read"});
  CHECK(c.metadata.at("team") == "qa");
  CHECK(*c.access_token_lifetime == 600);
  CHECK(secret_matches(c, "one"));
  CHECK(secret_matches(c, "from-env")); // "$MY_SECRET" read from the environment
  CHECK_FALSE(secret_matches(c, "$MY_SECRET"));
  CHECK(f.clients[1].name == "c2");
  CHECK(f.warnings.empty());
}

TEST_CASE("fixtures: errors name file, line and field") {
  CHECK_THROWS_WITH(load("clients:\n  - id: a\n    public: maybe\n"),
                    "f.yaml:3: clients[0].public: expected true or false");
  CHECK_THROWS_WITH(load("clients:\n  - name: x\n"), "f.yaml:2: clients[0].id: required");
  CHECK_THROWS_WITH(load("clients:\n  - id: a\n  - id: a\n"), "f.yaml:3: clients[1].id: duplicate client id a");
  CHECK_THROWS_WITH(load("clients:\n  - id: a\n    secrets: [$NOPE]\n"),
                    "f.yaml:3: clients[0].secrets[0]: environment variable NOPE is not set");
  CHECK_THROWS_WITH(load("clients:\n  - id: a\n    scopes: x\n"),
                    "f.yaml:3: clients[0].scopes: expected a list of strings");
  CHECK_THROWS_WITH(load("clients:\n  - id: a\n    accessTokenLifetime: forever\n"),
                    "f.yaml:3: clients[0].accessTokenLifetime: expected a duration such as 3600, 90s, 5m or 1h");
  CHECK_THROWS_WITH(load("clients: {a: 1}\n"), "f.yaml:1: clients: expected a list");
  CHECK_THROWS_WITH(load("clients:\n  - id: [a\n"), Catch::StartsWith("f.yaml:3: invalid YAML: "));
  CHECK_THROWS_WITH(load("users:\n  - username: a\n"), "f.yaml:2: users[0].password: required");
  CHECK_THROWS_WITH(load("users:\n  - {username: a, password: a}\n  - {username: a, password: b, id: x}\n"),
                    "f.yaml:3: users[1].username: duplicate username a");
}

TEST_CASE("fixtures: authemu's client additions") {
  Fixture f = load(R"(
clients:
  - id: ftl
    grantTypes: [password, refresh_token]
    audience: ftl
    userTokenLifetime: 2m
    refreshTokenLifetime: 1h
  - id: multi
    audience: [a, b]
)");
  const Client& c = f.clients[0];
  CHECK(client_allows_grant(c, "password"));
  CHECK_FALSE(client_allows_grant(c, "client_credentials"));
  CHECK(client_audience(c) == std::vector<std::string>{"ftl"});
  CHECK(*c.user_token_lifetime == 120);
  CHECK(*c.refresh_token_lifetime == 3600);
  CHECK(client_audience(f.clients[1]) == std::vector<std::string>{"a", "b"});
  SECTION("without grantTypes: Formance's set, no password grant") {
    Client d;
    d.id = "d";
    CHECK(client_allows_grant(d, "client_credentials"));
    CHECK(client_allows_grant(d, "refresh_token"));
    CHECK_FALSE(client_allows_grant(d, "password"));
    CHECK(client_audience(d) == std::vector<std::string>{"d"});
    d.is_public = true;
    CHECK_FALSE(client_allows_grant(d, "client_credentials"));
  }
  CHECK_THROWS_WITH(load("clients:\n  - id: a\n    grantTypes: [password, implicit]\n"),
                    "f.yaml:3: clients[0].grantTypes[1]: unknown grant type implicit (known: client_credentials, "
                    "password, refresh_token, authorization_code, urn:ietf:params:oauth:grant-type:device_code, "
                    "urn:ietf:params:oauth:grant-type:token-exchange, "
                    "urn:ietf:params:oauth:grant-type:jwt-bearer)");
}

TEST_CASE("fixtures: users") {
  Fixture f = load(R"(
users:
  - username: carol
    password: $MY_SECRET
    groups: [ftl]
    claims: {tier: 2, vip: true, nick: "007"}
)");
  REQUIRE(f.users.size() == 1);
  const User& u = f.users[0];
  CHECK(u.id == "carol"); // the id defaults to the username
  CHECK(u.password_hash == hash_secret("from-env"));
  CHECK(u.groups == std::vector<std::string>{"ftl"});
  CHECK(dump_json(Json(u.claims)) == R"({"nick":"007","tier":2,"vip":true})");
  CHECK_THROWS_WITH(load("users:\n  - {username: a, password: a, groups: x}\n"),
                    "f.yaml:2: users[0].groups: expected a list of strings");
  CHECK_THROWS_WITH(load("users:\n  - {username: a, password: a, claims: [1]}\n"),
                    "f.yaml:2: users[0].claims: expected a map");
  CHECK_THROWS_WITH(load("users:\n  - {password: a}\n"), "f.yaml:2: users[0].username: required");
  CHECK_THROWS_WITH(load("users:\n  - {username: a, password: a, id: x}\n  - {username: b, password: b, id: x}\n"),
                    "f.yaml:3: users[1].id: duplicate user id x");
}

TEST_CASE("fixtures: unknown keys are ignored with a warning, as Formance ignores them") {
  Fixture f = load("clients:\n  - id: a\n    PostLogoutRedirectUris: [x]\nextra: 1\n");
  REQUIRE(f.warnings.size() == 2);
  CHECK(f.warnings[0] == "f.yaml:3: clients[0].PostLogoutRedirectUris: unknown key, ignored");
  CHECK(f.warnings[1] == "f.yaml:4: extra: unknown key, ignored");
}

namespace {

// The same YAML document: kinds, scalars with their tags (plain "?" or quoted "!"), map keys in
// order, sequences item by item. Says where they differ.
std::string yaml_difference(const YAML::Node& a, const YAML::Node& b, const std::string& path) {
  if (a.Type() != b.Type()) return path + ": another kind of node";
  if (a.Tag() != b.Tag()) return path + ": tag " + a.Tag() + " against " + b.Tag();
  if (a.IsScalar()) return a.Scalar() == b.Scalar() ? "" : path + ": " + a.Scalar() + " against " + b.Scalar();
  if (a.size() != b.size()) return path + ": " + std::to_string(a.size()) + " against " + std::to_string(b.size());
  if (a.IsSequence()) {
    for (size_t i = 0; i < a.size(); ++i) {
      std::string d = yaml_difference(a[i], b[i], path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
  }
  if (a.IsMap()) {
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
      std::string key = ia->first.Scalar();
      if (key != ib->first.Scalar()) return path + ": key " + key + " against " + ib->first.Scalar();
      std::string d = yaml_difference(ia->second, ib->second, path + "." + key);
      if (!d.empty()) return d;
    }
  }
  return "";
}

} // namespace

TEST_CASE("fixtures: the embedded default's node stream is fixtures/default.yaml, node for node") {
  std::ifstream in("fixtures/default.yaml", std::ios::binary);
  REQUIRE(in);
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(*embedded_file("default.yaml") == file);
  auto nodes = embedded_file("default.yaml.nodes"); // built by scripts/yaml_nodes.cpp
  REQUIRE(nodes);
  CHECK(yaml_difference(YAML::Load(file), read_node_stream(*nodes), "(top level)") == "");
  CHECK(yaml_difference(YAML::Load(file), YAML::Load("{clients: [{id: other}]}"), "(top level)") ==
        "(top level): 4 against 1"); // and a difference is seen
  // Loaded either way: the same fixture.
  auto env = [](const std::string&) { return std::optional<std::string>(); };
  Fixture a = load_fixture(file, "f.yaml", env), b = load_fixture_nodes(*nodes, "f.yaml", env);
  REQUIRE(a.clients.size() == b.clients.size());
  for (size_t i = 0; i < a.clients.size(); ++i) {
    CHECK(a.clients[i].id == b.clients[i].id);
    CHECK(a.clients[i].secrets.size() == b.clients[i].secrets.size());
    CHECK(a.clients[i].redirect_uris == b.clients[i].redirect_uris);
    CHECK(a.clients[i].grant_types == b.clients[i].grant_types);
    CHECK(a.clients[i].is_public == b.clients[i].is_public);
  }
  REQUIRE(a.users.size() == b.users.size());
  for (size_t i = 0; i < a.users.size(); ++i) {
    CHECK(a.users[i].id == b.users[i].id);
    CHECK(a.users[i].password_hash == b.users[i].password_hash);
    CHECK(a.users[i].groups == b.users[i].groups);
    CHECK(dump_json(Json(a.users[i].claims)) == dump_json(Json(b.users[i].claims)));
  }
  REQUIRE(a.environments.size() == b.environments.size());
  for (size_t i = 0; i < a.environments.size(); ++i) {
    CHECK(a.environments[i].name == b.environments[i].name);
    CHECK(a.environments[i].signing_key == b.environments[i].signing_key);
    CHECK(a.environments[i].delegated_issuer == b.environments[i].delegated_issuer);
    CHECK(a.environments[i].clients.size() == b.environments[i].clients.size());
  }
  REQUIRE(a.platform.has_value() == b.platform.has_value());
  CHECK(a.platform->organization_id == b.platform->organization_id);
  CHECK(a.platform->users.size() == b.platform->users.size());
  CHECK(a.warnings == b.warnings);
}

TEST_CASE("fixtures: node streams keep kinds, tags, key order and bytes; a malformed one is refused") {
  const char* yaml = "b: [1, '2', {c: ~}]\na: \"x\\ty\"\n'': |\n  two\n  lines\nd:\n";
  YAML::Node doc = YAML::Load(yaml);
  std::string stream = write_node_stream(doc);
  CHECK(yaml_difference(doc, read_node_stream(stream), "(top level)") == "");
  CHECK(read_node_stream(stream)["a"].Scalar() == "x\ty");
  CHECK(read_node_stream(stream)["b"][1].Tag() == "!");
  CHECK(read_node_stream(stream)["b"][0].Tag() == "?");
  CHECK(read_node_stream("N0:").IsNull());
  CHECK_THROWS_WITH(read_node_stream(""), "node stream, byte 0: ends early");
  CHECK_THROWS_WITH(read_node_stream("M1:?2\nV1:?1:a"), "node stream, byte 13: ends early");
  CHECK_THROWS_WITH(read_node_stream("V1:?9:abc"), "node stream, byte 6: ends early");
  CHECK_THROWS_WITH(read_node_stream("S1:?x\n"), "node stream, byte 5: bad number");
  CHECK_THROWS_WITH(read_node_stream("S1:?9999999999\n"), "node stream, byte 14: bad number");
  CHECK_THROWS_WITH(read_node_stream("N0:N0:"), "node stream, byte 3: bytes after the document");
  CHECK_THROWS_WITH(read_node_stream("X"), "node stream, byte 1: unknown node kind 'X'");
  std::string deep;
  for (int i = 0; i < 100; ++i)
    deep += "S0:1\n";
  CHECK_THROWS_WITH(read_node_stream(deep + "N0:"), Catch::Contains("nested too deep"));
  CHECK_THROWS_WITH(load_fixture_nodes("M0:1\n", "x.nodes", [](const std::string&) { return std::nullopt; }),
                    "x.nodes: node stream, byte 5: ends early");
}

TEST_CASE("fixtures: the embedded default has testing/testing") {
  Fixture f = load(std::string(*embedded_file("default.yaml")));
  REQUIRE_FALSE(f.clients.empty());
  CHECK(f.clients[0].id == "testing");
  CHECK(secret_matches(f.clients[0], "testing"));
  CHECK(f.clients[0].scopes.empty());
  CHECK_FALSE(f.clients[0].is_public);
  CHECK(client_allows_grant(f.clients[0], "password"));
  REQUIRE(f.users.size() == 2);
  CHECK(f.users[0].username == "alice");
  CHECK(f.users[0].groups == std::vector<std::string>{"ftl-admin", "ftl"});
  CHECK(f.users[0].password_hash == hash_secret("alice"));
  CHECK(f.users[1].username == "bob");
  CHECK(f.users[1].groups == std::vector<std::string>{"ftl"});
  REQUIRE(f.environments.size() == 1);
  CHECK(f.environments[0].name == "sandbox");
  CHECK(*f.environments[0].signing_key == "embedded:test-signing-key-sandbox.pem");
  REQUIRE(f.environments[0].clients.size() == 3);
  CHECK(f.environments[0].clients[0].id == "testing");
  CHECK(*f.environments[0].delegated_issuer == "platform");
  CHECK(secret_matches(f.environments[0].clients[0], "testing"));
}

TEST_CASE("fixtures: numbers that overflow are errors, not clamped") {
  SECTION("a claim past 64 bits") {
    CHECK_THROWS_WITH(load("users:\n  - username: a\n    password: a\n    claims: {big: 99999999999999999999}\n"),
                      "f.yaml:4: users[0].claims.big: expected an integer from -9223372036854775808 to "
                      "9223372036854775807 (quote it for a string)");
    CHECK_THROWS_WITH(load("users:\n  - username: a\n    password: a\n    claims: {small: -9223372036854775809}\n"),
                      "f.yaml:4: users[0].claims.small: expected an integer from -9223372036854775808 to "
                      "9223372036854775807 (quote it for a string)");
  }
  SECTION("the limits themselves, signs, and a quoted big number") {
    Fixture f = load("users:\n  - username: a\n    password: a\n    claims: {max: 9223372036854775807, "
                     "min: -9223372036854775808, plus: +5, quoted: \"99999999999999999999\"}\n");
    CHECK(dump_json(Json(f.users.at(0).claims)) ==
          R"({"max":9223372036854775807,"min":-9223372036854775808,"plus":5,"quoted":"99999999999999999999"})");
  }
  SECTION("a lifetime past 64 bits") {
    CHECK_THROWS_WITH(load("clients:\n  - id: a\n    accessTokenLifetime: 99999999999999999999\n"),
                      "f.yaml:3: clients[0].accessTokenLifetime: expected a duration such as 3600, 90s, 5m or 1h");
    CHECK_THROWS_WITH(load("environments:\n  e1:\n    keyRotationGrace: 99999999999999999999s\n"),
                      "f.yaml:3: environments.e1.keyRotationGrace: expected a duration such as 3600, 90s, 5m or 1h");
  }
}

TEST_CASE("fixtures: lifetimes in the one duration grammar") {
  Fixture f = load("clients:\n  - id: a\n    accessTokenLifetime: 1h30m\n    userTokenLifetime: 2000ms\n"
                   "    refreshTokenLifetime: 7200\nenvironments:\n  e1:\n    keyRotationGrace: 30m1h\n");
  CHECK(f.clients.at(0).access_token_lifetime == 5400);
  CHECK(f.clients.at(0).user_token_lifetime == 2);
  CHECK(f.clients.at(0).refresh_token_lifetime == 7200);
  CHECK(f.environments.at(0).key_rotation_grace == 5400);
  CHECK_THROWS_WITH(load("clients:\n  - id: a\n    accessTokenLifetime: 1h30\n"),
                    "f.yaml:3: clients[0].accessTokenLifetime: expected a duration such as 3600, 90s, 5m or 1h");
  CHECK_THROWS_WITH(load("clients:\n  - id: a\n    userTokenLifetime: 1.5h\n"),
                    "f.yaml:3: clients[0].userTokenLifetime: expected a duration such as 3600, 90s, 5m or 1h");
}

TEST_CASE("fixtures: device flow keys (RFC 8628) and the platform's organisation") {
  Fixture f = load("clients:\n  - id: a\n    deviceCodeLifetime: 1m\n    deviceCodeInterval: 1\n"
                   "environments:\n  e1:\n    deviceCodeLifetime: 30s\n    deviceCodeInterval: 2s\n"
                   "    organization: {id: x}\n"
                   "platform:\n  organization:\n    id: acme\n    name: Acme <Inc>\n    region: eu\n");
  CHECK(f.clients.at(0).device_code_lifetime == 60);
  CHECK(f.clients.at(0).device_code_interval == 1);
  CHECK(f.environments.at(0).device_code_lifetime == 30);
  CHECK(f.environments.at(0).device_code_interval == 2);
  CHECK_FALSE(f.environments.at(0).organization_id); // an environment has none: a warning
  CHECK(f.platform->organization_id == std::optional<std::string>("acme"));
  CHECK(f.platform->organization_name == std::optional<std::string>("Acme <Inc>"));
  CHECK(f.warnings == std::vector<std::string>{"f.yaml:9: environments.e1.organization: unknown key, ignored",
                                               "f.yaml:14: platform.organization.region: unknown key, ignored"});
  CHECK_THROWS_WITH(load("clients:\n  - id: a\n    deviceCodeInterval: 500ms\n"),
                    "f.yaml:3: clients[0].deviceCodeInterval: expected a duration such as 3600, 90s, 5m or 1h");
  CHECK_THROWS_WITH(load("platform:\n  organization: acme\n"),
                    "f.yaml:2: platform.organization: expected a map with id and name");
}

namespace {

// The embedded default fixture with a file of text (f.yaml) added, as start-up does for
// `extends: default`.
Fixture extended(const std::string& text) {
  auto no_env = [](const std::string&) { return std::optional<std::string>(); };
  Fixture added = load(text);
  REQUIRE(added.extends_default);
  return extend_fixture(load_fixture_nodes(*embedded_file("default.yaml.nodes"), "(embedded)", no_env),
                        std::move(added), "the embedded default fixture (fixtures/default.yaml)");
}

std::vector<std::string> client_ids(const std::vector<Client>& clients) {
  std::vector<std::string> out;
  for (const auto& c : clients)
    out.push_back(c.id);
  return out;
}

} // namespace

TEST_CASE("fixtures: extends: default adds to the embedded default fixture") {
  SECTION("a client and a user in the default environment, after the default's") {
    Fixture f = extended("extends: default\nclients:\n  - {id: mine, secrets: [mine]}\n"
                         "users:\n  - {username: carol, password: carol}\n");
    CHECK(client_ids(f.clients) == std::vector<std::string>{"testing", "spa", "web", "ftl-client", "mine"});
    CHECK(secret_matches(f.clients.back(), "mine"));
    REQUIRE(f.users.size() == 3);
    CHECK(f.users[2].username == "carol");
    CHECK(f.lines.at("clients[4]") == "f.yaml:3"); // the merged list's numbering, the file's line
    REQUIRE(f.environments.size() == 1);
    CHECK(f.environments[0].name == "sandbox");
    REQUIRE(f.platform);
    CHECK(client_ids(f.platform->clients) == std::vector<std::string>{"fctl", "stack-sandbox", "platform-ci"});
    CHECK_FALSE(f.extends_default);
  }
  SECTION("a new environment after the default's; the same name merges, the file's settings winning") {
    Fixture f = extended(R"(extends: default
environments:
  staging:
    clients: [{id: staging-ci, secrets: [s]}]
  sandbox:
    idTokenLifetime: 10m
    signingAlgorithm: ES256
    clients: [{id: sandbox-ci, secrets: [s]}]
platform:
  organization: {id: other}
  users: [{username: dana, password: d, environments: [staging]}]
)");
    REQUIRE(f.environments.size() == 2);
    const EnvironmentFixture& sandbox = f.environments[0];
    CHECK(sandbox.name == "sandbox");
    CHECK(client_ids(sandbox.clients) == std::vector<std::string>{"testing", "spa", "web", "sandbox-ci"});
    CHECK(sandbox.users.size() == 1);
    CHECK(*sandbox.id_token_lifetime == 600);
    CHECK(*sandbox.delegated_issuer == "platform"); // the default's, which the file leaves alone
    // The signing settings go together: ES256 without the default's RSA key (a generated one).
    CHECK(*sandbox.signing_algorithm == "ES256");
    CHECK_FALSE(sandbox.signing_key);
    CHECK(sandbox.where_of("signingAlgorithm") == "f.yaml:7");
    CHECK(f.environments[1].name == "staging");
    CHECK(client_ids(f.environments[1].clients) == std::vector<std::string>{"staging-ci"});
    REQUIRE(f.platform);
    CHECK(*f.platform->organization_id == "other");
    CHECK(*f.platform->organization_name == "Acme");
    REQUIRE(f.platform->users.size() == 2);
    CHECK(f.platform->users[1].username == "dana");
    CHECK(f.platform->where_of("users[1].environments") == "f.yaml:11");
  }
  SECTION("an id, user id or username the default holds in the same environment names both places") {
    CHECK_THROWS_WITH(extended("extends: default\nclients:\n  - {id: mine}\n  - {id: spa, public: true}\n"),
                      "f.yaml:4: clients[1].id: client spa is in the embedded default fixture "
                      "(fixtures/default.yaml) too; a file that extends it adds clients, it does not replace them");
    CHECK_THROWS_WITH(extended("extends: default\nusers:\n  - {username: alice, password: x}\n"),
                      "f.yaml:3: users[0].username: username alice is in the embedded default fixture "
                      "(fixtures/default.yaml) too; a file that extends it adds users, it does not replace them");
    CHECK_THROWS_WITH(extended("extends: default\nenvironments:\n  sandbox:\n    users:\n"
                               "      - {id: 0f3c8a61-7d2e-4b59-a1c4-5e6f7a8b9c03, username: z, password: z}\n"),
                      "f.yaml:5: environments.sandbox.users[0].id: user id 0f3c8a61-7d2e-4b59-a1c4-5e6f7a8b9c03 is "
                      "in the embedded default fixture (fixtures/default.yaml) too; a file that extends it adds "
                      "users, it does not replace them");
    CHECK_THROWS_WITH(extended("extends: default\nplatform:\n  clients: [{id: fctl, public: true}]\n"),
                      Catch::StartsWith("f.yaml:3: platform.clients[0].id: client fctl is in the embedded default"));
    // Another environment's ids are its own: a sandbox client may be called spa.
    CHECK(extended("extends: default\nenvironments:\n  staging:\n    clients: [{id: spa, public: true}]\n")
              .environments.size() == 2);
  }
}

TEST_CASE("fixtures: extends takes default only") {
  CHECK_THROWS_WITH(load("clients: []\nextends: staging\n"),
                    "f.yaml:2: extends: expected default (the embedded default fixture), got 'staging'");
  CHECK_THROWS_WITH(load("extends: [default]\n"),
                    "f.yaml:1: extends: expected default (the embedded default fixture), got a list");
  CHECK_THROWS_WITH(load("extends:\n"), "f.yaml:1: extends: expected default (the embedded default fixture), got ''");
  CHECK(load("extends: \"default\"\n").extends_default);
  CHECK_FALSE(load("clients: []\n").extends_default);
}

TEST_CASE("fixtures: a key twice in one map is an error (yaml-cpp would keep both)") {
  // Two users: lists were both read, their entries numbered from 0 twice, and a user of each could
  // share an id (the fixture fuzzer's finding duplicate-users-key, through extends: default).
  CHECK_THROWS_WITH(load("users:\n  - {username: a, password: a}\nusers:\n  - {username: a, password: a}\n"),
                    "f.yaml:3: users: duplicate key");
  CHECK_THROWS_WITH(load("environments:\n  staging:\n    loginMode: auto\n    loginMode: page\n"),
                    "f.yaml:4: environments.staging.loginMode: duplicate key");
  CHECK_THROWS_WITH(load("platform:\n  users: []\n  users: []\n"), "f.yaml:3: platform.users: duplicate key");
  CHECK(load("clients: []\nusers: []\n").clients.empty());
}

TEST_CASE("fixtures: --config with extends: default adds to the default; without it, replaces it") {
  auto no_env = [](const std::string&) { return std::optional<std::string>(); };
  Options o;
  o.config = "tests/data/extends-default.yaml";
  Fixture f = load_fixture_option(o, no_env);
  CHECK(client_ids(f.clients) == std::vector<std::string>{"testing", "spa", "web", "ftl-client", "my-service"});
  REQUIRE(f.environments.size() == 2);
  CHECK(f.environments[1].name == "staging");
  CHECK(f.platform);
  // Formance's config.yml: the file is the whole fixture, no testing, sandbox or platform.
  o.config = "tests/data/environments.yaml";
  f = load_fixture_option(o, no_env);
  CHECK(client_ids(f.clients) == std::vector<std::string>{"app"});
  REQUIRE(f.environments.size() == 1);
  CHECK(f.environments[0].name == "staging");
  CHECK_FALSE(f.platform);
}
