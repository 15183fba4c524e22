#include "testkit/journal.h"

#include <algorithm>

#include "base/http_types.h"
#include "stack/environment.h"

namespace authemu {

namespace {

constexpr size_t kMaxShown = 512; // characters of a parameter or header value kept

// Parameters whose values are secrets, codes, passwords, assertions or tokens.
bool is_secret_param(const std::string& name) {
  static const char* const kSecret[] = {"client_secret", "password", "code", "code_verifier", "refresh_token",
                                        "token", "assertion", "client_assertion", "subject_token", "actor_token",
                                        "device_code", "id_token_hint", "access_token", "id_token", "user_code",
                                        "request", "secret", "login_token"};
  for (const char* s : kSecret) {
    if (name == s) return true;
  }
  return false;
}

bool is_secret_header(const std::string& name) {
  for (const char* s : {"Cookie", "Set-Cookie", "DPoP", "Proxy-Authorization", "X-Admin-Token"}) {
    if (iequals(name, s)) return true;
  }
  return false;
}

JsonObject pairs_json(const std::vector<std::pair<std::string, std::string>>& pairs) {
  JsonObject o;
  for (const auto& [name, value] : pairs) {
    auto it = o.find(name);
    if (it == o.end()) {
      o[name] = json_string(value);
    } else {
      it->second = json_string(it->second.get<std::string>() + ", " + value);
    }
  }
  return o;
}

} // namespace

std::string journal_mask(const std::string& name, const std::string& value, bool header) {
  if (header && iequals(name, "Authorization")) {
    size_t space = value.find(' ');
    return (space == std::string::npos ? std::string() : value.substr(0, std::min<size_t>(space, 32)) + " ") + "****";
  }
  if (header ? is_secret_header(name) : is_secret_param(name)) return "****";
  return value.size() > kMaxShown ? value.substr(0, kMaxShown) + "..." : value;
}

Json journal_entry_json(const JournalEntry& e) {
  JsonObject o;
  o["seq"] = json_int(static_cast<int64_t>(e.seq));
  o["time"] = json_int(e.time);
  o["environment"] = json_string(environment_label(e.environment));
  o["endpoint"] = json_string(e.endpoint);
  o["method"] = json_string(e.method);
  if (!e.grant_type.empty()) o["grant_type"] = json_string(e.grant_type);
  if (!e.client_id.empty()) o["client_id"] = json_string(e.client_id);
  o["status"] = json_int(e.status);
  o["outcome"] = json_string(e.outcome);
  o["latency_us"] = json_int(e.latency_us);
  if (!e.fault.empty()) o["fault"] = json_string(e.fault);
  if (!e.client_auth.empty()) o["client_auth"] = json_string(e.client_auth);
  if (!e.client_auth_error.empty()) o["client_auth_error"] = json_string(e.client_auth_error);
  if (!e.certificate_thumbprint.empty()) {
    JsonObject cert;
    cert["subject"] = json_string(e.certificate_subject);
    cert["x5t#S256"] = json_string(e.certificate_thumbprint);
    o["client_certificate"] = Json(cert);
  }
  o["wall_time_ms"] = json_int(e.wall_time_ms);
  if (!e.path.empty()) o["path"] = json_string(e.path);
  if (!e.user.empty()) o["user"] = json_string(e.user);
  if (!e.error_description.empty()) o["error_description"] = json_string(e.error_description);
  o["params"] = Json(pairs_json(e.params));
  o["headers"] = Json(pairs_json(e.headers));
  JsonArray tokens;
  for (const JournalToken& t : e.tokens) {
    JsonObject to;
    to["role"] = json_string(t.role);
    to["header"] = Json(t.header);
    to["claims"] = Json(t.claims);
    tokens.emplace_back(to);
  }
  o["tokens"] = Json(tokens);
  return Json(o);
}

void Journal::record(JournalEntry entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  entry.seq = next_seq_++;
  // SSE (WHATWG HTML §9.2): one data line of JSON (dump_json escapes every line break), and the
  // seq as the event id. Published under the journal's lock, so watchers see entries in order.
  if (feed_.has_watchers()) {
    feed_.publish("id: " + std::to_string(entry.seq) + "\ndata: " + dump_json(journal_entry_json(entry)) + "\n\n");
  }
  entries_.push_back(std::move(entry));
  while (entries_.size() > capacity_)
    entries_.pop_front();
}

std::optional<JournalEntry> Journal::find(uint64_t seq) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const JournalEntry& e : entries_) {
    if (e.seq == seq) return e;
  }
  return std::nullopt;
}

std::vector<JournalEntry> Journal::query(const JournalQuery& q) const {
  auto matches = [&q](const JournalEntry& e) {
    return e.seq > q.after && (!q.environment || e.environment == *q.environment) &&
           (!q.endpoint || e.endpoint == *q.endpoint) && (!q.grant_type || e.grant_type == *q.grant_type) &&
           (!q.client_id || e.client_id == *q.client_id) && (!q.outcome || e.outcome == *q.outcome);
  };
  std::vector<JournalEntry> out;
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = entries_.rbegin(); it != entries_.rend() && out.size() < q.limit; ++it) {
    if (matches(*it)) out.push_back(*it);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

void Journal::clear(const std::optional<std::string>& environment) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!environment) {
    entries_.clear();
    return;
  }
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const JournalEntry& e) { return e.environment == *environment; }),
                 entries_.end());
}

size_t Journal::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

} // namespace authemu
