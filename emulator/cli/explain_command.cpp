#include "cli/explain_command.h"

#include <algorithm>
#include <iterator>

#include "base/config_error.h"
#include "base/json.h"
#include "cli/admin_client.h"
#include "cli/tls_setup.h"

namespace authemu {

int run_explain(const Options& o, std::istream& in, std::ostream& out, std::ostream& err) {
  const std::string prefix = "authemu explain: ";
  if (o.args.empty()) {
    err << prefix << "usage: authemu explain TOKEN|- [audience=A] [nonce=N] [access_token=T]\n";
    return 1;
  }
  std::string token = o.args[0];
  if (token == "-") token.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  JsonObject body;
  try {
    AdminWords words{o.command, o.args, o.environment, o.user};
    body = words.members(1);
  } catch (const ConfigError& e) {
    err << prefix << e.what() << "\n";
    return 1;
  }
  body["token"] = json_string(token);
  AdminCall call{"POST", "/_authemu/explain", dump_json(Json(body))};
  std::optional<FetchResponse> res = send_admin(o, call, cli_trust_files(o, o.url), prefix, err);
  if (!res) return 1;
  if (report_admin_refusal(*res, prefix, err)) return 1;
  std::string why;
  auto parsed = parse_json(res->body, &why);
  if (!parsed || !parsed->is<JsonObject>()) {
    err << prefix << "unexpected answer: " << why << "\n";
    return 1;
  }
  const JsonObject& e = parsed->get<JsonObject>();
  const Json* valid = find_member(e, "valid");
  out << "verdict: " << (valid && valid->is<bool>() && valid->get<bool>() ? "valid" : "refused") << "\n";
  out << "environment: " << find_string(e, "environment").value_or("none of ours") << "\n";
  if (const Json* checks = find_member(e, "checks"); checks && checks->is<JsonArray>()) {
    for (const Json& c : checks->get<JsonArray>()) {
      if (!c.is<JsonObject>()) continue;
      const JsonObject& co = c.get<JsonObject>();
      const Json* ok = find_member(co, "ok");
      std::string check = find_string(co, "check").value_or("");
      check.resize(std::max<size_t>(check.size(), 9), ' ');
      out << (ok && ok->is<bool>() && ok->get<bool>() ? "  ok    " : "  FAIL  ") << check << " "
          << find_string(co, "reason").value_or("") << ": " << find_string(co, "message").value_or("") << "\n";
    }
  }
  for (const char* part : {"header", "claims"}) {
    if (const Json* v = find_member(e, part)) out << part << ": " << dump_json(*v) << "\n";
  }
  return 0;
}

} // namespace authemu
