#include "store/client_store.h"

#include <algorithm>
#include <mutex>

#include "base/base64.h"
#include "base/origin.h"
#include "jose/crypto.h"

namespace authemu {

void keep_clear_secrets_for_hmac(Client& c) {
  if (c.token_endpoint_auth_method == std::optional<std::string>("client_secret_jwt")) return;
  for (ClientSecret& s : c.secrets) s.clear.clear();
}

std::string hash_secret(std::string_view clear) {
  return base64_encode(sha256(clear));
}

bool secret_matches(const Client& client, std::string_view clear) {
  std::string hash = hash_secret(clear);
  bool match = false;
  for (const auto& s : client.secrets)
    match |= constant_time_equal(hash, s.hash);
  return match;
}

std::vector<std::string> client_audience(const Client& client) {
  if (client.audience.empty()) return {client.id};
  return client.audience;
}

ClientStore::ClientStore(std::vector<Client> static_clients) {
  for (auto& c : static_clients) {
    c.is_static = true;
    keep_clear_secrets_for_hmac(c);
    count_origins(c, 1);
    std::string id = c.id;
    static_.emplace(std::move(id), std::make_shared<const Client>(std::move(c)));
  }
}

ClientStore::Ptr ClientStore::find(std::string_view id) const {
  if (auto it = static_.find(std::string(id)); it != static_.end()) return it->second;
  return find_dynamic(id);
}

ClientStore::Ptr ClientStore::find_dynamic(std::string_view id) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  auto it = dynamic_.find(std::string(id));
  return it == dynamic_.end() ? nullptr : it->second;
}

std::vector<ClientStore::Ptr> ClientStore::list_static() const {
  std::vector<Ptr> out;
  out.reserve(static_.size());
  for (const auto& [id, c] : static_)
    out.push_back(c);
  std::sort(out.begin(), out.end(), [](const Ptr& a, const Ptr& b) { return a->id < b->id; });
  return out;
}

std::vector<ClientStore::Ptr> ClientStore::list_dynamic() const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  std::vector<Ptr> out;
  out.reserve(order_.size());
  for (const auto& id : order_)
    out.push_back(dynamic_.at(id));
  return out;
}

ClientStore::CreateOutcome ClientStore::create(Client client) {
  client.is_static = false;
  keep_clear_secrets_for_hmac(client);
  if (static_.count(client.id) != 0) return CreateOutcome::id_taken;
  std::unique_lock<std::shared_mutex> lock(mutex_);
  if (dynamic_.count(client.id) != 0) return CreateOutcome::id_taken;
  if (dynamic_.size() >= kMaxDynamicClients) return CreateOutcome::full;
  order_.push_back(client.id);
  count_origins(client, 1);
  std::string id = client.id;
  dynamic_.emplace(std::move(id), std::make_shared<const Client>(std::move(client)));
  return CreateOutcome::created;
}

ClientStore::Ptr ClientStore::replace(Client c) {
  std::unique_lock<std::shared_mutex> lock(mutex_);
  auto it = dynamic_.find(c.id);
  if (it == dynamic_.end()) return nullptr;
  c.is_static = false;
  keep_clear_secrets_for_hmac(c);
  count_origins(*it->second, -1);
  count_origins(c, 1);
  it->second = std::make_shared<const Client>(std::move(c));
  return it->second;
}

ClientStore::Ptr ClientStore::update(const Client& options) {
  std::unique_lock<std::shared_mutex> lock(mutex_);
  auto it = dynamic_.find(options.id);
  if (it == dynamic_.end()) return nullptr;
  auto next = std::make_shared<Client>(options);
  next->is_static = false;
  next->secrets = it->second->secrets;
  keep_clear_secrets_for_hmac(*next);
  // The extensions are fixture-only; the management API's full replace keeps them.
  next->grant_types = it->second->grant_types;
  next->audience = it->second->audience;
  next->access_token_lifetime = it->second->access_token_lifetime;
  next->user_token_lifetime = it->second->user_token_lifetime;
  next->refresh_token_lifetime = it->second->refresh_token_lifetime;
  // A registered client's registration stays (RFC 7592 manages it, not the management API).
  next->registered = it->second->registered;
  next->from_metadata_document = it->second->from_metadata_document;
  next->registration_token_hash = it->second->registration_token_hash;
  next->issued_at = it->second->issued_at;
  next->metadata_document = it->second->metadata_document;
  next->require_openid = it->second->require_openid;
  next->any_scope = it->second->any_scope;
  next->resources = it->second->resources;
  count_origins(*it->second, -1);
  count_origins(*next, 1);
  it->second = next;
  return next;
}

void ClientStore::remove(std::string_view id) {
  std::unique_lock<std::shared_mutex> lock(mutex_);
  auto it = dynamic_.find(std::string(id));
  if (it == dynamic_.end()) return;
  count_origins(*it->second, -1);
  dynamic_.erase(it);
  order_.erase(std::find(order_.begin(), order_.end(), id));
}

void ClientStore::clear_dynamic() {
  std::unique_lock<std::shared_mutex> lock(mutex_);
  for (const auto& [id, c] : dynamic_)
    count_origins(*c, -1);
  dynamic_.clear();
  order_.clear();
}

ClientStore::SecretOutcome ClientStore::add_secret(std::string_view client_id, std::string name,
                                                   std::optional<Metadata> metadata, NewSecret* out) {
  std::unique_lock<std::shared_mutex> lock(mutex_);
  auto it = dynamic_.find(std::string(client_id));
  if (it == dynamic_.end()) return SecretOutcome::no_client;
  if (it->second->secrets.size() >= kMaxSecretsPerClient) return SecretOutcome::full;
  // Formance: the clear secret is a UUID v4, lastDigits its last four characters.
  out->clear = uuid_v4();
  out->secret.id = uuid_v4();
  out->secret.name = std::move(name);
  out->secret.hash = hash_secret(out->clear);
  out->secret.last_digits = out->clear.substr(out->clear.size() - 4);
  if (it->second->token_endpoint_auth_method == std::optional<std::string>("client_secret_jwt")) {
    out->secret.clear = out->clear; // RFC 7523 §2.2: its HMAC key
  }
  out->secret.metadata = std::move(metadata);
  auto next = std::make_shared<Client>(*it->second);
  next->secrets.push_back(out->secret);
  it->second = next;
  return SecretOutcome::ok;
}

ClientStore::SecretOutcome ClientStore::delete_secret(std::string_view client_id, std::string_view secret_id) {
  std::unique_lock<std::shared_mutex> lock(mutex_);
  auto it = dynamic_.find(std::string(client_id));
  if (it == dynamic_.end()) return SecretOutcome::no_client;
  auto next = std::make_shared<Client>(*it->second);
  auto s = std::find_if(next->secrets.begin(), next->secrets.end(),
                        [&](const ClientSecret& x) { return x.id == secret_id; });
  if (s == next->secrets.end()) return SecretOutcome::no_secret;
  next->secrets.erase(s);
  it->second = next;
  return SecretOutcome::ok;
}

bool ClientStore::has_redirect_origin(const std::string& origin) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  return redirect_origins_.count(origin) != 0;
}

void ClientStore::count_origins(const Client& c, int delta) {
  std::vector<std::string> seen; // a client counts once per origin
  for (const auto& uri : c.redirect_uris) {
    auto origin = origin_of_url(uri);
    if (!origin || std::find(seen.begin(), seen.end(), *origin) != seen.end()) continue;
    seen.push_back(*origin);
    if (delta > 0) {
      ++redirect_origins_[*origin];
    } else if (auto it = redirect_origins_.find(*origin); it != redirect_origins_.end() && --it->second == 0) {
      redirect_origins_.erase(it);
    }
  }
}

} // namespace authemu
