// The text of --help: the overview of every command and option, and one command's usage with the
// options that apply to it (`authemu clock --help`). Text only; parsing is cli/options.
#pragma once
#include <string>

namespace authemu {

// Every command and every option with its environment variable.
std::string help_text();
// command's usage, what it does and its options; the overview for an empty command.
std::string command_help(const std::string& command);

} // namespace authemu
