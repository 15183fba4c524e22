#include "oauth/client_keys.h"

#include "jose/jwk.h"
#include "oauth/oauth_error.h"

namespace authemu {

std::optional<std::string> jwk_set_problem(const Json& set) {
  if (!set.is<JsonObject>()) return "expected a JWK set: an object with \"keys\"";
  const Json* keys = find_member(set.get<JsonObject>(), "keys");
  if (keys == nullptr || !keys->is<JsonArray>()) return "expected a JWK set: \"keys\" must be an array";
  const auto& a = keys->get<JsonArray>();
  if (a.size() > kMaxClientKeys) return "more than " + std::to_string(kMaxClientKeys) + " keys";
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is<JsonObject>() || !find_string(a[i].get<JsonObject>(), "kty")) {
      return "keys[" + std::to_string(i) + "]: expected a JWK (an object with \"kty\")";
    }
    // RFC 7517 §5: each a public key this server can use (RFC 7518 §6: RSA >= 2048 bits, EC on a
    // known curve), or one whose x5c certificate is the key (§4.7; self_signed_tls_client_auth
    // matches the certificate); a private member would be a leak, not a key.
    const Json* x5c = find_member(a[i].get<JsonObject>(), "x5c");
    bool by_certificate = x5c != nullptr && x5c->is<JsonArray>() && !x5c->get<JsonArray>().empty();
    std::string reason;
    if (!by_certificate && !PublicJwk::parse(a[i].get<JsonObject>(), &reason)) {
      return "keys[" + std::to_string(i) + "]: " + reason;
    }
    for (const char* secret : {"d", "p", "q", "dp", "dq", "qi", "k"}) {
      if (find_member(a[i].get<JsonObject>(), secret)) {
        return "keys[" + std::to_string(i) + "]: holds the private member \"" + std::string(secret) +
               "\": register the public key only";
      }
    }
  }
  return std::nullopt;
}

JsonArray ClientKeys::keys_of(const Client& client, bool refresh) {
  if (client.jwks) {
    const Json* keys = find_member(client.jwks->get<JsonObject>(), "keys");
    return keys != nullptr && keys->is<JsonArray>() ? keys->get<JsonArray>() : JsonArray{};
  }
  if (!client.jwks_uri) return {};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = kept_.find(*client.jwks_uri);
    if (it != kept_.end()) {
      auto age = SteadyClock::now() - it->second.fetched;
      if (age < kMaxAge && (!refresh || age < kRefetchInterval)) return it->second.keys;
    }
  }
  // Fetched outside the lock: a slow server delays only the clients that use it.
  JsonArray keys = fetch(client);
  std::lock_guard<std::mutex> lock(mutex_);
  if (kept_.size() >= kMaxCachedKeySets && !kept_.count(*client.jwks_uri)) {
    auto oldest = kept_.begin();
    for (auto it = kept_.begin(); it != kept_.end(); ++it)
      if (it->second.order < oldest->second.order) oldest = it;
    kept_.erase(oldest);
  }
  kept_[*client.jwks_uri] = Kept{keys, SteadyClock::now(), next_order_++};
  return keys;
}

JsonArray ClientKeys::fetch(const Client& client) {
  const std::string& uri = *client.jwks_uri;
  std::string where = "jwks_uri of client " + client.id + " (" + uri + ")";
  if (fetcher_ == nullptr) throw oauth::invalid_client(where + " cannot be fetched: this server reaches no other server");
  FetchResponse res;
  try {
    FetchRequest req;
    req.url = uri;
    req.headers.emplace_back("Accept", "application/jwk-set+json, application/json");
    res = fetcher_->fetch(req);
  } catch (const FetchError& e) {
    throw oauth::invalid_client(where + " could not be fetched: " + fetch_failure_name(e.failure()));
  }
  if (res.status != 200) throw oauth::invalid_client(where + " answered HTTP " + std::to_string(res.status));
  std::string error;
  auto set = parse_json(res.body, &error);
  if (!set) throw oauth::invalid_client(where + " is not JSON: " + error);
  if (auto problem = jwk_set_problem(*set)) throw oauth::invalid_client(where + ": " + *problem);
  return find_member(set->get<JsonObject>(), "keys")->get<JsonArray>();
}

void ClientKeys::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  kept_.clear();
}

} // namespace authemu
