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
#include "base/once_task.h"
#include "base/origin.h"
#include "base/version.h"
#include "cli/admin_client.h"
#include "cli/embedded_keys.h"
#include "cli/help.h"
#include "cli/key_preparer.h"
#include "cli/options.h"
#include "cli/personal_token.h"
#include "cli/startup.h"
#include "http/app.h"
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

  // The keys on the second core while this thread reads the fixture (KeyPreparer): the default one,
  // and with the embedded fixture the embedded keys it names. A bad fixture is still reported
  // before a bad key.
  auto default_key = std::make_shared<OnceTask<SigningKey>>([options] { return load_signing_key(options); });
  std::vector<std::function<void()>> ahead;
  if (options.config.empty()) {
    // Last first: the main thread, done with the fixture, asks for them in order and loads itself
    // those the other thread has not begun.
    auto names = embedded_fixture_key_names();
    for (auto name = names.rbegin(); name != names.rend(); ++name)
      ahead.push_back([name = *name] { load_embedded_key_ahead(name, Algorithm::RS256); });
  }
  KeyPreparer preparer(default_key, std::move(ahead));
  Fixture fixture = load_fixture_option(options, getenv_opt);
  for (const auto& w : fixture.warnings)
    log_line("warning: " + w);
  SigningKey key = default_key->get();
  ListenAddress listen = parse_listen(options.listen);

  ServerLimits limits;
  if (options.threads > 0) limits.threads = options.threads;
  HttpServer server(limits, !options.quiet);
  int port = server.bind(listen.host, listen.port);

  AppSettings settings = app_settings(options, derive_issuer(options, listen.host, port));
  SystemClock clock;
  std::string kid = key.kid();
  std::string alg = algorithm_name(key.alg());
  size_t client_count = fixture.clients.size();
  auto specs = environment_specs(options, settings, std::move(fixture), std::move(key));
  std::vector<SigningKey> other_keys;
  for (size_t i = 1; i < specs.size(); ++i)
    other_keys.push_back(specs[i].key);
  preparer.prepare_later(std::move(other_keys));
  if (auto warning = note_exposure(settings, specs, listen.host)) log_line("warning: " + *warning);
  std::string environments;
  for (size_t i = 1; i < specs.size(); ++i)
    environments += " " + specs[i].settings.name + " (" + specs[i].settings.issuer + ")";
  App app(settings, std::move(specs), clock);

  std::thread([&server, &app, signals] {
    int sig = 0;
    sigwait(&signals, &sig);
    log_line(std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ", stopping");
    app.stop_waiting(); // requests held by an injected delay answer now
    server.stop();
  }).detach();

  JsonObject ready;
  ready["event"] = json_string("ready");
  ready["url"] = json_string("http://" + url_host(local_connect_host(listen.host)) + ":" + std::to_string(port));
  ready["issuer"] = json_string(app.issuer());
  std::cout << dump_json(Json(ready)) << std::endl;
  log_line("authemu " + version_string() + " listening on " + listen.host + ":" + std::to_string(port) + ", issuer " +
           app.issuer() + ", key " + kid + " (" + alg +
           (options.signing_key.empty() && !options.generate_signing_key && alg == "RS256"
                ? ", embedded TEST key: never use outside tests)"
                : ")") +
           ", " + std::to_string(client_count) + " static clients" +
           (environments.empty() ? std::string() : ", environments:" + environments));
  return server.serve(app) ? 0 : 1;
}

int healthcheck(const Options& options) {
  ListenAddress a = parse_listen(options.listen);
  std::string host = local_connect_host(a.host);
  std::string error;
  if (probe_health(host, a.port, &error)) return 0;
  std::cerr << "authemu healthcheck: " << error << "\n";
  return 1;
}

// Signatures per second of this build: --threads threads (default 1) signing a client-credentials-
// sized input for --seconds; with --seconds 0 only the key load, its preparation and one signature.
int bench_sign(const Options& options) {
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  auto t0 = Clock::now();
  SigningKey key = load_signing_key(options);
  auto t1 = Clock::now();
  key.prepare(); // the one-time values of each slot (RS256 blinding): timed on their own
  auto t2 = Clock::now();
  std::string input(330, 'x');
  key.sign(input);
  auto start = Clock::now();
  auto deadline = start + std::chrono::duration<double>(options.bench_seconds);
  int threads = std::max(1, options.threads);
  std::vector<long> counts(size_t(threads), 0);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      while (Clock::now() < deadline) {
        key.sign(input);
        ++counts[size_t(t)];
      }
    });
  }
  for (auto& w : workers)
    w.join();
  long count = 0;
  for (long c : counts)
    count += c;
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  JsonObject o;
  o["alg"] = json_string(algorithm_name(key.alg()));
  o["threads"] = json_int(threads);
  o["signatures"] = json_int(count);
  o["seconds"] = Json(seconds);
  o["per_second"] = Json(seconds > 0 ? count / seconds : 0.0);
  o["key_load_ms"] = Json(ms(t1 - t0));
  o["prepare_ms"] = Json(ms(t2 - t1));
  o["first_signature_ms"] = Json(ms(start - t2));
  std::cout << dump_json(Json(o)) << std::endl;
  return 0;
}

// `authemu check-config FILE`: 0 and a summary for a fixture that loads, 1 and its first error otherwise.
int check_config_command(const Options& options) {
  std::vector<std::string> warnings;
  try {
    std::string summary = check_config(options, getenv_opt, &warnings);
    for (const auto& w : warnings)
      std::cerr << "authemu check-config: warning: " << w << "\n";
    std::cout << summary << "\n";
    return 0;
  } catch (const ConfigError& e) {
    std::cerr << "authemu check-config: " << e.what() << "\n";
    return 1;
  }
}

} // namespace

int main(int argc, char** argv) {
  try {
    Options options = parse_options(std::vector<std::string>(argv + 1, argv + argc), getenv_opt);
    if (options.command == "help") {
      std::cout << command_help(options.help_topic);
      return 0;
    }
    if (options.command == "version") {
      std::cout << "authemu " << version_string() << "\n";
      return 0;
    }
    if (options.command == "healthcheck") return healthcheck(options);
    if (options.command == "personal-token") {
      std::string token, error;
      if (!personal_token(options, &token, &error)) {
        std::cerr << "authemu personal-token: " << error << "\n";
        return 1;
      }
      std::cout << token << "\n";
      return 0;
    }
    if (options.command == "bench-sign") return bench_sign(options);
    if (options.command == "check-config") return check_config_command(options);
    if (is_admin_command(options.command)) return run_admin_command(options, std::cout, std::cerr);
    return serve(options);
  } catch (const ConfigError& e) {
    std::cerr << "authemu: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "authemu: " << e.what() << "\n";
    return 1;
  }
}
