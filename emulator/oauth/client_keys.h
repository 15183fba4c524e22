// The public keys of clients (RFC 7591 §2 jwks and jwks_uri), for the client authentication
// methods that check a key (self_signed_tls_client_auth): an inline set as registered, a jwks_uri
// set fetched through the environment's fetcher and kept, fetched again at most once per 10 s when
// it lacks a key. Fetch failures are OAuthError invalid_client naming the reason. Thread-safe.
#pragma once
#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "base/fetcher.h"
#include "base/json.h"
#include "store/client_store.h"

namespace authemu {

// Keys of one set that are read (RFC 7517 §5: "keys", an array of objects); more are refused.
constexpr size_t kMaxClientKeys = 100;
// jwks_uri sets kept at once; the oldest goes first.
constexpr size_t kMaxCachedKeySets = 1000;

// Why an inline or fetched set is not a JWK set; nothing when it is (RFC 7517 §5).
std::optional<std::string> jwk_set_problem(const Json& set);

class ClientKeys {
public:
  using SteadyClock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kRefetchInterval{10};
  static constexpr std::chrono::seconds kMaxAge{300}; // a kept set older than this is fetched again

  // fetcher: nullptr leaves every jwks_uri unreachable (tests, environments that reach no server).
  explicit ClientKeys(Fetcher* fetcher) : fetcher_(fetcher) {}

  // The client's keys: its jwks, or its jwks_uri's set (kept, or fetched when not kept or older
  // than kMaxAge; refresh: fetched again unless fetched within kRefetchInterval). Empty for a client
  // with neither. Throws OAuthError invalid_client when the set cannot be fetched or read.
  JsonArray keys_of(const Client& client, bool refresh = false);
  // Forgets every kept set (the environment's reset).
  void clear();

private:
  struct Kept {
    JsonArray keys;
    SteadyClock::time_point fetched;
    uint64_t order = 0;
  };
  JsonArray fetch(const Client& client);

  Fetcher* fetcher_;
  std::mutex mutex_;
  std::map<std::string, Kept> kept_; // by jwks_uri
  uint64_t next_order_ = 0;
};

} // namespace authemu
