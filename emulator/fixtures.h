// Reads a fixture file: the Formance static-clients YAML (`clients:`) plus authemu's additions
// (`users:`, per-client lifetimes). Validates everything at load and throws ConfigError shaped
// "file:line: path: what"; a fixture either loads whole or the server does not start.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client_store.h"
#include "user_store.h"

namespace authemu {

struct Fixture {
  std::vector<Client> clients;
  std::vector<User> users;
  std::vector<std::string> warnings;  // unknown keys, shown at start-up
};

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// source names the file in messages; env resolves "$NAME" secrets.
Fixture load_fixture(std::string_view text, const std::string& source, const EnvLookup& env);

}  // namespace authemu
