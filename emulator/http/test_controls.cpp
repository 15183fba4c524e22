#include "http/test_controls.h"

#include <chrono>

#include "base/distinguished_name.h"
#include "http/bearer.h"
#include "jose/jwt.h"
#include "http/response_writer.h"
#include "http/responses.h"
#include "jose/jwt.h"
#include "oauth/client_auth.h"

namespace authemu {

namespace {

// The client a request names and its grant, read without authenticating anything: for the
// journal and for faults aimed at one client. Malformed input names nothing.
void named_client(const HttpRequest& req, const RequestForm& form, std::string* client_id, std::string* grant_type) {
  try {
    if (auto basic = parse_basic(req.header("Authorization"))) *client_id = basic->id;
  } catch (const OAuthError&) {
  }
  try {
    const Params& p = req.method == "POST" && req.is_form_urlencoded() ? form.merged() : form.query();
    if (client_id->empty()) *client_id = p.get("client_id").value_or("");
    // RFC 7523 §3: a client assertion names its client in sub.
    if (auto assertion = p.get("client_assertion"); client_id->empty() && assertion) {
      std::string ignored;
      if (auto jwt = decode_jwt(*assertion, &ignored)) *client_id = find_string(jwt->claims, "sub").value_or("");
    }
    *grant_type = p.get("grant_type").value_or("");
  } catch (const OAuthError&) {
  }
  if (client_id->size() > 256) client_id->resize(256);
  if (grant_type->size() > 256) grant_type->resize(256);
}

// "ok", the OAuth error code of an error body, or http_<status>.
std::string outcome_of(const HttpResponse& res) {
  if (res.status < 400) return "ok";
  std::string ignored;
  if (auto body = parse_json(res.body, &ignored); body && body->is<JsonObject>()) {
    if (auto code = find_string(body->get<JsonObject>(), "error")) return *code;
  }
  if (auto h = res.header("WWW-Authenticate"); h && h->find("error=\"") != std::string::npos) {
    size_t start = h->find("error=\"") + 7;
    return h->substr(start, h->find('"', start) - start);
  }
  return "http_" + std::to_string(res.status);
}

constexpr size_t kMaxKept = 64; // parameters or headers an entry keeps

// The decoded header and claims of a JWT (nothing for an opaque token), as role.
void add_token(std::vector<JournalToken>& out, const std::string& role, const std::string& token) {
  std::string reason;
  if (token.empty() || token.size() > 16384) return;
  if (auto jwt = decode_jwt(token, &reason)) out.push_back(JournalToken{role, jwt->header, jwt->claims});
}

// What the journal keeps of a request beyond its summary: parameters and headers with secrets
// masked, the tokens it presented and its answer issued, decoded, and the user they name.
void add_details(JournalEntry& e, const HttpRequest& req, const RequestForm& form, const HttpResponse& res) {
  e.path = req.path.size() > 512 ? req.path.substr(0, 512) : req.path;
  try {
    const Params& p = req.method == "POST" && req.is_form_urlencoded() ? form.merged() : form.query();
    for (const auto& [name, value] : p.items()) {
      if (e.params.size() >= kMaxKept) break;
      e.params.emplace_back(name.substr(0, 128), journal_mask(name, value, false));
    }
    // Tokens presented in the form: RFC 7662 / RFC 7009 token, RFC 8693 subject and actor tokens,
    // RFC 7523 assertions, an id_token_hint.
    for (const char* name : {"token", "subject_token", "actor_token", "assertion", "client_assertion", "id_token_hint"}) {
      if (auto v = p.get(name)) add_token(e.tokens, "presented", *v);
    }
    if (auto username = p.get("username")) e.user = username->substr(0, 256);
  } catch (const OAuthError&) {
  }
  for (const auto& [name, value] : req.headers) {
    if (e.headers.size() >= kMaxKept) break;
    e.headers.emplace_back(name.substr(0, 128), journal_mask(name, value, true));
  }
  if (auto h = req.header("Authorization"); h && h->size() > 7 && iequals(h->substr(0, 7), "Bearer ")) {
    add_token(e.tokens, "presented", h->substr(7));
  }
  std::string ignored;
  if (auto body = parse_json(res.body, &ignored); body && body->is<JsonObject>()) {
    const JsonObject& o = body->get<JsonObject>();
    for (const char* name : {"access_token", "id_token", "refresh_token"}) {
      if (auto v = find_string(o, name)) add_token(e.tokens, name, *v);
    }
    if (res.status >= 400) {
      if (auto d = find_string(o, "error_description")) e.error_description = d->substr(0, 1024);
    }
  }
  for (const JournalToken& t : e.tokens) {
    if (auto sub = find_string(t.claims, "sub"); sub && t.role != "refresh_token") {
      e.user = sub->substr(0, 256);
      break;
    }
  }
}

} // namespace

HttpResponse TestControls::run(Environment& env, const HttpRequest& req, const RequestForm& form,
                               const std::string& endpoint, bool no_store_,
                               const std::function<HttpResponse()>& route, const JournalNote* note) {
  const int64_t started_us = clock_.now_us();
  JournalEntry entry;
  entry.environment = env.name();
  entry.endpoint = endpoint;
  entry.method = req.method;
  named_client(req, form, &entry.client_id, &entry.grant_type);
  if (endpoint != "token") entry.grant_type.clear();
  if (req.client_certificate) {
    entry.certificate_subject = format_dn(req.client_certificate->subject);
    entry.certificate_thumbprint = req.client_certificate->thumbprint;
  }

  HttpResponse res;
  std::optional<Fault> fault = faults_.take(env.name(), endpoint, entry.client_id, entry.grant_type);
  if (fault) {
    entry.fault = fault->id;
    if (fault->delay_ms > 0) faults_.wait(fault->delay_ms);
  }
  if (fault && fault->error == "use_dpop_nonce") {
    // RFC 9449 §8, §9: a challenge with a real current nonce, so a client's retry with it succeeds.
    std::string description = fault->description.empty()
                                  ? "a DPoP nonce is required: retry with the nonce of the DPoP-Nonce header (fault " +
                                        fault->id + ")"
                                  : fault->description;
    if (endpoint == "userinfo") {
      BearerFailure f{BearerFailure::Reason::use_dpop_nonce, description, ""};
      f.dpop = true;
      f.nonce = env.dpop().nonce();
      res = bearer_refusal(BearerShape::rfc6750, f);
    } else {
      oauth_error_response(res, oauth::use_dpop_nonce(description, env.dpop().nonce()));
    }
    if (no_store_) no_store(res);
  } else if (fault && !fault->error.empty()) {
    std::string description =
        fault->description.empty() ? "injected by authemu (fault " + fault->id + ")" : fault->description;
    oauth_error_response(res, oauth::with_code(fault->error, description, fault->status));
    if (no_store_) no_store(res);
  } else if (fault && fault->status != 0) {
    res.text(fault->status, std::to_string(fault->status) + " " + reason_phrase(fault->status) +
                                " (injected by authemu, fault " + fault->id + ")\n");
  } else {
    res = route();
  }
  entry.time = env.clock().now();
  entry.status = res.status;
  entry.outcome = outcome_of(res);
  entry.latency_us = clock_.now_us() - started_us;
  if (note != nullptr) {
    entry.client_auth = note->client_auth;
    entry.client_auth_error = note->client_auth_error;
  }
  entry.wall_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  add_details(entry, req, form, res);
  journal_.record(std::move(entry));
  return res;
}

} // namespace authemu
