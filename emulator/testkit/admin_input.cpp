#include "testkit/admin_input.h"

#include <algorithm>

#include "base/duration.h"

namespace authemu {

HttpResponse json_response(int status, const Json& body) {
  HttpResponse res;
  res.json(status, dump_json(body));
  res.set_header("Cache-Control", "no-store");
  return res;
}

Input read_input(const HttpRequest& req) {
  // A browser sends text/plain, forms and multipart across sites without a preflight: JSON only.
  if (!req.body.empty() && !req.is_json()) {
    auto type = req.header("Content-Type");
    throw admin_api::unsupported_media_type(
        (type ? "Content-Type " + type->substr(0, 100) : std::string("no Content-Type")) +
        ": the admin API takes JSON bodies (Content-Type: application/json)");
  }
  Input in;
  in.query = as_validation("", [&] { return Params::parse(req.query, "query string"); });
  std::string_view body = req.body;
  while (!body.empty() &&
         (body.front() == ' ' || body.front() == '\n' || body.front() == '\r' || body.front() == '\t')) {
    body.remove_prefix(1);
  }
  if (!body.empty()) {
    std::string error;
    auto v = parse_json(body, &error);
    if (!v) throw admin_api::validation("body: " + error);
    if (!v->is<JsonObject>()) throw admin_api::validation("body: expected a JSON object");
    in.body = v->get<JsonObject>();
  }
  return in;
}

void only_members(const JsonObject& body, std::initializer_list<const char*> known) {
  for (const auto& member : body) { // not a structured binding: lambdas capture those from C++20 on
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return member.first == k; })) {
      throw admin_api::validation(member.first + ": unknown member");
    }
  }
}

std::vector<std::string> string_list(const JsonObject& body, const char* name, size_t max_length) {
  std::vector<std::string> out;
  auto v = find_member(body, name);
  if (!v) return out;
  if (!v->is<JsonArray>()) throw admin_api::validation(std::string(name) + ": expected a list of strings");
  for (const auto& item : v->get<JsonArray>()) {
    if (!item.is<std::string>()) throw admin_api::validation(std::string(name) + ": expected a list of strings");
    if (item.get<std::string>().size() > max_length) {
      throw admin_api::validation(std::string(name) + ": items of at most " + std::to_string(max_length) +
                                  " characters");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

int64_t seconds_of(const Json& v, const std::string& name) {
  if (auto s = json_seconds(v)) return *s;
  throw admin_api::validation(name + ": expected whole seconds or a duration such as 90s, 1h, -5m (at most ten years)");
}

std::optional<std::string> Input::param(const std::string& name) const {
  return as_validation("", [&] { return query.get(name); });
}

std::optional<std::string> Input::environment() const {
  if (auto q = param("environment")) return q;
  return text("environment");
}

std::optional<std::string> Input::text(const char* name) const {
  auto v = find_member(body, name);
  if (!v) return std::nullopt;
  if (!v->is<std::string>()) throw admin_api::validation(std::string(name) + ": expected a string");
  return v->get<std::string>();
}

std::vector<Environment*> select(const std::vector<Environment*>& envs, const std::optional<std::string>& name) {
  if (!name) return envs;
  for (Environment* e : envs) {
    if (e->label() == *name || (name->empty() && e->name().empty())) return {e};
  }
  throw admin_api::not_found("no environment " + *name);
}

Environment& select_one(const std::vector<Environment*>& envs, const std::optional<std::string>& name) {
  return *select(envs, name.value_or(environment_label(""))).front();
}

} // namespace authemu
