#include "testkit/admin_api.h"

#include <algorithm>

#include "base/duration.h"
#include "base/number.h"
#include "jose/crypto.h"
#include "oauth/form.h"
#include "oauth/oauth_error.h"
#include "stack/management.h"
#include "testkit/admin_input.h"
#include "oauth/client_auth.h"
#include "testkit/explain.h"
#include "jose/jwt.h"
#include "testkit/mint.h"
#include "testkit/mint_client_jwt.h"

namespace authemu {

namespace {

JsonObject clock_json(Environment& env) {
  AdjustableClock::State s = env.clock().state();
  JsonObject o;
  o["environment"] = json_string(env.label());
  o["now"] = json_int(s.now);
  o["time"] = json_string(format_utc(s.now));
  o["offset"] = json_int(s.offset);
  o["frozen"] = Json(s.frozen);
  return o;
}

Json fault_json(const Fault& f) {
  JsonObject o;
  o["id"] = json_string(f.id);
  o["environment"] = json_string(environment_label(f.environment));
  o["endpoint"] = json_string(f.endpoint);
  if (f.client_id) o["client_id"] = json_string(*f.client_id);
  if (f.grant_type) o["grant_type"] = json_string(*f.grant_type);
  o["remaining"] = json_int(f.remaining);
  if (!f.error.empty()) o["error"] = json_string(f.error);
  if (!f.description.empty()) o["error_description"] = json_string(f.description);
  if (f.status != 0) o["status"] = json_int(f.status);
  if (f.delay_ms != 0) o["delay_ms"] = json_int(f.delay_ms);
  return Json(o);
}

constexpr char kGraceExpected[] = "grace: expected whole seconds or a duration such as 10m (0: at once)";

// The admin API's answer to a rotation the key store refused; nothing when it rotated.
void check_rotated(const KeyStore::Rotation& r) {
  switch (r.outcome) {
  case KeyStore::RotateOutcome::rotated:
    return;
  case KeyStore::RotateOutcome::kid_taken:
    throw admin_api::conflict("key " + r.key.kid + " is already in the key store");
  case KeyStore::RotateOutcome::full: {
    std::string next = r.next_retirement ? " (the next at " + format_utc(*r.next_retirement) + ")" : "";
    throw admin_api::conflict("the key store holds at most " + std::to_string(kMaxKeys) +
                              " keys, the active one and those within their grace period: rotate with grace 0, or wait "
                              "until a key's grace ends" +
                              next);
  }
  case KeyStore::RotateOutcome::negative_grace:
    throw admin_api::validation(kGraceExpected);
  }
}

// The key a rotation names: the body's key (PEM or JWK text, for HS256 also the shared secret
// itself), a new key of alg, or nothing (the key store makes one of the active key's algorithm).
std::optional<SigningKey> next_key(const JsonObject& body, std::optional<Algorithm> alg, Algorithm active) {
  if (auto v = find_member(body, "key")) {
    if (!v->is<std::string>()) throw admin_api::validation("key: expected PEM or JWK text");
    const std::string& text = v->get<std::string>();
    // HS256's key is a JWK or else the shared secret itself, whitespace included.
    if (alg == Algorithm::HS256 && !SigningKey::is_jwk_text(text)) return SigningKey::from_secret(text);
    return SigningKey::from_text(text, alg, active);
  }
  if (!alg) return std::nullopt;
  if (*alg == Algorithm::HS256) throw admin_api::validation("key: required for HS256 (the shared secret)");
  return SigningKey::generate(*alg);
}

} // namespace

AdminApi::AdminApi(Stack& stack, Journal& journal, FaultQueue& faults, LoginQueue& logins, AdminPolicy policy,
                   std::vector<std::string> routes)
    : stack_(stack), journal_(journal), faults_(faults), logins_(logins),
      guard_(environments().list, std::move(policy)), routes_(std::move(routes)) {}

EnvironmentList AdminApi::environments() const {
  EnvironmentList l;
  l.keep = stack_.environments();
  for (const auto& e : *l.keep)
    l.list.push_back(e.get());
  return l;
}

std::optional<HttpResponse> AdminApi::authorize(const HttpRequest& req) const {
  return guard_.authorize(req);
}

HttpResponse AdminApi::index() const {
  const EnvironmentList all = environments();
  JsonArray envs;
  for (Environment* e : all.list) {
    JsonObject o;
    o["name"] = json_string(e->label());
    o["issuer"] = json_string(e->settings().issuer);
    o["clock"] = Json(clock_json(*e));
    envs.emplace_back(o);
  }
  JsonObject o;
  o["environments"] = Json(envs);
  o["console"] = json_string(std::string(kAdminPrefix) + "/console"); // the page over this API
  o["routes"] = json_string_array(routes_);
  return json_response(200, Json(o));
}

namespace {

// One shape with or without environment: the list, of one or of all.
HttpResponse clocks_response(const std::vector<Environment*>& envs) {
  JsonArray all;
  for (Environment* e : envs)
    all.emplace_back(clock_json(*e));
  return json_response(200, Json(JsonObject{{"environments", Json(all)}}));
}

} // namespace

HttpResponse AdminApi::show_clock(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  return clocks_response(select(all, in.environment()));
}

HttpResponse AdminApi::move_clock(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  std::vector<Environment*> envs = select(all, in.environment());
  only_members(in.body, {"environment", "advance", "set", "freeze"});
  std::optional<int64_t> advance, set;
  std::optional<bool> freeze;
  if (auto v = find_member(in.body, "advance")) advance = seconds_of(*v, "advance");
  if (auto v = find_member(in.body, "set")) {
    if (v->is<int64_t>()) {
      set = v->get<int64_t>();
    } else if (v->is<std::string>()) {
      set = parse_utc(v->get<std::string>());
    }
    if (!set || *set < 0 || *set > 253402300799) {
      throw admin_api::validation("set: expected Unix seconds or UTC time such as 2030-01-01T00:00:00Z");
    }
  }
  if (auto v = find_member(in.body, "freeze")) {
    if (!v->is<bool>()) throw admin_api::validation("freeze: expected true or false");
    freeze = v->get<bool>();
  }
  if (advance && set) throw admin_api::validation("advance and set: give one of them");
  if (!advance && !set && !freeze) throw admin_api::validation("body: give advance, set or freeze");
  for (Environment* e : envs) {
    AdjustableClock& c = e->clock();
    if (freeze && *freeze) c.freeze();
    if (set) c.set(*set);
    if (advance) c.advance(*advance);
    if (freeze && !*freeze) c.unfreeze();
  }
  return clocks_response(envs);
}

HttpResponse AdminApi::reset_clock(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  std::vector<Environment*> envs = select(all, in.environment());
  for (Environment* e : envs)
    e->clock().reset();
  return clocks_response(envs);
}

HttpResponse AdminApi::reset(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  only_members(in.body, {"environment"});
  auto chosen = in.environment();
  JsonArray names;
  for (Environment* e : select(all, chosen)) {
    e->reset();
    faults_.clear(e->name());
    journal_.clear(e->name());
    if (chosen) logins_.clear(e->label());
    names.push_back(json_string(e->label()));
  }
  JsonObject o{{"reset", Json(names)}};
  if (!chosen) {
    logins_.clear(std::nullopt);
    // A whole reset goes back to the fixture: the environments made at run time go.
    JsonArray removed;
    for (const auto& label : stack_.remove_runtime()) {
      forget(environment_name(label), label);
      removed.push_back(json_string(label));
    }
    if (!removed.empty()) o["removed"] = Json(removed);
  }
  return json_response(200, Json(o));
}

HttpResponse AdminApi::mint(const HttpRequest& req) {
  const EnvironmentList all = environments();
  guard_.check_signing("mint");
  Input in = read_input(req);
  // What clients sign, for resource servers' and client libraries' own tests.
  auto kind = find_string(in.body, "token");
  if (kind == std::optional<std::string>("dpop_proof") || kind == std::optional<std::string>("client_assertion")) {
    Environment& env = select_one(all, in.environment());
    bool proof = *kind == "dpop_proof";
    MintedClientJwt m = proof ? mint_dpop_proof(in.body, env, env.settings().issuer)
                              : mint_client_assertion(in.body, env, env.settings().issuer);
    JsonObject o;
    o[*kind] = json_string(m.jwt);
    if (!proof) o["client_assertion_type"] = json_string(kJwtBearerAssertionType);
    if (m.key) o["key"] = Json(*m.key);
    o["header"] = Json(m.header);
    o["claims"] = Json(m.claims);
    return json_response(200, Json(o));
  }
  MintRequest r = parse_mint_request(in.body);
  Environment& env = select_one(all, in.environment());
  std::optional<MintedDpopKey> dpop_key;
  if (r.dpop) {
    dpop_key = mint_dpop_key();
    r.cnf = Json(JsonObject{{"jkt", json_string(dpop_key->jkt)}});
  }
  MintedToken m = mint_token(r, env, env.settings().issuer);
  JsonObject o;
  o[m.id_token ? "id_token" : "access_token"] = json_string(m.token);
  bool bound_to_key = r.cnf && r.cnf->is<JsonObject>() && find_member(r.cnf->get<JsonObject>(), "jkt");
  if (!m.id_token) o["token_type"] = json_string(bound_to_key ? "DPoP" : "Bearer");
  if (dpop_key) o["dpop_key"] = Json(dpop_key->private_jwk);
  o["expires_in"] = json_int(m.expires_in);
  o["header"] = Json(m.header);
  o["claims"] = Json(m.claims);
  return json_response(200, Json(o));
}

namespace {

// The environment's keys; rotation_grace: the grace a rotation applied, else the environment's.
HttpResponse keys_response(Environment& env, JsonObject o, std::optional<int64_t> rotation_grace) {
  o["environment"] = json_string(env.label());
  o["rotation_grace"] = json_int(rotation_grace ? *rotation_grace : env.keys().rotation_grace());
  JsonArray keys;
  for (const KeyInfo& k : env.keys().list()) {
    JsonObject e;
    e["kid"] = json_string(k.kid);
    e["alg"] = json_string(algorithm_name(k.alg));
    e["active"] = Json(k.active);
    if (k.retires_at) {
      e["retires_at"] = json_int(*k.retires_at);
      e["retires"] = json_string(format_utc(*k.retires_at));
    }
    keys.emplace_back(e);
  }
  o["keys"] = Json(keys);
  return json_response(200, Json(o));
}

} // namespace

HttpResponse AdminApi::keys(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  Environment& env = select_one(all, in.environment());
  return keys_response(env, {}, std::nullopt);
}

HttpResponse AdminApi::rotate_key(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  Environment& env = select_one(all, in.environment());
  only_members(in.body, {"environment", "grace", "algorithm", "key"});
  std::optional<int64_t> grace;
  if (auto v = find_member(in.body, "grace")) {
    grace = json_seconds(*v);
    if (!grace || *grace < 0) throw admin_api::validation(kGraceExpected);
  }
  std::optional<Algorithm> alg;
  if (auto v = find_member(in.body, "algorithm")) {
    if (v->is<std::string>()) alg = find_algorithm(v->get<std::string>());
    if (!alg) throw admin_api::validation("algorithm: expected RS256, PS256, ES256 or HS256");
  }
  if (find_member(in.body, "key")) guard_.check_signing("rotating to a given key");
  Algorithm active = env.keys().active().alg();
  std::optional<SigningKey> next = as_validation("key: ", [&] { return next_key(in.body, alg, active); });
  std::string previous = env.keys().active().kid();
  KeyStore::Rotation rotation = env.keys().rotate(next, grace);
  check_rotated(rotation);
  JsonObject o;
  o["kid"] = json_string(rotation.key.kid);
  o["previous"] = json_string(previous);
  return keys_response(env, std::move(o), grace);
}

HttpResponse AdminApi::remove_fault(const HttpRequest& req, const std::string& id) {
  read_input(req);
  if (!faults_.remove(id)) throw admin_api::not_found("no queued fault " + id);
  HttpResponse res;
  res.empty(204);
  return res;
}

HttpResponse AdminApi::clear_faults(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  auto chosen = in.environment();
  if (chosen) {
    for (Environment* e : select(all, chosen))
      faults_.clear(e->name());
  } else {
    faults_.clear();
  }
  HttpResponse res;
  res.empty(204);
  return res;
}

HttpResponse AdminApi::add_fault(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  only_members(in.body, {"environment", "endpoint", "client_id", "grant_type", "count", "error", "error_description",
                         "status", "delay"});
  std::string environment = select_one(all, in.environment()).name();
  Fault f = parse_fault(in.body);
  f.environment = environment;
  auto id = faults_.add(f);
  if (!id) throw admin_api::conflict("the fault queue is full (" + std::to_string(kMaxQueuedFaults) + " faults)");
  f.id = *id;
  return json_response(201, fault_json(f));
}

HttpResponse AdminApi::faults(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  JsonArray list;
  auto chosen = in.environment();
  std::optional<std::string> only;
  if (chosen) only = select(all, chosen).front()->name();
  for (const Fault& f : faults_.list()) {
    if (!only || f.environment == *only) list.push_back(fault_json(f));
  }
  return json_response(200, Json(JsonObject{{"faults", Json(list)}}));
}

HttpResponse AdminApi::clear_journal(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  auto chosen = in.environment();
  journal_.clear(chosen ? std::optional<std::string>(select(all, chosen).front()->name()) : std::nullopt);
  HttpResponse res;
  res.empty(204);
  return res;
}

HttpResponse AdminApi::journal(const HttpRequest& req) {
  const EnvironmentList all = environments();
  Input in = read_input(req);
  auto chosen = in.environment();
  std::optional<std::string> env_name;
  if (chosen) env_name = select(all, chosen).front()->name();
  JournalQuery q;
  q.environment = env_name;
  q.endpoint = in.param("endpoint");
  q.grant_type = in.param("grant_type");
  q.client_id = in.param("client_id");
  q.outcome = in.param("outcome");
  auto number = [&](const char* name, uint64_t max) -> std::optional<uint64_t> {
    auto v = in.param(name);
    if (!v) return std::nullopt;
    auto n = parse_uint64(*v, max);
    if (!n) throw admin_api::validation(std::string(name) + ": expected a whole number up to " + std::to_string(max));
    return *n;
  };
  if (auto l = number("limit", kJournalCapacity)) q.limit = *l;
  if (auto a = number("after", UINT64_MAX / 2)) q.after = *a;
  JsonArray list;
  for (const auto& e : journal_.query(q))
    list.push_back(journal_entry_json(e));
  return json_response(200, Json(JsonObject{{"entries", Json(list)}}));
}

} // namespace authemu

namespace authemu {

HttpResponse AdminApi::journal_entry(const HttpRequest& req, const std::string& seq) {
  read_input(req);
  auto n = parse_uint64(seq, UINT64_MAX / 2);
  std::optional<JournalEntry> e = n ? journal_.find(*n) : std::nullopt;
  if (!e) throw admin_api::not_found("no journal entry " + seq + " (the journal keeps the last " +
                                     std::to_string(kJournalCapacity) + ")");
  return json_response(200, journal_entry_json(*e));
}

HttpResponse AdminApi::journal_stream(const HttpRequest& req) {
  read_input(req);
  // WHATWG HTML §9.2: a comment first (the browser sees the stream open), and a retry delay.
  std::unique_ptr<EventWatch> watch = journal_.feed().watch(": authemu journal\nretry: 2000\n\n");
  if (!watch) {
    throw admin_api::unavailable("at most " + std::to_string(journal_.feed().max_watchers()) +
                                 " journal streams at once: close one");
  }
  HttpResponse res;
  res.status = 200;
  res.set_header("Content-Type", "text/event-stream; charset=utf-8");
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Accel-Buffering", "no"); // nginx: pass events on as they come
  res.stream = std::move(watch);
  return res;
}

} // namespace authemu

namespace authemu {

HttpResponse AdminApi::explain(const HttpRequest& req) {
  Input in = read_input(req);
  only_members(in.body, {"token", "audience", "nonce", "access_token"});
  ExplainRequest r;
  auto token = in.text("token");
  if (!token || token->empty()) throw admin_api::validation("token: required (a JWT)");
  if (token->size() > kMaxJwtLength) throw admin_api::validation("token: longer than 16 KiB");
  r.token = std::string(trim_ows(*token));
  for (auto [name, field] : {std::pair<const char*, std::optional<std::string>*>{"audience", &r.audience},
                             {"nonce", &r.nonce}, {"access_token", &r.access_token}}) {
    *field = in.text(name);
    if (*field && (*field)->size() > kMaxJwtLength) throw admin_api::validation(std::string(name) + ": too long");
  }
  const EnvironmentList all = environments();
  return json_response(200, explanation_json(explain_token(r, all.list)));
}

} // namespace authemu
