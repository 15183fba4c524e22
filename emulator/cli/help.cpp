#include "cli/help.h"

#include <algorithm>

#include "base/version.h"
#include "cli/options.h"

namespace authemu {

namespace {

struct CommandText {
  const char* name;
  const char* usage; // lines after "Usage:", each indented by two spaces
  const char* what;
};

const CommandText kCommands[] = {
    {"serve", "authemu [serve] [options]",
     "Runs the server. Once ready it prints one JSON line on stdout:\n"
     "  {\"event\":\"ready\",\"issuer\":\"…\",\"url\":\"http://127.0.0.1:PORT\"}\n"
     "SIGINT and SIGTERM stop it (exit 0); a start-up error prints one line and exits 2."},
    {"healthcheck", "authemu healthcheck [--listen HOST:PORT]",
     "Exits 0 when the server on --listen answers GET /_healthcheck, else prints why and exits 1\n"
     "(the Docker image's HEALTHCHECK)."},
    {"personal-token", "authemu personal-token --username U --password P [--environment E] [--url URL]",
     "Prints an environment token for a platform member, as fctl cloud generate-personal-token:\n"
     "platform password grant, token exchange, jwt-bearer at the environment (valid 5 minutes).\n"
     "Exit 1 names the failing step and the server's answer."},
    {"bench-sign", "authemu bench-sign [--seconds N] [--signing-algorithm ALG]",
     "Measures this build's signing rate on one thread and prints it as JSON."},
    {"check-config", "authemu check-config FILE",
     "Loads a fixture file as the server would (clients, users, environments, the platform and their\n"
     "keys) without serving. Prints a summary and exits 0, or prints the first error (file:line: field:\n"
     "what) and exits 1. Warnings (unknown keys) go to stderr."},
    {"clock", "authemu clock [advance D | set TIME | freeze | unfreeze | reset] [--environment E]",
     "Shows or moves the clocks of the server at --url: {\"environments\":[…]} (D: 90s, 1h, -5m; TIME:\n"
     "Unix seconds or 2030-01-01T00:00:00Z). Without --environment every environment's clock."},
    {"reset", "authemu reset [--environment E]",
     "Returns the server at --url to its fixture state: clients, tokens, clock, keys, faults, journal."},
    {"mint", "authemu mint [name=value …] [--environment E]",
     "Prints a token made to order, e.g. case=expired, user=alice, scope=\"ledger:read\",\n"
     "claims:='{\"tenant\":\"acme\"}'. name=value sends a string (a number or true/false where the\n"
     "member takes one); name:=JSON sends raw JSON."},
    {"keys", "authemu keys [--environment E]", "Lists the signing keys of the server at --url, with retires_at."},
    {"rotate-key", "authemu rotate-key [grace=10m] [algorithm=ES256] [key=PEM] [--environment E]",
     "Makes a new active key; the previous one stays in the JWKS for the grace."},
    {"fault", "authemu fault endpoint=E [error=CODE] [status=N] [delay=2s] [count=N] [client_id=C] | list | clear",
     "Queues a failure for the next requests of an endpoint (token, introspect, revoke, userinfo,\n"
     "jwks, discovery, authorize, login, end_session, par, device_authorization, device), lists the\n"
     "queued ones or clears them."},
    {"journal", "authemu journal [endpoint=token grant_type=… client_id=… outcome=… limit=N] | clear",
     "Prints the last requests to the OAuth endpoints, filtered, or empties the journal."},
    {"login", "authemu login user=U | subject=S [claims:=JSON] | error=CODE [client_id=C] [count=N] | list | clear",
     "Queues what the next browser sign-ins (GET /authorize) do, before any session or login page:\n"
     "sign in user U (id, username or email), sign in any subject with claims, or answer an error\n"
     "(access_denied, server_error, temporarily_unavailable, login_required, …). Lists or clears the queue."},
    {"sessions", "authemu sessions [list | end SID | clear] [--environment E]",
     "Lists the browser sessions (single sign-on) of the server at --url, ends one, or ends all."},
    {"users",
     "authemu users [list | add username=U [password=P email=E name=N groups:='[…]' claims:='{…}'] | remove ID]",
     "Lists the users, adds one (to --environment, default the default one) or removes one; a removed\n"
     "user's sessions end with it."},
    {"device", "authemu device [list | approve CODE [--user U] | deny CODE [--user U]] [--environment E]",
     "Lists the pending device authorizations (RFC 8628) of the server at --url, or approves or denies\n"
     "the one with user code CODE (ABCD-EFGH; case and dashes do not count) as user U (id, username\n"
     "or email; approve's default: the user its id_token_hint named). The device's next poll gets\n"
     "its tokens, or access_denied."},
};

const CommandText* find_command(const std::string& name) {
  for (const auto& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

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
  for (const auto& c : kCommands) {
    if (std::string(c.name) == "clock") h += "\nAdmin commands (drive the admin API of the server at --url):\n";
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
  const CommandText* c = find_command(command);
  if (c == nullptr) return help_text();
  std::string h = std::string("Usage:\n  ") + c->usage + "\n\n" + c->what + "\n";
  std::string options = options_text(command_bit(command));
  if (!options.empty()) h += "\nOptions (each also read from the environment variable shown; flags win):\n" + options;
  return h;
}

} // namespace authemu
