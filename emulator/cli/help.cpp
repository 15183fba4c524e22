#include "cli/help.h"

#include <algorithm>

#include "base/version.h"
#include "cli/commands.h"
#include "cli/options.h"

namespace authemu {

namespace {

// The options of one command (or every option for 0), each with its environment variable.
std::string options_text(unsigned command) {
  std::string h;
  for (const OptionInfo& o : option_infos()) {
    if (command != 0 && (o.commands & command) == 0) continue;
    std::string line = std::string("  --") + o.flag + (o.takes_value ? " VALUE" : "");
    line.resize(std::max<size_t>(line.size() + 1, 34), ' ');
    h += line + o.help + "\n";
    h += std::string(34, ' ') + "env " + o.env + "\n";
  }
  return h;
}

} // namespace

std::string help_text() {
  std::string h = "authemu " + version_string() +
                  ": an in-memory OAuth 2.0 / OpenID Connect server for tests,\n"
                  "wire-compatible with the Formance auth service.\n"
                  "\n"
                  "Usage:\n";
  bool admin_seen = false;
  for (const auto& c : commands()) {
    if (c.usage == nullptr) continue;
    if (c.call != nullptr && !admin_seen) h += "\nAdmin commands (drive the admin API of the server at --url):\n";
    admin_seen = admin_seen || c.call != nullptr;
    h += std::string("  ") + c.usage + "\n";
  }
  h += "  authemu version | --version\n"
       "  authemu <command> --help      that command's usage and options\n"
       "\n"
       "Options (each also read from the environment variable shown; flags win; a boolean flag\n"
       "alone means true, or takes true/false as its value: --admin-api=false, --admin-api false):\n" +
       options_text(0);
  return h;
}

std::string command_help(const std::string& command) {
  const Command* c = find_command(command);
  if (c == nullptr || c->usage == nullptr) return help_text();
  std::string h = std::string("Usage:\n  ") + c->usage + "\n\n" + c->what + "\n";
  std::string options = options_text(command_bit(command));
  if (!options.empty()) h += "\nOptions (each also read from the environment variable shown; flags win):\n" + options;
  return h;
}

} // namespace authemu
