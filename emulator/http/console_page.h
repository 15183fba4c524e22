// The console's HTML (GET /_authemu/console and its sign-in callback): the live journal, the token
// explainer, each environment's state with its actions, and "try a sign-in". Server-rendered from a
// ConsoleView, with one inline script that calls the admin API (the one code path of every action)
// and follows the journal's event stream. No external script, font or style. Pure: values in,
// HTML out; every value HTML-escaped; no secret is rendered (clients show no secrets, users no
// passwords, the journal its masked values).
#pragma once
#include <string>
#include <vector>

#include "base/http_types.h"
#include "testkit/journal.h"

namespace authemu {

constexpr char kConsoleClientId[] = "authemu-console"; // each environment's built-in public console client
constexpr char kConsolePath[] = "/_authemu/console";
constexpr char kConsoleCallbackPath[] = "/_authemu/console/callback";

struct ConsoleEnvironment {
  std::string name; // label: default, sandbox, …
  std::string issuer;
  int64_t now = 0;
  int64_t offset = 0;
  bool frozen = false;
  struct Key {
    std::string kid, alg, retires; // retires: empty for the active key
  };
  std::vector<Key> keys;
  struct ClientRow {
    std::string id, kind, grants, redirect_uris;
    bool console_sign_in = false; // its redirect URIs include the console's callback
  };
  std::vector<ClientRow> clients;
  size_t clients_total = 0; // clients beyond those shown are counted
  struct UserRow {
    std::string id, username, email, name;
  };
  std::vector<UserRow> users;
  size_t users_total = 0;
  struct SessionRow {
    std::string sid, user, auth_time, clients;
  };
  std::vector<SessionRow> sessions;
  struct DeviceRow {
    std::string user_code, client_id, scope, expires;
  };
  std::vector<DeviceRow> devices;
};

struct ConsoleView {
  std::vector<ConsoleEnvironment> environments; // the default one first
  std::vector<JournalEntry> journal;            // oldest first
  struct Row {
    std::string id, environment, what;
  };
  std::vector<Row> logins, faults; // queued sign-ins and faults, described
  bool admin_token = false;        // the console was opened with the admin token (its cookie)
};

std::string console_html(const ConsoleView& view);
// The page the authorization code comes back to: exchanges it (PKCE) and explains the tokens.
std::string console_callback_html();
// The admin token prompt when one is set and the browser has none; error: a wrong token's message.
std::string console_token_html(const std::string& error);
// A console response: HTML with the console's Content-Security-Policy (inline script, fetch and
// the event stream to this origin only).
HttpResponse console_response(int status, std::string body);

} // namespace authemu
