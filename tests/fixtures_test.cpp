#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iterator>

#include "base/config_error.h"
#include "base/embedded.h"
#include "oauth/grant_registry.h"
#include "stack/fixtures.h"

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

TEST_CASE("fixtures: the embedded default is fixtures/default.yaml in flow style, node for node") {
  std::ifstream in("fixtures/default.yaml", std::ios::binary);
  REQUIRE(in);
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string embedded(*embedded_file("default.yaml"));
  CHECK(embedded.find('\n') == embedded.size() - 1); // one line: built by scripts/yaml_flow.cpp
  CHECK(embedded.size() < file.size());
  CHECK(yaml_difference(YAML::Load(file), YAML::Load(embedded), "(top level)") == "");
  CHECK(yaml_difference(YAML::Load(file), YAML::Load("{clients: [{id: other}]}"), "(top level)") ==
        "(top level): 4 against 1"); // and a difference is seen
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
