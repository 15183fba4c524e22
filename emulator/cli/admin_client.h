// The admin commands' client (`authemu clock advance 1h`, `reset`, `mint case=expired`, …): each
// becomes one request to the admin API of a running server (its request: the command's row in
// cli/commands.cpp); and `healthcheck`. HTTP clients, beside personal_token: plain http through
// cpp-httplib, https through http/http_fetcher (the project's TLS stream), both here.
#pragma once
#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "base/fetcher.h"
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

// True for an https:// URL (scheme compared case-insensitively).
bool is_https_url(const std::string& url);
// A command's request to an https URL: the system bundle (when present) and tls_trust's PEM files
// are trusted (--tls-trust, the server's CA file), redirects followed, answers up to 64 MiB, all
// within timeout. Throws FetchError, or ConfigError "FILE: what" for a bad trust file.
FetchResponse https_command_request(const FetchRequest& request, const std::vector<std::string>& tls_trust,
                                    std::chrono::milliseconds timeout);

// The call's answer from options.url: over https through http/ (trusting trust's PEM files), else
// through httplib; with --admin-token. Nothing, with "<prefix>no answer …" on err, when there is none.
std::optional<FetchResponse> send_admin(const Options& options, const AdminCall& call,
                                        const std::vector<std::string>& trust, const std::string& prefix,
                                        std::ostream& err);
// For an answer of 300 or more: "<prefix>404 NOT_FOUND: <errorMessage>" on err, and true.
bool report_admin_refusal(const FetchResponse& res, const std::string& prefix, std::ostream& err);

// Sends it to options.url; prints the answer on out, or the error on err. Returns the exit code:
// 0 done, 1 refused by the server or unreachable. tls_trust: PEM files trusted for an https URL.
int run_admin_command(const Options& options, std::ostream& out, std::ostream& err,
                      const std::vector<std::string>& tls_trust = {});

// `authemu healthcheck`: GET http://host:port/_healthcheck (https:// when tls, trusting the system
// bundle and tls_trust's PEM files), true on 200.
bool probe_health(const std::string& host, int port, std::string* error, bool tls = false,
                  const std::vector<std::string>& tls_trust = {});
// The command: probes --listen's host (a wildcard as loopback); 0 on 200, else why on err and 1.
int run_healthcheck(const Options& options, std::ostream& err);

} // namespace authemu
