#include "jose/key_store.h"

#include "base/base64.h"
#include "base/embedded.h"
#include "jose/jwt.h"

namespace authemu {

namespace {

constexpr size_t kMinSecretBytes = 32; // RFC 7518 §3.2: a key at least as long as the hash

struct AlgorithmName {
  Algorithm alg;
  const char* name;
};
constexpr AlgorithmName kAlgorithms[] = {
    {Algorithm::RS256, "RS256"}, {Algorithm::PS256, "PS256"}, {Algorithm::ES256, "ES256"}, {Algorithm::HS256, "HS256"}};

std::string b64(const std::string& bytes) {
  return base64url_encode(bytes);
}

// RFC 7638 §3.2: the required members only, in lexicographic order, without whitespace (dump_json
// writes members sorted and compact).
std::string thumbprint(const JsonObject& required) {
  return base64url_encode(sha256(dump_json(Json(required))));
}

JsonObject members(std::initializer_list<std::pair<const char*, std::string>> items) {
  JsonObject o;
  for (const auto& [k, v] : items)
    o[k] = json_string(v);
  return o;
}

// A JWK member holding base64url bytes (RFC 7518 §6); required ones throw when missing.
std::optional<std::string> jwk_bytes(const JsonObject& jwk, const char* name, bool required) {
  auto text = find_string(jwk, name);
  if (!text) {
    if (required) throw CryptoError(std::string("JWK has no ") + name);
    return std::nullopt;
  }
  auto bytes = base64url_decode(*text);
  if (!bytes) throw CryptoError(std::string("JWK ") + name + " is not base64url");
  return bytes;
}

} // namespace

const char* algorithm_name(Algorithm a) {
  for (const auto& n : kAlgorithms) {
    if (n.alg == a) return n.name;
  }
  return "?";
}

std::optional<Algorithm> find_algorithm(std::string_view name) {
  for (const auto& n : kAlgorithms) {
    if (name == n.name) return n.alg;
  }
  return std::nullopt;
}

struct SigningKey::Impl {
  Algorithm alg;
  std::string kid;
  std::optional<RsaKey> rsa;
  std::optional<EcKey> ec;
  std::string secret;

  static std::shared_ptr<const Impl> of_rsa(Algorithm alg, RsaKey key) {
    auto impl = std::make_shared<Impl>();
    impl->alg = alg;
    impl->kid = thumbprint(members({{"e", b64(key.exponent())}, {"kty", "RSA"}, {"n", b64(key.modulus())}}));
    impl->rsa.emplace(std::move(key));
    return impl;
  }
  static std::shared_ptr<const Impl> of_ec(EcKey key) {
    auto impl = std::make_shared<Impl>();
    impl->alg = Algorithm::ES256;
    impl->kid = thumbprint(members({{"crv", "P-256"}, {"kty", "EC"}, {"x", b64(key.x())}, {"y", b64(key.y())}}));
    impl->ec.emplace(std::move(key));
    return impl;
  }
};

SigningKey::SigningKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

SigningKey SigningKey::generate(Algorithm alg) {
  switch (alg) {
  case Algorithm::RS256:
  case Algorithm::PS256:
    return SigningKey(Impl::of_rsa(alg, RsaKey::generate(2048)));
  case Algorithm::ES256:
    return SigningKey(Impl::of_ec(EcKey::generate()));
  case Algorithm::HS256:
    break;
  }
  return from_secret(random_bytes(kMinSecretBytes));
}

SigningKey SigningKey::from_pem(Algorithm alg, std::string_view pem) {
  switch (alg) {
  case Algorithm::RS256:
  case Algorithm::PS256:
    return SigningKey(Impl::of_rsa(alg, RsaKey::from_pem(pem)));
  case Algorithm::ES256:
    return SigningKey(Impl::of_ec(EcKey::from_pem(pem)));
  case Algorithm::HS256:
    break;
  }
  throw CryptoError("HS256 takes a shared secret, not a PEM key");
}

SigningKey SigningKey::embedded_test_key(std::string_view file, Algorithm alg) {
  if (alg != Algorithm::RS256 && alg != Algorithm::PS256)
    throw CryptoError(std::string("the embedded TEST keys are RSA keys, not for ") + algorithm_name(alg));
  auto text = embedded_file(file);
  if (!text) throw CryptoError("no embedded file " + std::string(file));
  return SigningKey(Impl::of_rsa(alg, RsaKey::from_pem(*text, Secrecy::published)));
}

bool is_embedded_test_key(const SigningKey& key) {
  if (key.alg() != Algorithm::RS256 && key.alg() != Algorithm::PS256) return false;
  for (const auto& known : kEmbeddedTestKeys) {
    if (known.kid == key.kid()) return true;
  }
  return false;
}

SigningKey SigningKey::from_jwk(std::string_view jwk_json, std::optional<Algorithm> alg) {
  std::string error;
  auto value = parse_json(jwk_json, &error);
  if (!value || !value->is<JsonObject>()) throw CryptoError("not a JWK: a JSON object is expected");
  const JsonObject& jwk = value->get<JsonObject>();
  std::string kty = find_string(jwk, "kty").value_or("");
  if (auto named = find_string(jwk, "alg")) {
    auto a = find_algorithm(*named);
    if (!a) throw CryptoError("JWK alg " + *named + " is not RS256, PS256, ES256 or HS256");
    if (alg && *alg != *a)
      throw CryptoError(std::string("JWK alg ") + *named + " but " + algorithm_name(*alg) + " is configured");
    alg = a;
  }
  if (kty == "RSA") {
    Algorithm a = alg.value_or(Algorithm::RS256);
    if (a != Algorithm::RS256 && a != Algorithm::PS256) {
      throw CryptoError(std::string("JWK kty RSA does not fit ") + algorithm_name(a));
    }
    auto n = jwk_bytes(jwk, "n", true), e = jwk_bytes(jwk, "e", true), d = jwk_bytes(jwk, "d", true);
    // p and q are optional: mbedTLS derives them from n, e and d.
    auto p = jwk_bytes(jwk, "p", false).value_or(""), q = jwk_bytes(jwk, "q", false).value_or("");
    return SigningKey(Impl::of_rsa(a, RsaKey::from_components(*n, *e, *d, p, q)));
  }
  if (kty == "EC") {
    if (alg && *alg != Algorithm::ES256)
      throw CryptoError(std::string("JWK kty EC does not fit ") + algorithm_name(*alg));
    if (find_string(jwk, "crv").value_or("") != "P-256") throw CryptoError("JWK crv is not P-256; ES256 needs P-256");
    auto d = jwk_bytes(jwk, "d", true), x = jwk_bytes(jwk, "x", true), y = jwk_bytes(jwk, "y", true);
    return SigningKey(Impl::of_ec(EcKey::from_components(*d, *x, *y)));
  }
  if (kty == "oct") {
    if (alg && *alg != Algorithm::HS256)
      throw CryptoError(std::string("JWK kty oct does not fit ") + algorithm_name(*alg));
    return from_secret(*jwk_bytes(jwk, "k", true));
  }
  throw CryptoError("JWK kty '" + kty + "' is not RSA, EC or oct");
}

bool SigningKey::is_jwk_text(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{';
}

SigningKey SigningKey::from_text(std::string_view text, std::optional<Algorithm> alg, Algorithm pem_default) {
  size_t first = text.find_first_not_of(" \t\r\n");
  text.remove_prefix(first == std::string_view::npos ? text.size() : first);
  if (is_jwk_text(text)) return from_jwk(text, alg);
  return from_pem(alg.value_or(pem_default), text);
}

SigningKey SigningKey::from_secret(std::string secret) {
  if (secret.size() < kMinSecretBytes) {
    // RFC 7518 §3.2: an HS256 key must be at least 256 bits.
    throw CryptoError("HS256 secret of " + std::to_string(secret.size()) + " bytes; HS256 needs at least 32");
  }
  auto impl = std::make_shared<Impl>();
  impl->alg = Algorithm::HS256;
  impl->kid = thumbprint(members({{"k", b64(secret)}, {"kty", "oct"}}));
  impl->secret = std::move(secret);
  return SigningKey(std::move(impl));
}

const std::string& SigningKey::kid() const {
  return impl_->kid;
}
Algorithm SigningKey::alg() const {
  return impl_->alg;
}

std::string SigningKey::sign(std::string_view input) const {
  switch (impl_->alg) {
  case Algorithm::RS256:
    return impl_->rsa->sign_rs256(input);
  case Algorithm::PS256:
    return impl_->rsa->sign_ps256(input);
  case Algorithm::ES256:
    return impl_->ec->sign_es256(input);
  case Algorithm::HS256:
    break;
  }
  return hmac_sha256(impl_->secret, input);
}

bool SigningKey::prepare_slot(size_t i) const {
  if (impl_->alg == Algorithm::RS256) return impl_->rsa->prepare_slot(i);
  return impl_->alg == Algorithm::ES256 && impl_->ec->prepare_slot(i);
}

size_t SigningKey::prepared_slots() const {
  if (impl_->alg == Algorithm::RS256) return impl_->rsa->prepared_slots();
  return impl_->alg == Algorithm::ES256 ? impl_->ec->prepared_slots() : 0;
}

void SigningKey::prepare() const {
  for (size_t i = 0; prepare_slot(i); ++i) {
  }
}

bool SigningKey::verify(std::string_view input, std::string_view signature) const {
  switch (impl_->alg) {
  case Algorithm::RS256:
    return impl_->rsa->verify_rs256(input, signature);
  case Algorithm::PS256:
    return impl_->rsa->verify_ps256(input, signature);
  case Algorithm::ES256:
    return impl_->ec->verify_es256(input, signature);
  case Algorithm::HS256:
    break;
  }
  return constant_time_equal(hmac_sha256(impl_->secret, input), signature);
}

std::optional<JsonObject> SigningKey::public_jwk() const {
  JsonObject jwk;
  if (impl_->rsa) {
    // RFC 7518 §6.3.1: n and e as Base64urlUInt (minimal octets, which RsaKey already gives).
    jwk = members({{"kty", "RSA"}, {"n", b64(impl_->rsa->modulus())}, {"e", b64(impl_->rsa->exponent())}});
  } else if (impl_->ec) {
    // RFC 7518 §6.2.1: x and y are the full 32 bytes of P-256 coordinates.
    jwk = members({{"kty", "EC"}, {"crv", "P-256"}, {"x", b64(impl_->ec->x())}, {"y", b64(impl_->ec->y())}});
  } else {
    return std::nullopt;
  }
  jwk["use"] = json_string("sig");
  jwk["alg"] = json_string(algorithm_name(impl_->alg));
  jwk["kid"] = json_string(impl_->kid);
  return jwk;
}

std::string sign_jws(const SigningKey& key, const JsonObject& header, const JsonObject& claims) {
  std::string input = jws_signing_input(header, claims);
  return input + "." + base64url_encode(key.sign(input));
}

KeyStore::KeyStore(SigningKey initial, const Clock& clock, int64_t rotation_grace_seconds)
    : initial_(std::move(initial)), clock_(clock), grace_(rotation_grace_seconds) {
  state_ = make_state({Entry{initial_, std::nullopt}});
}

std::shared_ptr<const KeyStore::State> KeyStore::make_state(std::vector<Entry> keys) {
  auto state = std::make_shared<State>();
  JsonArray published;
  for (const auto& e : keys) {
    if (auto jwk = e.key.public_jwk()) published.emplace_back(std::move(*jwk));
    if (e.retires_at && (!state->next_expiry || *e.retires_at < *state->next_expiry)) state->next_expiry = e.retires_at;
  }
  JsonObject set;
  set["keys"] = Json(std::move(published));
  state->jwks = dump_json(Json(set));
  state->keys = std::move(keys);
  return state;
}

std::shared_ptr<const KeyStore::State> KeyStore::current() const {
  int64_t now = clock_.now();
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_->next_expiry && now >= *state_->next_expiry) {
    std::vector<Entry> live;
    for (const auto& e : state_->keys) {
      if (!e.retires_at || now < *e.retires_at) live.push_back(e); // gone at retires_at, as exp
    }
    state_ = make_state(std::move(live));
  }
  return state_;
}

SigningKey KeyStore::active() const {
  return current()->keys.front().key;
}

std::optional<SigningKey> KeyStore::find(std::string_view kid) const {
  auto state = current();
  for (const auto& e : state->keys) {
    if (e.key.kid() == kid) return e.key;
  }
  return std::nullopt;
}

std::string KeyStore::sign(const JsonObject& claims, const std::string& typ) const {
  SigningKey k = active();
  JsonObject header;
  header["alg"] = json_string(algorithm_name(k.alg()));
  header["kid"] = json_string(k.kid());
  header["typ"] = json_string(typ);
  return sign_jws(k, header, claims);
}

std::string KeyStore::jwks_json() const {
  return current()->jwks;
}

KeyStore::Rotation KeyStore::rotate(std::optional<SigningKey> next, std::optional<int64_t> grace_seconds) {
  int64_t grace = grace_seconds.value_or(grace_);
  if (grace < 0) return Rotation{RotateOutcome::negative_grace, {}, std::nullopt};
  SigningKey key = next ? *next : SigningKey::generate(active().alg()); // generated outside the lock
  current();                                                            // drops the keys whose grace has ended
  int64_t now = clock_.now();
  KeyInfo info{key.kid(), key.alg(), false, std::nullopt};
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& e : state_->keys) {
    if (e.key.kid() == key.kid()) return Rotation{RotateOutcome::kid_taken, info, std::nullopt};
  }
  if (grace > 0 && state_->keys.size() + 1 > kMaxKeys) {
    return Rotation{RotateOutcome::full, info, state_->next_expiry};
  }
  std::vector<Entry> keys{Entry{key, std::nullopt}};
  // The previous active key verifies for grace seconds more; earlier ones keep their own end.
  if (grace > 0) keys.push_back(Entry{state_->keys.front().key, now + grace});
  for (size_t i = 1; i < state_->keys.size(); ++i)
    keys.push_back(state_->keys[i]);
  state_ = make_state(std::move(keys));
  info.active = true;
  return Rotation{RotateOutcome::rotated, info, std::nullopt};
}

void KeyStore::reset() {
  auto state = make_state({Entry{initial_, std::nullopt}});
  std::lock_guard<std::mutex> lock(mutex_);
  state_ = std::move(state);
}

std::vector<KeyInfo> KeyStore::list() const {
  auto state = current();
  std::vector<KeyInfo> out;
  for (const auto& e : state->keys)
    out.push_back(KeyInfo{e.key.kid(), e.key.alg(), !e.retires_at, e.retires_at});
  return out;
}

} // namespace authemu
