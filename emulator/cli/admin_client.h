// The admin commands (`authemu clock advance 1h`, `reset`, `mint case=expired`, …): each becomes
// one request to the admin API of a running server; and `healthcheck`. HTTP clients, beside personal_token.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "cli/options.h"

namespace authemu {

struct AdminCall {
  std::string method;
  std::string path;        // with the query string
  std::string body;        // JSON; empty for none
  bool token_only = false; // print access_token alone (mint)
};

// The request for a command and its words. Throws ConfigError naming the word it cannot use.
// user: --user, for device approve and deny.
AdminCall admin_call(const std::string& command, const std::vector<std::string>& args, const std::string& environment,
                     const std::string& user = "");

// Sends it to options.url; prints the answer on out, or the error on err. Returns the exit code:
// 0 done, 1 refused by the server or unreachable.
int run_admin_command(const Options& options, std::ostream& out, std::ostream& err);

// `authemu healthcheck`: GET http://host:port/_healthcheck, true on 200.
bool probe_health(const std::string& host, int port, std::string* error);

} // namespace authemu
