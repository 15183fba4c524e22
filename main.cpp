// authemu: parse options, build the app, stop on SIGINT/SIGTERM, serve.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/config_error.h"
#include "base/json.h"
#include "base/log.h"
#include "base/origin.h"
#include "base/version.h"
#include "cli/commands.h"
#include "cli/key_warm_up.h"
#include "cli/options.h"
#include "cli/startup.h"
#include "cli/tls_setup.h"
#include "http/app.h"
#include "http/console_page.h"
#include "http/http_fetcher.h"
#include "http/http_server.h"

using namespace authemu;

namespace {

std::optional<std::string> getenv_opt(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v == nullptr ? std::nullopt : std::optional<std::string>(v);
}

int serve(const Options& options) {
  // Signals are taken by one thread with sigwait; block them before any other thread exists.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // The keys on the second core while this thread reads the fixture (cli/key_warm_up.h); a bad
  // fixture is still reported before a bad key.
  KeyWarmUp keys(options);
  Fixture fixture = load_fixture_option(options, getenv_opt);
  for (const auto& w : fixture.warnings)
    log_line("warning: " + w);
  SigningKey key = keys.default_key();
  ListenAddress listen = parse_listen(options.listen);

  ServerLimits limits;
  if (options.threads > 0) limits.threads = options.threads;
  HttpServer server(limits, !options.quiet);
  int port = server.bind(listen.host, listen.port);
  std::optional<ListenAddress> tls_listen;
  int tls_port = 0;
  if (!options.tls_listen.empty()) {
    tls_listen = parse_listen(options.tls_listen, options.source_of("tls-listen"));
    tls_port = server.bind(tls_listen->host, tls_listen->port, nullptr, options.source_of("tls-listen"));
  }

  AppSettings settings = app_settings(options, derive_issuer(options, listen.host, port));
  SystemClock clock;
  std::string kid = key.kid();
  std::string alg = algorithm_name(key.alg());
  bool test_key = is_embedded_test_key(key);
  size_t client_count = fixture.clients.size();
  auto specs = environment_specs(options, settings, std::move(fixture), std::move(key));
  keys.prepare_rest(specs);
  // Certificates only when a TLS option asks for them (cli/tls_setup.h): a plain start makes none.
  TlsSetup tls = setup_tls(options, specs, port, clock);
  for (const auto& w : tls.warnings)
    log_line("warning: " + w);
  if (options.tls) server.use_tls(port, tls.config.get());
  if (tls_port != 0) server.use_tls(tls_port, tls.config.get());
  settings.tls_ca_pem = tls.ca_pem;
  settings.tls_client_certs = (tls.config != nullptr && options.asks_client_certificates()) || tls.forwarded;
  settings.forwarded_certificates = tls.forwarded;
  settings.tls_ca = tls.ca;
  if (auto warning = note_exposure(settings, specs, listen.host)) log_line("warning: " + *warning);
  std::string environments;
  for (size_t i = 1; i < specs.size(); ++i)
    environments += " " + specs[i].settings.name + " (" + specs[i].settings.issuer + ")";
  // Outbound HTTPS (the delegated login's upstream) trusts the system's CAs, --tls-trust and this
  // server's own CA; a bad --tls-trust file stops the start here.
  TlsTrustSources outbound;
  if (!options.tls_trust.empty()) outbound.pem_files.push_back(options.tls_trust);
  outbound.own_ca_pem = tls.ca_pem;
  std::unique_ptr<HttpFetcher> fetcher;
  try {
    fetcher = std::make_unique<HttpFetcher>(FetchLimits{}, outbound);
  } catch (const ConfigError& e) {
    throw ConfigError(options.source_of("tls-trust") + ": " + e.what());
  }
  App app(settings, std::move(specs), clock, default_routes(), fetcher.get());

  // --quiet: the ready line on stdout and problems on stderr, nothing else (no start or stop line).
  bool quiet = options.quiet;
  std::thread([&server, &app, signals, quiet] {
    int sig = 0;
    sigwait(&signals, &sig);
    if (!quiet) log_line(std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ", stopping");
    app.stop_waiting(); // requests held by an injected delay answer now
    server.stop();
  }).detach();

  JsonObject ready;
  ready["event"] = json_string("ready");
  std::string url = url_host(local_connect_host(listen.host)) + ":" + std::to_string(port);
  ready["url"] = json_string((options.tls ? "https://" : "http://") + url);
  ready["issuer"] = json_string(app.issuer());
  if (options.tls) {
    ready["tls_url"] = json_string("https://" + url);
    ready["tls_issuer"] = json_string(app.issuer());
  } else if (tls_listen) {
    ready["tls_url"] = json_string("https://" + url_host(local_connect_host(tls_listen->host)) + ":" +
                                   std::to_string(tls_port));
    ready["tls_issuer"] = json_string(listener_issuer(app.settings().environment, tls_port));
  }
  if (!tls.ca_file.empty()) ready["ca_file"] = json_string(tls.ca_file);
  if (settings.admin_api) ready["console"] = json_string((options.tls ? "https://" : "http://") + url + kConsolePath);
  std::cout << dump_json(Json(ready)) << std::endl;
  if (!quiet) {
    log_line("authemu " + version_string() + " listening on " + listen.host + ":" + std::to_string(port) + ", issuer " +
             app.issuer() + ", key " + kid + " (" + alg +
             (test_key ? ", embedded TEST key: never use outside tests)" : ")") + ", " + std::to_string(client_count) +
             " static clients" + (environments.empty() ? std::string() : ", environments:" + environments) +
             (tls_port != 0 ? ", HTTPS on " + tls_listen->host + ":" + std::to_string(tls_port) : std::string()));
  }
  bool served = server.serve(app);
  if (tls.remove_ca_file_at_exit) std::remove(tls.ca_file.c_str());
  return served ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  try {
    Options options = parse_options(std::vector<std::string>(argv + 1, argv + argc), getenv_opt);
    const Command* command = find_command(options.command);
    if (command != nullptr && command->run != nullptr) {
      CommandIo io{std::cout, std::cerr, getenv_opt};
      return command->run(options, io);
    }
    return serve(options);
  } catch (const ConfigError& e) {
    std::cerr << "authemu: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "authemu: " << e.what() << "\n";
    return 1;
  }
}
