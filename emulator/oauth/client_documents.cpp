#include "oauth/client_documents.h"

#include <algorithm>
#include <cctype>

#include "base/json.h"
#include "base/number.h"
#include "oauth/oauth_error.h"
#include "oauth/registration.h"

namespace authemu {

namespace {

constexpr int64_t kDefaultFreshness = 300, kMinFreshness = 60, kMaxFreshness = 3600;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string host_of(const std::string& url) {
  size_t start = url.find("://") + 3;
  std::string authority = url.substr(start, url.find('/', start) - start);
  if (!authority.empty() && authority[0] == '[') return authority.substr(0, authority.find(']') + 1);
  return lower(authority.substr(0, authority.find(':')));
}

// Cache-Control max-age, bounded; the default without one; 0 for no-store / no-cache.
int64_t freshness(const FetchResponse& res) {
  auto cc = res.header("Cache-Control");
  if (!cc) return kDefaultFreshness;
  std::string v = lower(*cc);
  if (v.find("no-store") != std::string::npos || v.find("no-cache") != std::string::npos) return kMinFreshness;
  size_t at = v.find("max-age=");
  if (at == std::string::npos) return kDefaultFreshness;
  size_t end = v.find_first_not_of("0123456789", at + 8);
  auto n = parse_int64(v.substr(at + 8, end == std::string::npos ? std::string::npos : end - at - 8));
  return std::clamp<int64_t>(n.value_or(kDefaultFreshness), kMinFreshness, kMaxFreshness);
}

} // namespace

bool is_client_document_url(const std::string& id, bool allow_http) {
  std::string scheme = lower(id.substr(0, id.find("://")));
  if (id.find("://") == std::string::npos || (scheme != "https" && scheme != "http")) return false;
  size_t path = id.find('/', scheme.size() + 3);
  if (path == std::string::npos || path + 1 >= id.size()) return false; // §3: a path is required
  if (id.find('#') != std::string::npos) return false;
  if (scheme == "http") {
    std::string host = host_of(id);
    return allow_http && (host == "127.0.0.1" || host == "[::1]" || host == "localhost");
  }
  return true;
}

ClientStore::Ptr resolve_client_document(ClientStore& clients, Fetcher* fetcher, const Clock& clock,
                                         const std::string& id, bool allow_http) {
  if (id.size() > kMaxRegistrationValue) return nullptr;
  bool http = lower(id.substr(0, 7)) == "http://";
  if (http && !allow_http && is_client_document_url(id, true)) {
    throw oauth::invalid_request("client_id " + id + " is a metadata document at an http URL: start authemu with "
                                 "--allow-http-metadata to accept those of loopback hosts");
  }
  if (!is_client_document_url(id, allow_http)) return nullptr;
  int64_t now = clock.now();
  ClientStore::Ptr kept = clients.find(id);
  if (kept && kept->from_metadata_document && now < kept->issued_at) return kept; // issued_at: fresh until
  std::string where = "client metadata document " + id;
  if (fetcher == nullptr) throw oauth::invalid_request(where + " cannot be fetched: this server reaches no other server");
  FetchResponse res;
  try {
    FetchRequest req;
    req.url = id;
    req.headers.emplace_back("Accept", "application/json");
    res = fetcher->fetch(req);
  } catch (const FetchError& e) {
    throw oauth::invalid_request(where + " could not be fetched: " + fetch_failure_name(e.failure()));
  }
  // §4: only a 200 counts, and it is the document's own URL (no redirect followed).
  if (res.url != id) throw oauth::invalid_request(where + " redirected to " + res.url + " (a document is not followed elsewhere)");
  if (res.status != 200) throw oauth::invalid_request(where + " answered HTTP " + std::to_string(res.status));
  if (res.body.size() > kMaxClientDocumentBytes) {
    throw oauth::invalid_request(where + " is larger than " + std::to_string(kMaxClientDocumentBytes) + " bytes");
  }
  std::string error;
  auto doc = parse_json(res.body, &error);
  if (!doc || !doc->is<JsonObject>()) throw oauth::invalid_request(where + " is not a JSON object" + (doc ? "" : ": " + error));
  const JsonObject& m = doc->get<JsonObject>();
  // §4.1: it names itself, compared as strings.
  auto named = find_string(m, "client_id");
  if (named != std::optional<std::string>(id)) {
    throw oauth::invalid_request(where + " names client_id " + named.value_or("(none)") + ", not its own URL");
  }
  // §4.1: no shared secret can be in a public document.
  for (const char* secret : {"client_secret", "client_secret_expires_at"}) {
    if (m.count(secret)) throw oauth::invalid_request(where + " has " + secret + ": a public document holds no secret");
  }
  auto method = find_string(m, "token_endpoint_auth_method").value_or("none");
  if (method != "none" && method != "private_key_jwt") {
    throw oauth::invalid_request(where + ": token_endpoint_auth_method " + method +
                                 " is not for a metadata document (none or private_key_jwt)");
  }
  JsonObject metadata = m;
  metadata["token_endpoint_auth_method"] = json_string(method);
  Client c;
  try {
    c = client_from_metadata(metadata, id);
  } catch (const OAuthError& e) {
    throw oauth::invalid_request(where + ": " + e.description());
  }
  // §6.4: people see who asks: the name it gives and the host it comes from.
  auto name = find_string(m, "client_name");
  c.name = name ? *name + " (" + host_of(id) + ")" : host_of(id);
  c.registered = true;
  c.from_metadata_document = true;
  c.issued_at = now + freshness(res);
  if (kept) {
    if (auto replaced = clients.replace(c)) return replaced;
  }
  switch (clients.create(c)) {
  case ClientStore::CreateOutcome::created:
  case ClientStore::CreateOutcome::id_taken: // another request kept it meanwhile
    return clients.find(id);
  case ClientStore::CreateOutcome::full:
    throw oauth::invalid_request(where + ": this environment holds " + std::to_string(kMaxDynamicClients) +
                                 " dynamic clients already (the cap)");
  }
  return nullptr;
}

} // namespace authemu
