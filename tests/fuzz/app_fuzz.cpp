// The whole request handler: the fuzz bytes become up to four HttpRequests for App::handle, on an
// App built once like TestApp (fake clock, embedded test key, the test fixture, admin API on), or,
// for an input starting "@default\n", on the embedded default fixture (sandbox environment and
// platform). Before each input the admin API resets the App, so an input replays alone.
//
// Input, one request per block, blocks separated by a line "%%":
//   METHOD TARGET          METHOD outside the list is mapped onto it; TARGET "#N<rest>" is route N
//   Name: value            of kRoutes followed by <rest>; "?" starts the query
//   (empty line)
//   body
// Findings: a crash or sanitizer report, a 5xx status (nothing a client sends produces a 500) but
// after a fault the input queued itself, and an exception escaping App::handle.
#include <cstdint>
#include <exception>
#include <memory>

#include "../test_support.h"
#include "cli/startup.h"
#include "fuzz_support.h"

using namespace authemu;

namespace {

const char* const kMethods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "BREW"};
const char* const kRoutes[] = {
    "/api/auth/oauth/token", "/api/auth/oauth/introspect", "/api/auth/revoke", "/api/auth/oauth/revoke",
    "/api/auth/userinfo", "/api/auth/keys", "/api/auth/.well-known/openid-configuration",
    "/.well-known/oauth-authorization-server/api/auth", "/api/auth/clients", "/api/auth/clients/testing",
    "/api/auth/clients/testing/secrets", "/api/auth/clients/testing/secrets/", "/api/auth/users",
    "/api/auth/users/u-alice", "/api/ledger/v2/_info", "/_info", "/_healthcheck", "/healthz", "/ready", "/oauth/token",
    "/sandbox/api/auth/oauth/token", "/sandbox/api/auth/clients", "/platform/oauth/token", "/platform/keys",
    "/platform/userinfo", "/_authemu", "/_authemu/clock", "/_authemu/reset", "/_authemu/mint", "/_authemu/keys",
    "/_authemu/keys/rotate", "/_authemu/faults", "/_authemu/faults/f1", "/_authemu/journal",
    // Browser sign-in (appended: the corpus names routes by index).
    "/api/auth/authorize", "/api/auth/login", "/api/auth/end_session", "/api/auth/par",
    "/sandbox/api/auth/authorize", "/sandbox/api/auth/authorize/callback", "/platform/authorize", "/platform/login",
    "/_authemu/logins", "/_authemu/sessions", "/_authemu/users", "/_authemu/users/u-bob",
    // Environments made at run time and exports (appended).
    "/_authemu/environments", "/_authemu/environments/fz", "/_authemu/export/ftl", "/api/auth/keys.pem",
    // Registration, resource metadata, what clients sign (appended).
    "/api/auth/register", "/api/auth/register/x", "/.well-known/oauth-protected-resource/api/ledger",
    "/.well-known/openid-configuration/api/auth", "/_authemu/registration-tokens", "/_authemu/explain"};
const char* const kHeaders[] = {"Authorization",     "Content-Type",
                                "Origin",            "X-Forwarded-Host",
                                "X-Forwarded-Proto", "Host",
                                "Accept",            "Access-Control-Request-Method",
                                "Access-Control-Request-Headers", "Cookie"};
constexpr size_t kMaxRequests = 4;

struct Apps {
  FakeClock clock{test::kStart};
  std::unique_ptr<App> test, standard;
  Apps() {
    AppSettings settings;
    settings.environment.issuer = test::kIssuer;
    test = std::make_unique<App>(settings, test::test_fixture(), test::test_key(), clock);
    Options options;
    auto no_env = [](const std::string&) { return std::optional<std::string>(); };
    standard = std::make_unique<App>(
        settings, environment_specs(options, settings, load_fixture_option(options, no_env), test::test_key()), clock);
    // A queued fault's delay must not stall the fuzzer: delays end at once.
    test->stop_waiting();
    standard->stop_waiting();
  }
};

std::string_view next_line(std::string_view* text) {
  size_t end = text->find('\n');
  std::string_view line = text->substr(0, end);
  *text = end == std::string_view::npos ? std::string_view() : text->substr(end + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

HttpRequest to_request(std::string_view block) {
  HttpRequest req;
  std::string_view first = next_line(&block);
  size_t space = first.find(' ');
  std::string_view method = first.substr(0, space);
  std::string_view target = space == std::string_view::npos ? std::string_view() : first.substr(space + 1);
  size_t hash = 0;
  for (char c : method) hash = hash * 31 + static_cast<unsigned char>(c);
  req.method = kMethods[hash % std::size(kMethods)];
  for (const char* m : kMethods) {
    if (method == m) req.method = m;
  }
  std::string path;
  if (!target.empty() && target[0] == '#') {
    size_t digits = 1, n = 0;
    while (digits < target.size() && digits < 4 && target[digits] >= '0' && target[digits] <= '9') {
      n = n * 10 + size_t(target[digits++] - '0');
    }
    path = std::string(kRoutes[n % std::size(kRoutes)]) + std::string(target.substr(digits));
  } else {
    path = std::string(target);
  }
  size_t q = path.find('?');
  req.path = path.substr(0, q);
  if (q != std::string::npos) req.query = path.substr(q + 1);
  while (!block.empty()) {
    std::string_view line = next_line(&block);
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon), value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    for (const char* h : kHeaders) {
      if (iequals(name, h)) req.headers.emplace_back(h, std::string(value));
    }
  }
  req.body = std::string(block);
  return req;
}

std::string describe(const HttpRequest& req) {
  return req.method + " " + req.path + (req.query.empty() ? "" : "?" + req.query);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Apps* apps = new Apps();
  std::string_view text = fuzz::as_text(data, size);
  App* app = apps->test.get();
  constexpr std::string_view kDefault = "@default\n";
  if (text.substr(0, kDefault.size()) == kDefault) {
    app = apps->standard.get();
    text.remove_prefix(kDefault.size());
  }
  HttpRequest reset;
  reset.method = "POST";
  reset.path = "/_authemu/reset";
  fuzz::require(app->handle(reset).status == 200, "the admin reset failed");

  bool faults_queued = false;  // a 5xx may be the answer the input asked for
  for (size_t i = 0; i < kMaxRequests && !text.empty(); ++i) {
    size_t end = text.find("\n%%\n");
    std::string_view block = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 4);
    HttpRequest req = to_request(block);
    HttpResponse res;
    try {
      res = app->handle(req);
    } catch (const std::exception& e) {
      fuzz::finding("an exception escaped App::handle on " + describe(req) + ": " + e.what());
    } catch (...) {
      fuzz::finding("a non-standard exception escaped App::handle on " + describe(req));
    }
    if (req.path.rfind("/_authemu/faults", 0) == 0 && req.method == "POST" && res.status < 300) faults_queued = true;
    if ((res.status >= 500 && !faults_queued) || res.status < 100) {
      fuzz::finding("status " + std::to_string(res.status) + " on " + describe(req) + ": " + res.body.substr(0, 300));
    }
  }
  return 0;
}
