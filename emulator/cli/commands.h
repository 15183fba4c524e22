// The command table: every command's name, usage, what --help says of it, and how it runs (or, for
// an admin command, the admin API request it makes). main's dispatch, --help, the option parser's
// command words and the admin client all read it. A new command is one row plus its code.
#pragma once
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/admin_client.h"
#include "cli/options.h"

namespace authemu {

// What a command's run gets besides its options.
struct CommandIo {
  std::ostream& out;
  std::ostream& err;
  EnvGetter env; // the process environment, for fixtures' "$NAME" secrets
};

struct Command {
  const char* name;
  unsigned bit;      // CommandBit: the options that apply to it (OptionInfo::commands)
  const char* usage; // the line after "Usage:"; nullptr: not listed in the overview (version, help)
  const char* what;  // its --help text
  // Runs the command and returns the exit code; nullptr for serve (main's own). Admin commands
  // run run_admin_command, which sends call's request.
  int (*run)(const Options&, CommandIo&);
  AdminCall (*call)(const AdminWords&) = nullptr; // admin commands: the request for their words
};

// Every command, in the order --help lists them.
const std::vector<Command>& commands();
// The row of a command word, or nullptr.
const Command* find_command(const std::string& name);
// "serve, healthcheck, …, device": the words an unknown command's message offers.
std::string command_names();

} // namespace authemu
