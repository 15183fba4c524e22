// The server's signing keys: one value per key and algorithm (RS256, PS256, ES256, HS256), which key
// signs new tokens, which keys are still within their rotation grace, and the published JWKS.
// Holds keys only; claim rules live in TokenVerifier.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "jose/crypto.h"

namespace authemu {

enum class Algorithm { RS256, PS256, ES256, HS256 };
const char* algorithm_name(Algorithm a); // "RS256" …
std::optional<Algorithm> find_algorithm(std::string_view name);

// One signing key of one algorithm: sign / verify / public JWK. Cheap to copy (shared internals).
// Constructors throw CryptoError on a key that does not fit the algorithm.
class SigningKey {
public:
  static SigningKey generate(Algorithm alg); // RSA-2048 / P-256 / 32 random bytes
  // RS256/PS256: RSA; ES256: P-256.
  static SigningKey from_pem(Algorithm alg, std::string_view pem);
  // fixtures/<file> as compiled into the binary (base/embedded.h): an RSA key of alg (RS256 or PS256)
  // whose private half is published with the source. The one way to a Secrecy::published key
  // (crypto.h): it takes a file name, never key text. Throws CryptoError when there is no such file,
  // it is no such key, or alg is not RS256 or PS256.
  static SigningKey embedded_test_key(std::string_view file, Algorithm alg);
  // kty RSA (n, e, d, p, q), EC (crv P-256, d, x, y) or oct (k); alg from the JWK's "alg" when not given.
  static SigningKey from_jwk(std::string_view jwk_json, std::optional<Algorithm> alg);
  static SigningKey from_secret(std::string secret); // HS256, secret >= 32 bytes (RFC 7518 §3.2)
  // A key given as text (--signing-key, a fixture's signingKey, the admin API's key): a JWK when
  // is_jwk_text (from_jwk with alg), else PEM of alg, or of pem_default when alg is not given.
  static SigningKey from_text(std::string_view text, std::optional<Algorithm> alg, Algorithm pem_default);
  // '{' after leading whitespace.
  static bool is_jwk_text(std::string_view text);

  // RFC 7638 thumbprint: stable for a key, different between keys (for HS256, of the oct JWK).
  const std::string& kid() const;
  Algorithm alg() const;
  std::string sign(std::string_view signing_input) const;
  bool verify(std::string_view signing_input, std::string_view signature) const;
  // Makes what slot i's first signature would make once (RS256: RsaKey::prepare_slot); false when
  // there is nothing (more) to prepare.
  bool prepare_slot(size_t i) const;
  void prepare() const; // every slot
  // How many slots hold what prepare_slot makes, now (for tests: whether a preparation ran).
  size_t prepared_slots() const;
  std::optional<JsonObject> public_jwk() const; // none for HS256: a shared secret is never published

private:
  struct Impl;
  explicit SigningKey(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// The embedded TEST keys (fixtures/*.pem) and their kids, written down so that telling one of them
// needs no key loaded; tests/key_store_test.cpp checks this table against fixtures/.
struct EmbeddedTestKey {
  std::string_view file;
  std::string_view kid;
};
inline constexpr EmbeddedTestKey kEmbeddedTestKeys[] = {
    {"test-signing-key.pem", "fdJ3XyPYxMNfKuRqioXfGZtdEfsJVvLaIyIQjn-Yos4"},
    {"test-signing-key-sandbox.pem", "X3v-z07E6VZJIbVdHn1WZteNDmaxnVt-Jveh3u6KTbw"},
    {"test-signing-key-platform.pem", "LwNM-pdbowgwsZz96zQRG9Z9NMNyFn9tcef8TK_mmwo"},
};
// Whether key is one of them (an RS256 or PS256 key with one of their kids), however it was loaded.
bool is_embedded_test_key(const SigningKey& key);

// A compact JWS of header and claims signed by key (header used exactly as given).
std::string sign_jws(const SigningKey& key, const JsonObject& header, const JsonObject& claims);

struct KeyInfo {
  std::string kid;
  Algorithm alg;
  bool active;
  std::optional<int64_t> retires_at; // Unix seconds; none for the active key
};

// Most keys a store holds, the active one and those within their grace period: a JWKS of 16
// RSA-2048 keys is about 7 KB, more than any key-rollover test needs, small enough for every client.
constexpr size_t kMaxKeys = 16;

// Thread-safe. Readers take a snapshot under a short lock and sign or verify outside it.
class KeyStore {
public:
  KeyStore(SigningKey initial, const Clock& clock, int64_t rotation_grace_seconds);

  SigningKey active() const;
  // The active key or one still within its grace; retired keys are gone.
  std::optional<SigningKey> find(std::string_view kid) const;
  // Signs claims with the active key; header {"alg":<its algorithm>,"kid":…,"typ":<typ>}.
  std::string sign(const JsonObject& claims, const std::string& typ) const;
  // RFC 7517 §5 JWK Set: public members of the active key and those within grace (none for HS256).
  std::string jwks_json() const;

  // What rotate did; only rotated changes the store.
  enum class RotateOutcome {
    rotated,
    kid_taken,      // next's kid is already in the store (active or within its grace)
    full,           // the store would hold more than kMaxKeys (grace 0 always fits)
    negative_grace, // grace_seconds < 0
  };
  struct Rotation {
    RotateOutcome outcome;
    KeyInfo key;                            // the key offered: the active key once rotated
    std::optional<int64_t> next_retirement; // full: when the first key within its grace leaves
  };
  // Makes next (or a new key of the active key's algorithm) the active key. The previous one stays
  // findable and in the JWKS for grace_seconds (default: the configured grace; 0: removed at once),
  // then leaves.
  Rotation rotate(std::optional<SigningKey> next, std::optional<int64_t> grace_seconds);
  void reset(); // back to the initial key alone
  std::vector<KeyInfo> list() const;
  int64_t rotation_grace() const { return grace_; }

private:
  struct Entry {
    SigningKey key;
    std::optional<int64_t> retires_at;
  };
  struct State {
    std::vector<Entry> keys; // the active key first
    std::string jwks;
    std::optional<int64_t> next_expiry; // the earliest retires_at
  };
  static std::shared_ptr<const State> make_state(std::vector<Entry> keys);
  // The current state, with keys whose grace ended by now removed.
  std::shared_ptr<const State> current() const;

  SigningKey initial_;
  const Clock& clock_;
  int64_t grace_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const State> state_;
};

} // namespace authemu
