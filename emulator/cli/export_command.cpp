#include "cli/export_command.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "base/config_error.h"
#include "cli/admin_client.h"
#include "cli/startup.h"
#include "cli/tls_setup.h"
#include "stack/stack.h"
#include "testkit/admin_api.h"
#include "testkit/exports.h"

namespace authemu {

namespace {

constexpr char kUsage[] =
    "export: usage: authemu export jwks|pem|ftl [--environment E] [--client ID] [--out FILE] [--url URL | --config "
    "FILE]";

// The export as the server at --url makes it (GET /_authemu/export/{format}); nothing, with why on err.
std::optional<std::string> from_server(const Options& o, const std::string& format, std::ostream& err) {
  const std::vector<std::string> none;
  AdminWords words{o.command, o.args, o.environment, o.user};
  JsonObject query;
  if (format == "ftl") query["client"] = json_string(o.export_client);
  AdminCall call{"GET", std::string(kAdminPrefix) + "/export/" + format + words.query_of(query)};
  std::string prefix = "authemu export: ";
  auto res = send_admin(o, call, cli_trust_files(o, o.url), prefix, err);
  if (!res || report_admin_refusal(*res, prefix, err)) return std::nullopt;
  return res->body;
}

// The export from the fixtures, as a server started with these options would serve it.
std::string from_fixtures(const Options& o, ExportFormat format, const EnvGetter& env) {
  Fixture fixture = load_fixture_option(o, env);
  std::string label = o.environment.empty() ? "default" : o.environment;
  // A key made at each start cannot be known before: only the server has it.
  std::set<std::string> generated;
  bool default_given = o.signing_algorithm == "RS256" || !o.signing_key.empty() || !o.signing_secret.empty();
  if (o.generate_signing_key || !default_given) generated.insert("default");
  for (const auto& e : fixture.environments) {
    if (!e.signing_key && !e.signing_secret) generated.insert(e.name);
  }
  if (fixture.platform && !fixture.platform->signing_key && !fixture.platform->signing_secret)
    generated.insert("platform");
  SigningKey key = load_signing_key(o);
  AppSettings settings = app_settings(o, derive_issuer(o, "127.0.0.1", 8080));
  SystemClock clock;
  Stack stack(environment_specs(o, settings, std::move(fixture), std::move(key)), clock, nullptr, std::nullopt, false);
  auto envs = stack.environments();
  std::string names;
  for (const auto& e : *envs) {
    if (e->label() != label) {
      names += (names.empty() ? "" : ", ") + e->label();
      continue;
    }
    if (format != ExportFormat::ftl && generated.count(label)) {
      throw ConfigError("environment " + label +
                        " signs with a key made at each start: export it from the running server with --url");
    }
    try {
      return export_text(*e, format, o.export_client);
    } catch (const AdminError& error) {
      throw ConfigError(error.message());
    }
  }
  throw ConfigError("no environment " + label + " (" + names + ")");
}

} // namespace

int run_export(const Options& o, std::ostream& out, std::ostream& err, const EnvGetter& env) {
  std::string text;
  try {
    if (o.args.size() != 1 || !find_export_format(o.args[0])) throw ConfigError(kUsage);
    const std::string& format = o.args[0];
    if (o.sources.count("url")) {
      auto answer = from_server(o, format, err);
      if (!answer) return 1;
      text = *answer;
    } else {
      text = from_fixtures(o, *find_export_format(format), env);
    }
  } catch (const ConfigError& e) {
    std::string what = e.what();
    err << (what.rfind("export: ", 0) == 0 ? "authemu " : "authemu export: ") << what << "\n";
    return 1;
  }
  if (o.out_file.empty()) {
    out << text;
    return 0;
  }
  std::ofstream file(o.out_file, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    err << "authemu export: cannot write " << o.out_file << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  return 0;
}

} // namespace authemu
