// The admin API's environments made at run time (AdminApi, admin_api.h): a test makes its own
// issuer with a fixture environment's fields, uses it, and throws it away. Read and checked by the
// fixtures' own code (stack/fixtures.h, stack/environment_spec.h); kept by the stack (stack/stack.h).
#include "base/config_error.h"
#include "stack/environment_spec.h"
#include "testkit/admin_api.h"
#include "testkit/admin_input.h"
#include "testkit/exports.h"

namespace authemu {

namespace {

// The JSON body of one environment: its fields, at most this many bytes.
constexpr size_t kMaxEnvironmentBody = 262144;

JsonObject environment_json(const Environment& e, bool runtime) {
  const std::string& issuer = e.settings().issuer;
  JsonObject o;
  o["name"] = json_string(e.label());
  o["issuer"] = json_string(issuer);
  o["discovery"] = json_string(issuer + "/.well-known/openid-configuration");
  o["jwks_uri"] = json_string(issuer + "/keys");
  o["token_endpoint"] = json_string(issuer + "/oauth/token");
  o["signingAlgorithm"] = json_string(algorithm_name(e.keys().active().alg()));
  o["kid"] = json_string(e.keys().active().kid());
  o["runtime"] = Json(runtime);
  return o;
}

} // namespace

void AdminApi::forget(const std::string& name, const std::string& label) {
  faults_.clear(name);
  journal_.clear(name);
  logins_.clear(label);
}

HttpResponse AdminApi::environments(const HttpRequest& req) const {
  read_input(req);
  const EnvironmentList all = environments();
  JsonArray list;
  for (Environment* e : all.list)
    list.push_back(Json(environment_json(*e, stack_.is_runtime(*e))));
  return json_response(200, Json(JsonObject{{"environments", Json(list)}}));
}

HttpResponse AdminApi::add_environment(const HttpRequest& req) {
  if (req.body.size() > kMaxEnvironmentBody) {
    throw admin_api::validation("body: larger than " + std::to_string(kMaxEnvironmentBody) + " bytes");
  }
  Input in = read_input(req);
  if (find_member(in.body, "signingKey") || find_member(in.body, "signingSecret")) {
    guard_.check_signing("an environment with a given key");
  }
  std::vector<std::string> warnings;
  EnvironmentSpec spec = [&] {
    try {
      // The fixture's own reading and checks, on the body's JSON (valid YAML).
      EnvironmentFixture fixture = load_environment(dump_json(Json(in.body)), &warnings);
      return runtime_environment_spec(environments().list.front()->settings(), std::move(fixture));
    } catch (const ConfigError& e) {
      throw admin_api::validation(e.what());
    }
  }();
  std::string label = spec.settings.label();
  Stack::Added added = stack_.add(std::move(spec));
  switch (added.outcome) {
  case Stack::AddOutcome::name_taken:
    throw admin_api::conflict("environment " + label + " already exists");
  case Stack::AddOutcome::key_taken:
    throw admin_api::conflict("signingKey: the same key as environment " + added.other +
                              "; each environment needs its own");
  case Stack::AddOutcome::full:
    throw admin_api::conflict("at most " + std::to_string(kMaxRuntimeEnvironments) +
                              " environments made at run time: DELETE /_authemu/environments/{name} or POST "
                              "/_authemu/reset removes them");
  case Stack::AddOutcome::added:
    break;
  }
  forget(added.environment->name(), label); // nothing left over from an earlier one of that name
  JsonObject o = environment_json(*added.environment, true);
  o["warnings"] = json_string_array(warnings);
  return json_response(201, Json(o));
}

HttpResponse AdminApi::remove_environment(const HttpRequest& req, const std::string& name) {
  read_input(req);
  switch (stack_.remove(name)) {
  case Stack::RemoveOutcome::unknown:
    throw admin_api::not_found("no environment " + name);
  case Stack::RemoveOutcome::from_fixture:
    throw admin_api::conflict("environment " + name +
                              " comes from the fixture: only environments made at run time can be removed");
  case Stack::RemoveOutcome::removed:
    break;
  }
  forget(environment_name(name), name);
  HttpResponse res;
  res.empty(204);
  return res;
}

HttpResponse AdminApi::export_environment(const HttpRequest& req, const std::string& format) {
  Input in = read_input(req);
  auto f = find_export_format(format);
  if (!f) throw admin_api::not_found("no export " + format + " (jwks, pem, ftl)");
  const EnvironmentList all = environments();
  Environment& env = select_one(all, in.environment());
  HttpResponse res;
  res.status = 200;
  res.body = export_text(env, *f, in.param("client").value_or(kDefaultFtlClient));
  res.set_header("Content-Type", export_content_type(*f));
  res.set_header("Cache-Control", "no-store");
  return res;
}

} // namespace authemu
