#include "testkit/mint_client_jwt.h"

#include <algorithm>

#include "base/base64.h"
#include "jose/crypto.h"
#include "jose/jwk.h"
#include "jose/jwt.h"
#include "oauth/client_auth.h"
#include "oauth/client_jwt.h"
#include "testkit/admin_error.h"
#include "testkit/mint.h"

namespace authemu {

namespace {

constexpr char kWrongHtu[] = "https://wrong-htu.authemu.invalid/resource";
constexpr char kWrongAudience[] = "https://wrong-audience.authemu.invalid";

void only_known(const JsonObject& body, std::initializer_list<const char*> known, const char* token) {
  for (const auto& [name, value] : body) {
    if (std::find_if(known.begin(), known.end(), [&name = name](const char* k) { return name == k; }) == known.end()) {
      throw admin_api::validation(name + ": unknown member with \"token\": \"" + token + "\"");
    }
  }
}

const JwsAlgorithm& algorithm(const std::string& name, const char* member) {
  const JwsAlgorithm* a = find_jws_algorithm(name);
  if (a == nullptr) {
    throw admin_api::validation(std::string(member) + ": " + name +
                                " is not supported (RS256..512, PS256..512, ES256..512, HS256..512; no EdDSA)");
  }
  return *a;
}

// The algorithm a key signs with by default: its "alg", else RS256 or the ES of its curve.
const JwsAlgorithm& default_alg(const JsonObject& jwk) {
  if (auto alg = find_string(jwk, "alg")) return algorithm(*alg, "key.alg");
  auto crv = find_string(jwk, "crv").value_or("");
  return *find_jws_algorithm(crv == "P-384" ? "ES384" : crv == "P-521" ? "ES512" : crv == "P-256" ? "ES256" : "RS256");
}

PrivateJwk private_key(const JsonObject& body) {
  const Json& v = body.at("key");
  if (!v.is<JsonObject>()) throw admin_api::validation("key: expected a private JWK (an object)");
  std::string reason;
  auto key = PrivateJwk::parse(v.get<JsonObject>(), &reason);
  if (!key) throw admin_api::validation("key: " + reason);
  return *key;
}


std::string unsigned_jwt(JsonObject header, const JsonObject& claims) {
  header["alg"] = json_string("none");
  return jws_signing_input(header, claims) + ".";
}

} // namespace

MintedDpopKey mint_dpop_key() {
  const JwsAlgorithm& es256 = *find_jws_algorithm("ES256");
  PrivateJwk key = PrivateJwk::generate(es256);
  return {key.public_key().thumbprint(), key.private_members(es256)};
}

MintedClientJwt mint_dpop_proof(const JsonObject& body, Environment& env, const std::string& issuer) {
  only_known(body, {"environment", "token", "case", "htm", "htu", "access_token", "nonce", "key", "alg"}, "dpop_proof");
  std::string c = body.count("case") ? mint_text(body, "case") : "valid";
  static const char* kCases[] = {"valid",       "wrong_htm",   "wrong_htu", "stale_iat",
                                 "future_iat",  "missing_ath", "wrong_ath", "wrong_typ",
                                 "alg_none",    "hs256",       "private_key_in_header",
                                 "bad_signature", "wrong_key", "replayed_jti", "wrong_nonce"};
  if (std::find(std::begin(kCases), std::end(kCases), c) == std::end(kCases)) {
    throw admin_api::validation("case: unknown case " + c +
                                " (valid, wrong_htm, wrong_htu, stale_iat, future_iat, missing_ath, wrong_ath, wrong_typ, "
                                "alg_none, hs256, private_key_in_header, bad_signature, wrong_key, replayed_jti, "
                                "wrong_nonce)");
  }
  std::optional<std::string> token;
  if (body.count("access_token")) token = mint_text(body, "access_token");
  if ((c == "missing_ath" || c == "wrong_ath") && !token) {
    throw admin_api::validation("case: " + c + " needs access_token (the token the proof comes with)");
  }
  MintedClientJwt out;
  std::optional<PrivateJwk> key;
  if (body.count("key")) {
    key = private_key(body);
  }
  const JwsAlgorithm& alg = body.count("alg") ? algorithm(mint_text(body, "alg"), "alg")
                            : key              ? default_alg(body.at("key").get<JsonObject>())
                                               : *find_jws_algorithm("ES256");
  if (alg.family == JwsFamily::hmac) throw admin_api::validation("alg: a DPoP proof is signed with an asymmetric algorithm");
  if (!key) {
    key = PrivateJwk::generate(alg);
    out.key = key->private_members(alg);
  }
  if (!key->fits(alg)) throw admin_api::validation("alg: " + std::string(alg.name) + " does not fit the key");
  // wrong_key: a proof valid in itself, by another key than the one its token is bound to.
  PrivateJwk signer = c == "wrong_key" ? PrivateJwk::generate(alg) : *key;

  const Clock& real = env.clock().base();
  int64_t env_now = env.clock().now(), real_now = real.now();
  std::string htm = body.count("htm") ? mint_text(body, "htm") : token ? "GET" : "POST";
  std::string htu = body.count("htu") ? mint_text(body, "htu") : issuer + "/oauth/token";
  JsonObject claims;
  claims["jti"] = json_string(uuid_v4());
  claims["htm"] = json_string(c == "wrong_htm" ? (htm == "GET" ? "POST" : "GET") : htm);
  claims["htu"] = json_string(c == "wrong_htu" ? kWrongHtu : htu);
  // RFC 9449 §11.1: made on real time; the stale and future cases are wrong on both clocks.
  int64_t iat = real_now;
  if (c == "stale_iat") iat = std::min(env_now, real_now) - 3600;
  if (c == "future_iat") iat = std::max(env_now, real_now) + 3600;
  claims["iat"] = json_int(iat);
  if (token && c != "missing_ath") {
    claims["ath"] = json_string(sha256_base64url(c == "wrong_ath" ? *token + "-another-token" : *token));
  }
  if (body.count("nonce")) {
    claims["nonce"] = json_string(mint_text(body, "nonce"));
  } else if (env.settings().dpop_nonce || c == "wrong_nonce") {
    claims["nonce"] = json_string(env.dpop().nonce());
  }
  if (c == "wrong_nonce") claims["nonce"] = json_string("wrong-nonce-" + base64url_encode(random_bytes(12)));

  JsonObject header;
  header["typ"] = json_string(c == "wrong_typ" ? "JWT" : "dpop+jwt");
  header["alg"] = json_string(std::string(alg.name));
  JsonObject jwk = signer.public_key().members();
  if (c == "private_key_in_header") jwk = signer.private_members(alg);
  header["jwk"] = Json(jwk);
  if (c == "alg_none") {
    out.jwt = unsigned_jwt(header, claims);
    header["alg"] = json_string("none");
  } else if (c == "hs256") {
    header["alg"] = json_string("HS256");
    out.jwt = sign_jws_with(*find_jws_algorithm("HS256"), nullptr, random_bytes(32), header, claims);
  } else {
    out.jwt = sign_jws_with(alg, &signer, "", header, claims);
    if (c == "bad_signature") out.jwt = tampered(out.jwt);
  }
  if (c == "replayed_jti") {
    // Seen once already: authemu's own resources refuse it; a resource server under test sees it twice.
    env.dpop().record(DpopProof{signer.public_key().thumbprint(), claims["jti"].get<std::string>(),
                                kDpopProofLifetime + 2 * kClientJwtSkew});
  }
  out.header = std::move(header);
  out.claims = std::move(claims);
  return out;
}

MintedClientJwt mint_client_assertion(const JsonObject& body, Environment& env, const std::string& issuer) {
  only_known(body, {"environment", "token", "case", "client_id", "aud", "key", "secret", "alg", "jti"},
             "client_assertion");
  std::string c = body.count("case") ? mint_text(body, "case") : "valid";
  static const char* kCases[] = {"valid", "expired", "wrong_aud", "wrong_iss", "replayed_jti", "alg_none", "bad_signature"};
  if (std::find(std::begin(kCases), std::end(kCases), c) == std::end(kCases)) {
    throw admin_api::validation("case: unknown case " + c +
                                " (valid, expired, wrong_aud, wrong_iss, replayed_jti, alg_none, bad_signature)");
  }
  std::string client_id = body.count("client_id") ? mint_text(body, "client_id") : "testing";
  if (body.count("key") && body.count("secret")) throw admin_api::validation("key: give key or secret, not both");
  std::optional<PrivateJwk> key;
  std::string secret;
  if (body.count("key")) {
    key = private_key(body);
  } else if (body.count("secret")) {
    secret = mint_text(body, "secret");
  } else if (auto client = env.clients().find(client_id)) {
    for (const ClientSecret& s : client->secrets)
      if (!s.clear.empty()) secret = s.clear; // a client_secret_jwt client's own secret
  }
  if (!key && secret.empty()) {
    throw admin_api::validation("key: give the client's private JWK (private_key_jwt) or its secret "
                                "(client_secret_jwt)");
  }
  const JwsAlgorithm& alg = body.count("alg") ? algorithm(mint_text(body, "alg"), "alg")
                            : key              ? default_alg(body.at("key").get<JsonObject>())
                                               : *find_jws_algorithm("HS256");
  if (key && !key->fits(alg)) throw admin_api::validation("alg: " + std::string(alg.name) + " does not fit the key");
  if (!key && alg.family != JwsFamily::hmac) throw admin_api::validation("alg: a secret signs HS256, HS384 or HS512");

  int64_t env_now = env.clock().now(), real_now = env.clock().base().now();
  JsonObject claims;
  claims["iss"] = json_string(c == "wrong_iss" ? "wrong-issuer-" + client_id : client_id);
  claims["sub"] = json_string(client_id);
  claims["aud"] = json_string(c == "wrong_aud" ? kWrongAudience : body.count("aud") ? mint_text(body, "aud") : issuer + "/oauth/token");
  claims["jti"] = json_string(body.count("jti") ? mint_text(body, "jti") : uuid_v4());
  // Made on real time, as a client would; expired is expired on both clocks.
  int64_t iat = c == "expired" ? std::min(env_now, real_now) - 900 : real_now;
  claims["iat"] = json_int(iat);
  claims["exp"] = json_int(iat + (c == "expired" ? 300 : 120));
  JsonObject header;
  header["alg"] = json_string(std::string(alg.name));
  header["typ"] = json_string("JWT");
  if (key) header["kid"] = json_string(find_string(body.at("key").get<JsonObject>(), "kid").value_or(key->public_key().thumbprint()));
  MintedClientJwt out;
  if (c == "alg_none") {
    out.jwt = unsigned_jwt(header, claims);
    header["alg"] = json_string("none");
  } else {
    out.jwt = sign_jws_with(alg, key ? &*key : nullptr, secret, header, claims);
    if (c == "bad_signature") out.jwt = tampered(out.jwt);
  }
  if (c == "replayed_jti") {
    env.assertion_replays().use(client_id + '\n' + claims["jti"].get<std::string>(), 300 + 2 * kClientJwtSkew);
  }
  out.header = std::move(header);
  out.claims = std::move(claims);
  return out;
}

} // namespace authemu
