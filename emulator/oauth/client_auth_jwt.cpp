// private_key_jwt and client_secret_jwt (RFC 7523 §2.2 and §3, OIDC Core §9): the client signs a
// JWT whose iss and sub are its client_id, aud this server, with a short exp and a single-use jti;
// private_key_jwt with a key of its registered jwks or jwks_uri (RS, PS, ES), client_secret_jwt
// with an HMAC keyed by its secret (HS), kept in clear only for clients registered for it. Every
// failure is invalid_client (RFC 7523 §3.2) with the reason in the description.
#include "base/clock.h"
#include "jose/crypto.h"
#include "oauth/client_auth.h"
#include "oauth/client_jwt.h"
#include "oauth/oauth_error.h"
#include "oauth/replay_cache.h"

namespace authemu {

const char kJwtBearerAssertionType[] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

namespace {

constexpr int64_t kMaxAssertionLifetime = 300; // exp at most 5 minutes ahead

OAuthError refused(const std::string& description, const char* reason) {
  return oauth::invalid_client(description).with_reason(reason);
}

bool assertion_presented(const ClientCredentials& c) {
  return c.params.get("client_assertion") || c.params.get("client_assertion_type");
}

// The alg of the presented assertion's header, or "" when it cannot be read.
std::string presented_alg(const ClientCredentials& c) {
  auto assertion = c.params.get("client_assertion");
  if (!assertion) return "";
  std::string ignored;
  auto jwt = decode_jwt(*assertion, &ignored);
  return jwt ? find_string(jwt->header, "alg").value_or("") : "";
}

bool is_hmac_alg(const std::string& alg) {
  const JwsAlgorithm* a = find_jws_algorithm(alg);
  return a != nullptr && a->family == JwsFamily::hmac;
}

bool presented_private_key(const ClientCredentials& c) {
  return assertion_presented(c) && !is_hmac_alg(presented_alg(c));
}

bool presented_secret_jwt(const ClientCredentials& c) {
  return assertion_presented(c) && is_hmac_alg(presented_alg(c));
}

std::optional<std::string> exp_rule(const JsonObject& claims, int64_t now, const void*) {
  auto exp = find_int(claims, "exp");
  if (now > *exp + kClientJwtSkew) return "client_assertion expired at " + format_utc(*exp);
  if (*exp > now + kMaxAssertionLifetime + kClientJwtSkew) {
    return "client_assertion exp " + format_utc(*exp) + " is more than " + std::to_string(kMaxAssertionLifetime) +
           " seconds ahead (sign assertions that expire within " + std::to_string(kMaxAssertionLifetime / 60) + " minutes)";
  }
  if (auto nbf = find_int(claims, "nbf"); nbf && *nbf > now + kClientJwtSkew) {
    return "client_assertion is not valid before " + format_utc(*nbf) + " (nbf)";
  }
  if (auto iat = find_int(claims, "iat"); iat && *iat > now + kClientJwtSkew) {
    return "client_assertion was issued in the future: iat " + format_utc(*iat);
  }
  return std::nullopt;
}

bool aud_accepted(const Json& aud, const std::vector<std::string>& accepted) {
  auto ok = [&accepted](const Json& v) {
    if (!v.is<std::string>()) return false;
    std::string s = v.get<std::string>();
    while (s.size() > 1 && s.back() == '/') s.pop_back(); // "https://issuer/" names the issuer too
    for (const auto& a : accepted)
      if (a == s) return true;
    return false;
  };
  if (aud.is<JsonArray>()) {
    for (const Json& v : aud.get<JsonArray>())
      if (ok(v)) return true;
    return false;
  }
  return ok(aud);
}

// The registered keys that may have signed jwt: the one its kid names, else every key that fits alg.
std::vector<PublicJwk> candidate_keys(const JsonArray& keys, const DecodedJwt& jwt, const JwsAlgorithm& alg,
                                      bool* kid_found) {
  auto kid = find_string(jwt.header, "kid");
  std::vector<PublicJwk> out;
  *kid_found = !kid;
  for (const Json& k : keys) {
    if (!k.is<JsonObject>()) continue;
    const JsonObject& jwk = k.get<JsonObject>();
    if (kid && find_string(jwk, "kid") != kid) continue;
    // RFC 7517 §4.2/4.3: a key meant for encryption only is not a signing key.
    if (auto use = find_string(jwk, "use"); use && *use != "sig") continue;
    std::string ignored;
    auto key = PublicJwk::parse(jwk, &ignored);
    if (!key) continue;
    if (kid) *kid_found = true;
    if (key->fits(alg)) out.push_back(*key);
  }
  return out;
}

AuthenticatedClient authenticate_assertion(const ClientStore& clients, const ClientCredentials& c, bool hmac) {
  const char* method = hmac ? "client_secret_jwt" : "private_key_jwt";
  auto type = c.params.get("client_assertion_type");
  // RFC 7523 §2.2: the one assertion type of JWT client authentication.
  if (!type) throw refused("client_assertion_type missing (expected " + std::string(kJwtBearerAssertionType) + ")", "assertion_type");
  if (*type != kJwtBearerAssertionType) {
    throw refused("client_assertion_type " + *type + " is not supported (expected " +
                      std::string(kJwtBearerAssertionType) + ")",
                  "assertion_type");
  }
  auto assertion = c.params.get("client_assertion");
  if (!assertion) throw refused("client_assertion missing", "assertion_missing");
  std::string why;
  auto jwt = decode_client_jwt(*assertion, "client_assertion", &why);
  if (!jwt) throw refused(why, "assertion_malformed");
  const JwsAlgorithm* alg = client_jwt_algorithm(*jwt, "client_assertion", &why);
  if (alg == nullptr) {
    auto name = find_string(jwt->header, "alg");
    throw refused(why, name == std::optional<std::string>("none") ? "assertion_alg_none" : "assertion_alg");
  }
  // RFC 7523 §3 items 1, 2: iss and sub are the client_id.
  auto iss = find_string(jwt->claims, "iss");
  auto sub = find_string(jwt->claims, "sub");
  if (!sub || sub->empty()) throw refused("client_assertion has no sub (the client_id)", "assertion_sub");
  if (!iss || *iss != *sub) throw refused("client_assertion iss must equal its sub (the client_id " + *sub + ")", "assertion_iss");
  if (c.client_id && *c.client_id != *sub) {
    throw refused("client_id " + *c.client_id + " is not the client_assertion's sub " + *sub, "assertion_sub");
  }
  ClientStore::Ptr client = clients.find(*sub);
  if (!client) throw refused("unknown client " + *sub, "unknown_client");
  const auto& registered = client->token_endpoint_auth_method;
  if (hmac && registered == std::optional<std::string>("private_key_jwt")) {
    throw refused("client " + client->id + " authenticates with private_key_jwt: its assertions are signed with a "
                      "private key (RS, PS or ES algorithms), not with " + std::string(alg->name),
                  "assertion_alg");
  }
  if (!hmac && registered == std::optional<std::string>("client_secret_jwt")) {
    throw refused("client " + client->id + " authenticates with client_secret_jwt: its assertions are signed with "
                      "HS256, HS384 or HS512, not " + std::string(alg->name),
                  "assertion_alg");
  }
  if (client->token_endpoint_auth_signing_alg && *client->token_endpoint_auth_signing_alg != alg->name) {
    throw refused("client " + client->id + " signs its assertions with " + *client->token_endpoint_auth_signing_alg +
                      " (tokenEndpointAuthSigningAlg), not " + std::string(alg->name),
                  "assertion_alg");
  }
  // RFC 7523 §3 item 3: aud identifies this server.
  const Json* aud = find_member(jwt->claims, "aud");
  if (aud == nullptr) throw refused("client_assertion has no aud", "assertion_aud");
  if (!aud_accepted(*aud, c.audiences)) {
    std::string accepted;
    for (const auto& a : c.audiences) accepted += (accepted.empty() ? "" : ", ") + a;
    throw refused("client_assertion aud " + dump_json(*aud) + " is not this server (expected one of: " + accepted + ")",
                  "assertion_aud");
  }
  // RFC 7523 §3 item 4: exp required.
  if (!find_int(jwt->claims, "exp")) throw refused("client_assertion has no exp (a number)", "assertion_exp");
  if (auto late = check_time_on_either(SignedTimeClocks{c.clock, c.real_clock}, jwt->claims, exp_rule)) {
    throw refused(*late, "assertion_time");
  }
  auto jti = find_string(jwt->claims, "jti");
  // OIDC Core §9: jti required, so that the assertion is used once.
  if (!jti || jti->empty()) throw refused("client_assertion has no jti", "assertion_jti");
  if (jti->size() > 256) throw refused("client_assertion jti longer than 256 characters", "assertion_jti");

  // The signature, by the client's key or secret.
  bool verified = false;
  if (hmac) {
    if (registered != std::optional<std::string>("client_secret_jwt")) {
      throw refused("client " + client->id + " is not registered for client_secret_jwt (tokenEndpointAuthMethod), so "
                    "its secret is kept hashed and cannot check an HMAC",
                    "method_not_registered");
    }
    for (const ClientSecret& s : client->secrets) {
      if (s.clear.empty()) continue;
      std::string mac = hmac_sha(alg->hash_bits, s.clear, jwt->signing_input);
      if (constant_time_equal(mac, jwt->signature)) verified = true;
    }
    if (!verified) throw refused("client_assertion signature does not verify with client " + client->id + "'s secret", "bad_signature");
  } else {
    if (!client->jwks && !client->jwks_uri) {
      throw refused("client " + client->id + " has no jwks or jwksUri to check its client_assertion with", "no_keys");
    }
    bool kid_found = false;
    std::vector<PublicJwk> keys;
    ClientKeys inline_only(nullptr); // without the environment's keys: a client's inline jwks only
    if (client->jwks || c.keys != nullptr) {
      keys = candidate_keys((c.keys ? *c.keys : inline_only).keys_of(*client), *jwt, *alg, &kid_found);
      // RFC 7523 §3: a kid the kept set lacks may be a key the client added since (fetched again at
      // most once per 10 s).
      if (!kid_found && client->jwks_uri && c.keys != nullptr) {
        keys = candidate_keys(c.keys->keys_of(*client, true), *jwt, *alg, &kid_found);
      }
    }
    if (!kid_found) {
      throw refused("client_assertion kid " + find_string(jwt->header, "kid").value_or("") + " is not among client " +
                        client->id + "'s keys",
                    "unknown_kid");
    }
    if (keys.empty()) {
      throw refused("client " + client->id + " has no " + std::string(alg->name) + " key (" +
                        (alg->family == JwsFamily::ecdsa ? "EC " + std::string(alg->curve) : std::string("RSA")) +
                        ") for its client_assertion",
                    "no_key_for_alg");
    }
    for (const PublicJwk& k : keys)
      if (k.verify(*alg, jwt->signing_input, jwt->signature)) verified = true;
    if (!verified) throw refused("client_assertion signature does not verify with client " + client->id + "'s keys", "bad_signature");
  }
  // RFC 7523 §3 item 7: single use within its lifetime.
  if (c.replays != nullptr) {
    int64_t lifetime = *find_int(jwt->claims, "exp") - latest_now(SignedTimeClocks{c.clock, c.real_clock}) +
                       kClientJwtSkew;
    switch (c.replays->use(client->id + '\n' + *jti, std::min<int64_t>(lifetime, kMaxAssertionLifetime + 2 * kClientJwtSkew))) {
    case ReplayCache::Outcome::fresh:
      break;
    case ReplayCache::Outcome::replayed:
      throw refused("assertion replayed: its jti was used before", "assertion_replayed");
    case ReplayCache::Outcome::full:
      throw refused("too many client assertions alive (" + std::to_string(c.replays->capacity()) +
                        " jti kept); retry once some have expired",
                    "replay_cache_full");
    }
  }
  AuthenticatedClient out{client, method};
  out.proven = true;
  return out;
}

AuthenticatedClient authenticate_private_key(const ClientStore& clients, const ClientCredentials& c) {
  return authenticate_assertion(clients, c, false);
}

AuthenticatedClient authenticate_secret_jwt(const ClientStore& clients, const ClientCredentials& c) {
  return authenticate_assertion(clients, c, true);
}

} // namespace

extern const ClientAuthMethod kPrivateKeyJwt = {"private_key_jwt", "client_assertion", true, true,
                                                presented_private_key, authenticate_private_key};
extern const ClientAuthMethod kClientSecretJwt = {"client_secret_jwt", "client_assertion", true, true,
                                                  presented_secret_jwt, authenticate_secret_jwt};

} // namespace authemu
