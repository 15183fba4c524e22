// Reads a fixture file: the Formance static-clients YAML (`clients:`) plus authemu's additions
// (`users:`, per-client lifetimes, `environments:`, `platform:`, `extends: default`). Validates
// everything at load and throws ConfigError shaped "file:line: path: what"; a fixture either loads
// whole or the server does not start.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stack/environment_settings.h"
#include "store/client_store.h"
#include "store/user_store.h"

namespace authemu {

// A named environment of the fixture (`environments: {name: {...}}`); what it leaves out comes from
// the server's options. Its settings that are options too are EnvironmentOverrides' members.
struct EnvironmentFixture : EnvironmentOverrides {
  std::string name;
  std::string where; // "file:line" of its entry, for start-up errors about it
  // "file:line" of its fields, by their path inside the environment ("signingKey", "clients[0]",
  // "clients[0].environments"), for start-up errors about one of them.
  std::map<std::string, std::string> lines;
  const std::string& where_of(const std::string& field) const {
    auto it = lines.find(field);
    return it == lines.end() ? where : it->second;
  }
  std::optional<std::string> issuer;
  std::optional<std::string> signing_key;       // PEM or JWK text, a file path, or embedded:<fixture file>
  std::optional<std::string> signing_algorithm; // RS256 (the default), PS256, ES256 or HS256
  std::optional<std::string> signing_secret;    // HS256's shared secret ("$NAME": from the environment)
  std::optional<std::string> organization_id, organization_name; // the platform's `organization:`
  std::vector<Client> clients;
  std::vector<User> users;
};

struct Fixture {
  std::vector<Client> clients; // the default environment's
  std::vector<User> users;
  std::map<std::string, std::string> lines; // "file:line" of each of them, by path ("clients[0]", "users[1]")
  std::vector<EnvironmentFixture> environments;
  std::optional<EnvironmentFixture> platform; // `platform:`, the issuer of platform tokens
  std::vector<std::string> warnings;          // unknown keys, shown at start-up
  // `extends: default`: the file adds to the embedded default fixture (stack/fixture_extend.h)
  // instead of replacing it; only start-up, which knows that fixture, does the adding.
  bool extends_default = false;
};

// Environment names: served at /<name>/api/auth and as <name>.<host>.
bool valid_environment_name(const std::string& name);
constexpr char kEnvironmentNameRule[] =
    "environment names are 1-63 of a-z, 0-9 and '-', and not a route name (api, platform, …)";

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// source names the file in messages; env resolves "$NAME" secrets.
Fixture load_fixture(std::string_view text, const std::string& source, const EnvLookup& env);
// One environment made at run time (POST /_authemu/environments): a JSON (or YAML) object with
// name and a fixture environment's fields, read by the same code as a fixture's environments:.
// Throws ConfigError "field: what" (no file, no line); "$NAME" secrets are refused (the server's
// environment variables are not the caller's). Unknown fields go to warnings.
EnvironmentFixture load_environment(std::string_view text, std::vector<std::string>* warnings);
// The same from a node stream (stack/node_stream.h): the embedded default fixture.
Fixture load_fixture_nodes(std::string_view stream, const std::string& source, const EnvLookup& env);

} // namespace authemu
