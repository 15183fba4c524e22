// The admin commands' client (`authemu clock advance 1h`, `reset`, `mint case=expired`, …): each
// becomes one request to the admin API of a running server (its request: the command's row in
// cli/commands.cpp); and `healthcheck`. HTTP clients, beside personal_token.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "base/json.h"
#include "cli/options.h"

namespace authemu {

struct AdminCall {
  std::string method;
  std::string path;        // with the query string
  std::string body{};      // JSON; empty for none
  bool token_only = false; // print access_token alone (mint)
};

// An admin command's words, and the pieces its request is made of.
struct AdminWords {
  const std::string& command;
  const std::vector<std::string>& args;
  const std::string& environment; // --environment; empty: all (or the default, as the route decides)
  const std::string& user;        // --user

  // Throws "command: usage: authemu usage" unless there are n words.
  void expect(size_t n, const std::string& usage) const;
  // name=value and name:=JSON words from args[from] on. Throws ConfigError naming the word.
  JsonObject members(size_t from) const;
  // o with the environment, as a JSON body; empty for an empty object.
  std::string body_of(JsonObject o) const;
  // "?environment=E", or empty.
  std::string env_query() const;
  // "?a=1&b=2" of o's members (with the environment), or empty.
  std::string query_of(JsonObject o) const;
  // One path segment, encoded.
  static std::string segment(const std::string& word);
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
// The command: probes --listen's host (a wildcard as loopback); 0 on 200, else why on err and 1.
int run_healthcheck(const Options& options, std::ostream& err);

} // namespace authemu
