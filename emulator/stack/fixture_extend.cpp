#include "stack/fixture_extend.h"

#include <algorithm>
#include <iterator>

#include "base/config_error.h"

namespace authemu {

namespace {

using Lines = std::map<std::string, std::string>;

// One environment's principals and the "file:line" of each ("clients[0]", "users[1].environments").
struct Principals {
  std::vector<Client>& clients;
  std::vector<User>& users;
  Lines& lines;
};

// The lines of clients and users ("clients[0]", "users[1].environments"), moved past base's
// entries as the merged lists number them; the other keys are left out.
Lines renumbered(const Lines& lines, size_t clients, size_t users) {
  Lines out;
  for (const auto& [key, where] : lines) {
    size_t open = key.find('['), close = key.find(']');
    std::string list = key.substr(0, open);
    if (open == std::string::npos || close == std::string::npos || (list != "clients" && list != "users")) continue;
    size_t i = std::stoul(key.substr(open + 1, close - open - 1)) + (list == "clients" ? clients : users);
    out[list + "[" + std::to_string(i) + key.substr(close)] = where;
  }
  return out;
}

// added's clients and users after base's; prefix is the environment's path in messages
// ("", "environments.sandbox.", "platform.").
void add_principals(Principals base, Principals added, const std::string& prefix, const std::string& base_name) {
  auto refuse = [&](const std::string& entry, const std::string& field, const std::string& what, const char* kind) {
    auto it = added.lines.find(entry);
    std::string where = it == added.lines.end() ? "" : it->second + ": ";
    throw ConfigError(where + prefix + entry + "." + field + ": " + what + " is in " + base_name +
                      " too; a file that extends it adds " + kind + ", it does not replace them");
  };
  for (size_t i = 0; i < added.clients.size(); ++i) {
    const std::string& id = added.clients[i].id;
    if (std::any_of(base.clients.begin(), base.clients.end(), [&](const Client& c) { return c.id == id; }))
      refuse("clients[" + std::to_string(i) + "]", "id", "client " + id, "clients");
  }
  for (size_t i = 0; i < added.users.size(); ++i) {
    const User& u = added.users[i];
    std::string entry = "users[" + std::to_string(i) + "]";
    for (const User& b : base.users) {
      if (b.username == u.username) refuse(entry, "username", "username " + u.username, "users");
      if (b.id == u.id) refuse(entry, "id", "user id " + u.id, "users");
    }
  }
  Lines lines = renumbered(added.lines, base.clients.size(), base.users.size());
  for (auto& [key, where] : lines)
    base.lines[key] = std::move(where);
  std::move(added.clients.begin(), added.clients.end(), std::back_inserter(base.clients));
  std::move(added.users.begin(), added.users.end(), std::back_inserter(base.users));
}

// An environment of both (or the platform): added's principals and settings into base.
void merge_environment(EnvironmentFixture& base, EnvironmentFixture& added, const std::string& path,
                       const std::string& base_name) {
  add_principals({base.clients, base.users, base.lines}, {added.clients, added.users, added.lines}, path + ".",
                 base_name);
  for (const EnvironmentSetting& row : environment_settings())
    row.take_override(base, added);
  // The key is one choice of three settings: a file that names one of them chooses anew.
  if (added.signing_key || added.signing_secret || added.signing_algorithm) {
    base.signing_key = added.signing_key;
    base.signing_secret = added.signing_secret;
    base.signing_algorithm = added.signing_algorithm;
    for (const char* field : {"signingKey", "signingSecret", "signingAlgorithm"})
      base.lines.erase(field);
  }
  for (auto member :
       {&EnvironmentFixture::issuer, &EnvironmentFixture::organization_id, &EnvironmentFixture::organization_name}) {
    if (added.*member) base.*member = added.*member;
  }
  for (const auto& [key, where] : added.lines) {
    if (key.find('[') == std::string::npos) base.lines[key] = where; // its settings' lines (principals' are in)
  }
  base.where = added.where; // errors about the merged environment point at the file that changed it
}

} // namespace

Fixture extend_fixture(Fixture base, Fixture added, const std::string& base_name) {
  add_principals({base.clients, base.users, base.lines}, {added.clients, added.users, added.lines}, "", base_name);
  for (EnvironmentFixture& e : added.environments) {
    auto same = std::find_if(base.environments.begin(), base.environments.end(),
                             [&](const EnvironmentFixture& b) { return b.name == e.name; });
    if (same == base.environments.end())
      base.environments.push_back(std::move(e));
    else
      merge_environment(*same, e, "environments." + e.name, base_name);
  }
  if (added.platform && base.platform)
    merge_environment(*base.platform, *added.platform, "platform", base_name);
  else if (added.platform)
    base.platform = std::move(added.platform);
  base.warnings.insert(base.warnings.end(), added.warnings.begin(), added.warnings.end());
  base.extends_default = false;
  return base;
}

} // namespace authemu
