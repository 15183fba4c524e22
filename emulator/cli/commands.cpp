// The command table (commands.h) and the admin commands' requests: each row names its command,
// its usage and help, and how it runs.
#include "cli/commands.h"

#include <iostream>

#include "base/config_error.h"
#include "base/version.h"
#include "cli/bench_sign.h"
#include "cli/bench_tls.h"
#include "cli/export_command.h"
#include "cli/explain_command.h"
#include "cli/help.h"
#include "cli/personal_token.h"
#include "cli/startup.h"
#include "cli/tls_command.h"
#include "cli/tls_setup.h"
#include "testkit/admin_api.h"

namespace authemu {

namespace {

int help(const Options& o, CommandIo& io) {
  io.out << command_help(o.help_topic);
  return 0;
}

int version(const Options&, CommandIo& io) {
  io.out << "authemu " << version_string() << "\n";
  return 0;
}

int healthcheck(const Options& o, CommandIo& io) {
  return run_healthcheck(o, io.err);
}

int personal_token_command(const Options& o, CommandIo& io) {
  std::string token, error;
  if (!personal_token(o, &token, &error, cli_trust_files(o, o.url))) {
    io.err << "authemu personal-token: " << error << "\n";
    return 1;
  }
  io.out << token << "\n";
  return 0;
}

int bench_sign_command(const Options& o, CommandIo& io) {
  return bench_sign(o, io.out);
}

int bench_tls_command(const Options& o, CommandIo& io) {
  return bench_tls(o, io.out, io.err);
}

// `authemu check-config FILE`: 0 and a summary for a fixture that loads, 1 and its first error otherwise.
int check_config_command(const Options& o, CommandIo& io) {
  std::vector<std::string> warnings;
  try {
    std::string summary = check_config(o, io.env, &warnings);
    for (const auto& w : warnings)
      io.err << "authemu check-config: warning: " << w << "\n";
    io.out << summary << "\n";
    return 0;
  } catch (const ConfigError& e) {
    io.err << "authemu check-config: " << e.what() << "\n";
    return 1;
  }
}

int export_command(const Options& o, CommandIo& io) {
  return run_export(o, io.out, io.err, io.env);
}

int tls_command(const Options& o, CommandIo& io) {
  return run_tls_command(o, io.out, io.err);
}

int explain(const Options& o, CommandIo& io) {
  return run_explain(o, std::cin, io.out, io.err);
}

int admin(const Options& o, CommandIo& io) {
  return run_admin_command(o, io.out, io.err, cli_trust_files(o, o.url));
}

const std::string kBase = kAdminPrefix;

AdminCall clock_call(const AdminWords& w) {
  AdminCall c;
  std::string verb = w.args.empty() ? "show" : w.args[0];
  c.path = kBase + "/clock";
  if (verb == "show") {
    c.method = "GET";
    c.path += w.env_query();
  } else if (verb == "advance" || verb == "set") {
    w.expect(2, "clock " + verb + (verb == "set" ? " TIME" : " DURATION"));
    JsonObject o;
    std::string ignored;
    auto n = parse_json(w.args[1], &ignored);
    o[verb] = n && n->is<int64_t>() ? *n : json_string(w.args[1]);
    c.method = "POST";
    c.body = w.body_of(o);
  } else if (verb == "freeze" || verb == "unfreeze") {
    w.expect(1, "clock " + verb);
    c.method = "POST";
    c.body = w.body_of(JsonObject{{"freeze", Json(verb == "freeze")}});
  } else if (verb == "reset") {
    w.expect(1, "clock reset");
    c.method = "DELETE";
    c.path += w.env_query();
  } else {
    throw ConfigError("clock: unknown action '" + verb + "' (advance, set, freeze, unfreeze, reset)");
  }
  return c;
}

AdminCall reset_call(const AdminWords& w) {
  w.expect(0, "reset [--environment E]");
  return {"POST", kBase + "/reset", w.body_of({})};
}

AdminCall mint_call(const AdminWords& w) {
  std::string body = w.body_of(w.members(0));
  return {"POST", kBase + "/mint", body.empty() ? "{}" : body, true};
}

AdminCall keys_call(const AdminWords& w) {
  w.expect(0, "keys [--environment E]");
  return {"GET", kBase + "/keys" + w.env_query()};
}

AdminCall rotate_key_call(const AdminWords& w) {
  std::string body = w.body_of(w.members(0));
  return {"POST", kBase + "/keys/rotate", body.empty() ? "{}" : body};
}

AdminCall fault_call(const AdminWords& w) {
  std::string path = kBase + "/faults";
  if (!w.args.empty() && (w.args[0] == "list" || w.args[0] == "clear")) {
    w.expect(1, "fault " + w.args[0]);
    return {w.args[0] == "list" ? "GET" : "DELETE", path + w.env_query()};
  }
  if (w.args.empty())
    throw ConfigError("fault: usage: authemu fault endpoint=token error=invalid_grant [count=N] [client_id=C] "
                      "[status=N] [delay=2s]");
  return {"POST", path, w.body_of(w.members(0))};
}

AdminCall journal_call(const AdminWords& w) {
  std::string path = kBase + "/journal";
  if (!w.args.empty() && w.args[0] == "clear") {
    w.expect(1, "journal clear");
    return {"DELETE", path + w.env_query()};
  }
  return {"GET", path + w.query_of(w.members(0))};
}

AdminCall login_call(const AdminWords& w) {
  std::string path = kBase + "/logins";
  if (!w.args.empty() && (w.args[0] == "list" || w.args[0] == "clear")) {
    w.expect(1, "login " + w.args[0]);
    return {w.args[0] == "list" ? "GET" : "DELETE", path + w.env_query()};
  }
  if (w.args.empty()) {
    throw ConfigError("login: usage: authemu login user=U | subject=S [claims:=JSON] | error=CODE [client_id=C] "
                      "[count=N] | list | clear");
  }
  return {"POST", path, w.body_of(w.members(0))};
}

AdminCall sessions_call(const AdminWords& w) {
  std::string path = kBase + "/sessions";
  if (w.args.empty() || w.args[0] == "list") {
    w.expect(w.args.empty() ? 0 : 1, "sessions [list | end SID | clear]");
    return {"GET", path + w.env_query()};
  }
  if (w.args[0] == "end") {
    w.expect(2, "sessions end SID");
    return {"DELETE", path + "/" + AdminWords::segment(w.args[1]) + w.env_query()};
  }
  if (w.args[0] == "clear") {
    w.expect(1, "sessions clear");
    return {"DELETE", path + w.env_query()};
  }
  throw ConfigError("sessions: unknown action '" + w.args[0] + "' (list, end, clear)");
}

AdminCall users_call(const AdminWords& w) {
  std::string path = kBase + "/users";
  if (w.args.empty() || w.args[0] == "list") {
    w.expect(w.args.empty() ? 0 : 1, "users [list | add username=U [password=P email=E …] | remove ID]");
    return {"GET", path + w.env_query()};
  }
  if (w.args[0] == "add") return {"POST", path, w.body_of(w.members(1))};
  if (w.args[0] == "remove") {
    w.expect(2, "users remove ID");
    return {"DELETE", path + "/" + AdminWords::segment(w.args[1]) + w.env_query()};
  }
  throw ConfigError("users: unknown action '" + w.args[0] + "' (list, add, remove)");
}

AdminCall device_call(const AdminWords& w) {
  std::string path = kBase + "/devices";
  if (w.args.empty() || w.args[0] == "list") {
    w.expect(w.args.empty() ? 0 : 1, "device [list | approve CODE [--user U] | deny CODE [--user U]]");
    return {"GET", path + w.env_query()};
  }
  if (w.args[0] == "approve" || w.args[0] == "deny") {
    w.expect(2, "device " + w.args[0] + " CODE [--user U]");
    JsonObject o;
    if (!w.user.empty()) o["user"] = json_string(w.user);
    std::string body = w.body_of(o);
    return {"POST", path + "/" + AdminWords::segment(w.args[1]) + "/" + w.args[0], body.empty() ? "{}" : body};
  }
  throw ConfigError("device: unknown action '" + w.args[0] + "' (list, approve, deny)");
}

AdminCall environments_call(const AdminWords& w) {
  std::string path = kBase + "/environments";
  if (w.args.empty() || w.args[0] == "list") {
    w.expect(w.args.empty() ? 0 : 1, "environments [list | add NAME [field=value | field:=JSON …] | rm NAME]");
    return {"GET", path};
  }
  if (w.args[0] == "add") {
    if (w.args.size() < 2) w.expect(2, "environments add NAME [field=value | field:=JSON …]");
    JsonObject o = w.members(2);
    o["name"] = json_string(w.args[1]);
    return {"POST", path, dump_json(Json(o))};
  }
  if (w.args[0] == "rm") {
    w.expect(2, "environments rm NAME");
    return {"DELETE", path + "/" + AdminWords::segment(w.args[1])};
  }
  throw ConfigError("environments: unknown action '" + w.args[0] + "' (list, add, rm)");
}

} // namespace

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"serve", kServe, "authemu [serve] [options]",
       "Runs the server. Once ready it prints one JSON line on stdout:\n"
       "  {\"event\":\"ready\",\"issuer\":\"…\",\"url\":\"http://127.0.0.1:PORT\"}\n"
       "SIGINT and SIGTERM stop it (exit 0); a start-up error prints one line and exits 2.",
       nullptr},
      {"healthcheck", kHealthcheck, "authemu healthcheck [--listen HOST:PORT]",
       "Exits 0 when the server on --listen answers GET /_healthcheck, else prints why and exits 1\n"
       "(the Docker image's HEALTHCHECK).",
       healthcheck},
      {"personal-token", kPersonalToken,
       "authemu personal-token --username U --password P [--environment E] [--url URL]",
       "Prints an environment token for a platform member, as fctl cloud generate-personal-token:\n"
       "platform password grant, token exchange, jwt-bearer at the environment (valid 5 minutes).\n"
       "Exit 1 names the failing step and the server's answer.",
       personal_token_command},
      {"bench-sign", kBenchSign, "authemu bench-sign [--seconds N] [--signing-algorithm ALG]",
       "Measures this build's signing rate on one thread and prints it as JSON.", bench_sign_command},
      // kBenchSign: the same --seconds (its signing options are ignored).
      {"bench-tls", kBenchSign, "authemu bench-tls [--seconds N]",
       "Measures this build's TLS handshakes per second (full TLS 1.3, resumed, TLS 1.2, TLS 1.3 with a client\n"
       "certificate full and resumed; server side's CPU apart), the ECDHE + ECDSA ceiling and CA + leaf generation,\n"
       "in-process, as JSON.",
       bench_tls_command},
      {"check-config", kCheckConfig, "authemu check-config FILE",
       "Loads a fixture file as the server would (clients, users, environments, the platform and their\n"
       "keys) without serving. Prints a summary and exits 0, or prints the first error (file:line: field:\n"
       "what) and exits 1. Warnings (unknown keys) go to stderr.",
       check_config_command},
      {"tls", kTls,
       "authemu tls ca --dir DIR [--tls-names a,b] | tls client-cert --cn NAME --cert FILE --key FILE [--dns N] "
       "[--uri U] [--ip A] [--email E] [--lifetime D] [--url URL]",
       "ca: creates the CA that --tls-ca-dir DIR serves with (ca.pem, and ca-key.pem with mode 0600), or\n"
       "reuses the one there (or mkcert's rootCA.pem), without starting a server, and prints the commands\n"
       "that trust it for curl, Node, Python, Go, Java and the Chromium/Firefox NSS database.\n"
       "client-cert: asks the server at --url (started with --tls, --tls-listen or --tls-ca-dir) for a TLS\n"
       "client certificate from its CA (RFC 8705 tls_client_auth: CN=NAME, the SANs given, clientAuth),\n"
       "writes it to --cert and its key to --key (mode 0600), and prints its x5t#S256 thumbprint. Present\n"
       "the certificate alone (curl --cert FILE --key FILE): the server holds its issuer.",
       tls_command},
      {"export", kExport,
       "authemu export jwks|pem|ftl [--environment E] [--client ID] [--out FILE] [--url URL | --config FILE]",
       "Writes an environment's JWKS (an FTL server's oauth2.validation.key: file:…), its public keys as PEM\n"
       "(EMS and other servers), or the FTL server's OAuth 2.0 YAML pointing at this server (auth.providers,\n"
       "oauth2.audience, oauth2.claim.*, oauth2.validation.key, oauth2.ui.*, and the clients' properties as\n"
       "comments) for the FTL client --client (default ftl-client). With --url (or AUTHEMU_URL) from that\n"
       "running server; without, from --config or the embedded default as a server would load them.",
       export_command},
      {"version", 0, nullptr, nullptr, version},
      // Admin commands: each one request to the admin API of the server at --url.
      {"clock", kAdmin, "authemu clock [advance D | set TIME | freeze | unfreeze | reset] [--environment E]",
       "Shows or moves the clocks of the server at --url: {\"environments\":[…]} (D: 90s, 1h, -5m; TIME:\n"
       "Unix seconds or 2030-01-01T00:00:00Z). Without --environment every environment's clock.",
       admin, clock_call},
      {"reset", kAdmin, "authemu reset [--environment E]",
       "Returns the server at --url to its fixture state: clients, tokens, clock, keys, faults, journal.", admin,
       reset_call},
      {"mint", kAdmin, "authemu mint [name=value …] [--environment E]",
       "Prints a token made to order, e.g. case=expired, user=alice, scope=\"ledger:read\",\n"
       "claims:='{\"tenant\":\"acme\"}', dpop=true (DPoP-bound, with its key); token=dpop_proof\n"
       "(case=wrong_htm, stale_iat, wrong_key, …) or token=client_assertion (case=expired, …) for what\n"
       "clients sign. name=value sends a string (a number or true/false where the member takes one);\n"
       "name:=JSON sends raw JSON.",
       admin, mint_call},
      {"keys", kAdmin, "authemu keys [--environment E]",
       "Lists the signing keys of the server at --url, with retires_at.", admin, keys_call},
      {"rotate-key", kAdmin, "authemu rotate-key [grace=10m] [algorithm=ES256] [key=PEM] [--environment E]",
       "Makes a new active key; the previous one stays in the JWKS for the grace.", admin, rotate_key_call},
      {"fault", kAdmin,
       "authemu fault endpoint=E [error=CODE] [status=N] [delay=2s] [count=N] [client_id=C] | list | clear",
       "Queues a failure for the next requests of an endpoint (token, introspect, revoke, userinfo,\n"
       "jwks, discovery, authorize, login, end_session, par, device_authorization, device), lists the\n"
       "queued ones or clears them.",
       admin, fault_call},
      {"journal", kAdmin, "authemu journal [endpoint=token grant_type=… client_id=… outcome=… limit=N] | clear",
       "Prints the last requests to the OAuth endpoints, filtered, or empties the journal.", admin, journal_call},
      {"explain", kAdmin, "authemu explain TOKEN|- [audience=A] [nonce=N] [access_token=T]",
       "Prints why the server at --url would accept or refuse a JWT (- reads it from stdin): the\n"
       "environment whose key signed it, then one line per check (signature, iss, aud, exp, nbf, iat,\n"
       "typ, revoked, cnf) with its reason. Exit 0 whenever the token was explained, whatever the verdict.",
       explain},
      {"login", kAdmin,
       "authemu login user=U | subject=S [claims:=JSON] | error=CODE [client_id=C] [count=N] | list | clear",
       "Queues what the next browser sign-ins (GET /authorize) do, before any session or login page:\n"
       "sign in user U (id, username or email), sign in any subject with claims, or answer an error\n"
       "(access_denied, server_error, temporarily_unavailable, login_required, …). Lists or clears the queue.",
       admin, login_call},
      {"sessions", kAdmin, "authemu sessions [list | end SID | clear] [--environment E]",
       "Lists the browser sessions (single sign-on) of the server at --url, ends one, or ends all.", admin,
       sessions_call},
      {"users", kAdmin,
       "authemu users [list | add username=U [password=P email=E name=N groups:='[…]' claims:='{…}'] | remove ID]",
       "Lists the users, adds one (to --environment, default the default one) or removes one; a removed\n"
       "user's sessions end with it.",
       admin, users_call},
      {"device", kAdmin, "authemu device [list | approve CODE [--user U] | deny CODE [--user U]] [--environment E]",
       "Lists the pending device authorizations (RFC 8628) of the server at --url, or approves or denies\n"
       "the one with user code CODE (ABCD-EFGH; case and dashes do not count) as user U (id, username\n"
       "or email; approve's default: the user its id_token_hint named). The device's next poll gets\n"
       "its tokens, or access_denied.",
       admin, device_call},
      {"environments", kAdmin, "authemu environments [list | add NAME [field=value | field:=JSON …] | rm NAME]",
       "Lists the environments of the server at --url, makes one at run time with a fixture environment's\n"
       "fields (signingAlgorithm=ES256 clients:='[{\"id\":\"app\",\"secrets\":[\"s\"]}]'; answered with its\n"
       "issuer and discovery URL), or removes one made at run time. reset removes them all.",
       admin, environments_call},
      // The word of this help itself, not offered in the list of commands.
      {"help", 0, nullptr, nullptr, help},
  };
  return all;
}

const Command* find_command(const std::string& name) {
  for (const auto& c : commands()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

std::string command_names() {
  std::string out;
  for (const auto& c : commands()) {
    if (std::string(c.name) != "help") out += (out.empty() ? "" : ", ") + std::string(c.name);
  }
  return out;
}

bool is_admin_command(const std::string& command) {
  const Command* c = find_command(command);
  return c != nullptr && c->call != nullptr;
}

unsigned command_bit(const std::string& command) {
  const Command* c = find_command(command);
  return c == nullptr ? 0u : c->bit;
}

} // namespace authemu
