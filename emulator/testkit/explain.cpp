#include "testkit/explain.h"

#include <algorithm>

#include "base/http_types.h"
#include "jose/jwt.h"
#include "oauth/id_token.h"
#include "oauth/token_verifier.h"

namespace authemu {

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

// "4 min", "2 h 5 min", "3 d": a length of time in people's words.
std::string span(int64_t s) {
  if (s < 60) return std::to_string(s) + " s";
  if (s < 3600) return std::to_string(s / 60) + " min";
  if (s < 86400) return std::to_string(s / 3600) + " h" + (s % 3600 >= 60 ? " " + std::to_string(s % 3600 / 60) + " min" : "");
  return std::to_string(s / 86400) + " d";
}

// How the environment's clock differs from real time, for messages ("by the frozen clock").
std::string clock_words(Environment& env) {
  AdjustableClock::State s = env.clock().state();
  if (s.frozen) return " by the frozen clock";
  if (s.offset != 0) {
    return " by the environment clock (" + span(s.offset < 0 ? -s.offset : s.offset) +
           (s.offset > 0 ? " ahead)" : " behind)");
  }
  return "";
}

struct Signer {
  Environment* env = nullptr;
  std::optional<SigningKey> key;
};

ExplainCheck signature_check(const DecodedJwt& jwt, const std::vector<Environment*>& envs, Signer* signer) {
  auto alg = find_string(jwt.header, "alg");
  if (!alg) return {"signature", false, "no_alg", "the header has no alg"};
  if (iequals(*alg, "none")) {
    return {"signature", false, "alg_none", "alg none: the token is not signed, and no server should accept it"};
  }
  auto kid = find_string(jwt.header, "kid");
  // The key its kid names, in any environment; without a kid, any key that verifies it.
  for (Environment* env : envs) {
    std::vector<SigningKey> candidates;
    if (kid) {
      if (auto k = env->keys().find(*kid)) candidates.push_back(*k);
    } else {
      for (const KeyInfo& info : env->keys().list()) {
        if (auto k = env->keys().find(info.kid)) candidates.push_back(*k);
      }
    }
    for (const SigningKey& k : candidates) {
      std::string where = "key " + k.kid() + " (" + algorithm_name(k.alg()) + ") of environment " + env->label();
      if (*alg != algorithm_name(k.alg())) {
        if (!kid) continue;
        signer->env = env;
        return {"signature", false, "alg_mismatch",
                "alg " + *alg + " is not the algorithm of " + where + " (RFC 8725 section 3.1: the key decides)"};
      }
      if (k.verify(jwt.signing_input, jwt.signature)) {
        signer->env = env;
        signer->key = k;
        bool active = env->keys().active().kid() == k.kid();
        return {"signature", true, "signed", "signed by " + where + (active ? "" : ", a retiring key")};
      }
      if (!kid) continue;
      signer->env = env;
      if (k.alg() == Algorithm::HS256) {
        return {"signature", false, "wrong_secret", "HS256 with the wrong secret: " + where + " does not verify it"};
      }
      return {"signature", false, "bad_signature", "the signature does not verify with " + where +
                                                       " (the token was changed after signing)"};
    }
  }
  if (*alg == "HS256") {
    return {"signature", false, "wrong_secret",
            "HS256 with the wrong secret: no environment's key verifies it" + (kid ? " (kid " + *kid + ")" : "")};
  }
  return {"signature", false, "unknown_key",
          "not one of ours: " + (kid ? "no environment has key " + *kid : "no environment's key verifies it")};
}

ExplainCheck issuer_check(const JsonObject& claims, Environment* env, const std::vector<Environment*>& envs) {
  auto iss = find_string(claims, "iss");
  if (!iss) return {"iss", false, "no_iss", "the token has no iss"};
  if (env != nullptr && env->trusts(*iss)) return {"iss", true, "trusted", *iss + " is environment " + env->label() + "'s issuer"};
  for (Environment* other : envs) {
    if (other->trusts(*iss)) {
      return {"iss", false, "other_environment",
              *iss + " is environment " + other->label() + "'s issuer, not " + (env ? env->label() : "the signer") + "'s"};
    }
  }
  return {"iss", false, "untrusted_issuer", *iss + " is not an issuer of this server"};
}

ExplainCheck audience_check(const JsonObject& claims, Environment& env, const std::optional<std::string>& chosen,
                            bool id_token) {
  std::vector<std::string> aud = audience_of(claims);
  auto has = [&](const std::string& a) { return std::find(aud.begin(), aud.end(), a) != aud.end(); };
  std::string shown = aud.empty() ? "no aud" : "aud [" + join(aud) + "]";
  if (chosen) {
    if (has(*chosen)) return {"aud", true, "audience", shown + " contains " + *chosen};
    return {"aud", false, "wrong_audience", shown + " does not contain " + *chosen};
  }
  if (aud.empty()) return {"aud", false, "no_aud", "the token has no aud"};
  if (id_token) { // OIDC Core §3.1.3.7: the client's id
    for (const auto& a : aud) {
      if (env.clients().find(a)) return {"aud", true, "audience", shown + " names client " + a};
    }
    return {"aud", false, "wrong_audience", shown + " names no client of environment " + env.label()};
  }
  auto client_id = find_string(claims, "client_id");
  ClientStore::Ptr client = client_id ? env.clients().find(*client_id) : nullptr;
  if (!client) {
    return {"aud", true, "unchecked",
            shown + (client_id ? ": client " + *client_id + " is unknown" : ": no client_id") +
                ", so no audience to check it against (choose one)"};
  }
  std::vector<std::string> expected = client_audience(*client);
  for (const auto& e : expected) {
    if (has(e)) return {"aud", true, "audience", shown + " contains " + e + ", client " + client->id + "'s audience"};
  }
  return {"aud", false, "wrong_audience",
          shown + " is not client " + client->id + "'s audience [" + join(expected) + "]"};
}

} // namespace

std::string relative_time(int64_t seconds) {
  if (seconds == 0) return "now";
  return seconds < 0 ? span(-seconds) + " ago" : "in " + span(seconds);
}

Explanation explain_token(const ExplainRequest& r, const std::vector<Environment*>& envs) {
  Explanation e;
  std::string reason;
  std::optional<DecodedJwt> jwt = decode_jwt(r.token, &reason);
  Environment* fallback = envs.empty() ? nullptr : envs.front();
  if (!jwt) {
    e.checks.push_back({"format", false, "malformed", "not a JWT: " + reason});
    if (fallback) e.now = fallback->clock().now();
    return e;
  }
  e.header = jwt->header;
  e.claims = jwt->claims;
  e.checks.push_back({"format", true, "jws", "a compact JWS: header, claims and signature"});
  Signer signer;
  e.checks.push_back(signature_check(*jwt, envs, &signer));
  auto iss = find_string(e.claims, "iss");
  e.environment = signer.env;
  if (!e.environment && iss) {
    for (Environment* env : envs) {
      if (env->trusts(*iss)) {
        e.environment = env;
        break;
      }
    }
  }
  Environment& env = e.environment ? *e.environment : *fallback;
  e.checks.push_back(issuer_check(e.claims, e.environment, envs));

  auto typ = find_string(e.header, "typ");
  bool access = is_access_token(e.header, e.claims, env.settings().tokens.access_token_type == "JWT");
  bool id_token = !access && !find_member(e.claims, "client_id") &&
                  (find_member(e.claims, "nonce") || find_member(e.claims, "at_hash") ||
                   find_member(e.claims, "auth_time") || (typ && iequals(*typ, "JWT")));
  e.checks.push_back(audience_check(e.claims, env, r.audience, id_token));

  int64_t now = env.clock().now();
  e.now = now;
  const std::string by = clock_words(env);
  auto exp = find_int(e.claims, "exp");
  if (!exp) {
    e.checks.push_back({"exp", false, "no_exp", "the token has no numeric exp"});
  } else if (now >= *exp) { // RFC 7519 §4.1.4
    e.checks.push_back({"exp", false, "expired", "expired " + relative_time(*exp - now) + " (" + format_utc(*exp) + ")" + by});
  } else {
    e.checks.push_back({"exp", true, "live", "expires " + relative_time(*exp - now) + " (" + format_utc(*exp) + ")" + by});
  }
  if (auto nbf = find_int(e.claims, "nbf")) {
    if (now < *nbf) {
      e.checks.push_back({"nbf", false, "not_yet_valid", "not valid until " + format_utc(*nbf) + ", " + relative_time(*nbf - now) + by});
    } else {
      e.checks.push_back({"nbf", true, "valid_since", "valid since " + format_utc(*nbf) + by});
    }
  } else {
    e.checks.push_back({"nbf", true, "no_nbf", "no nbf: valid from issue"});
  }
  if (auto iat = find_int(e.claims, "iat")) {
    e.checks.push_back({"iat", true, "issued", "issued " + relative_time(*iat - now) + " (" + format_utc(*iat) + ")" + by});
  } else {
    e.checks.push_back({"iat", true, "no_iat", "no iat"});
  }
  if (access) {
    e.checks.push_back({"typ", true, "access_token",
                        "an access token (typ " + *typ +
                            (iequals(*typ, "JWT") ? ", as --access-token-type JWT writes it)" : ", RFC 9068)")});
  } else if (id_token) {
    e.checks.push_back({"typ", true, "id_token",
                        "an ID token (typ " + typ.value_or("absent") + "): a resource server refuses it as an access token"});
  } else {
    e.checks.push_back({"typ", true, "other", "typ " + typ.value_or("absent") + ": neither an access token (at+jwt) nor an ID token"});
  }
  auto jti = find_string(e.claims, "jti");
  if (jti && env.token_store().is_access_revoked(*jti)) {
    e.checks.push_back({"revoked", false, "revoked", "jti " + *jti + " was revoked in environment " + env.label()});
  } else {
    e.checks.push_back({"revoked", true, "not_revoked", jti ? "not revoked" : "no jti: not revocable by itself"});
  }
  const Json* cnf = find_member(e.claims, "cnf");
  if (cnf && cnf->is<JsonObject>()) {
    const JsonObject& c = cnf->get<JsonObject>();
    if (auto x5t = find_string(c, "x5t#S256")) {
      e.checks.push_back({"cnf", true, "bound", "bound to the client certificate with x5t#S256 " + *x5t + " (RFC 8705)"});
    } else if (auto jkt = find_string(c, "jkt")) {
      e.checks.push_back({"cnf", true, "bound", "bound to the DPoP key with thumbprint " + *jkt + " (RFC 9449)"});
    } else {
      e.checks.push_back({"cnf", true, "bound", "bound (cnf without x5t#S256 or jkt)"});
    }
  } else {
    e.checks.push_back({"cnf", true, "unbound", "not bound: a bearer token anyone holding it can use"});
  }
  if (r.nonce) {
    auto nonce = find_string(e.claims, "nonce");
    if (nonce && *nonce == *r.nonce) {
      e.checks.push_back({"nonce", true, "nonce", "nonce is the one given"});
    } else {
      e.checks.push_back({"nonce", false, "wrong_nonce", nonce ? "nonce is not the one given" : "the token has no nonce"});
    }
  }
  if (r.access_token) {
    auto h = find_string(e.claims, "at_hash");
    if (!h) { // OIDC Core §3.1.3.6: optional in the code flow
      e.checks.push_back({"at_hash", true, "no_at_hash", "no at_hash: nothing ties it to the access token"});
    } else if (*h == at_hash(*r.access_token)) {
      e.checks.push_back({"at_hash", true, "at_hash", "at_hash is the given access token's"});
    } else {
      e.checks.push_back({"at_hash", false, "wrong_at_hash", "at_hash is not the given access token's"});
    }
  }
  e.valid = std::all_of(e.checks.begin(), e.checks.end(), [](const ExplainCheck& c) { return c.ok; });
  return e;
}

Json explanation_json(const Explanation& e) {
  JsonObject o;
  o["valid"] = Json(e.valid);
  o["environment"] = e.environment ? json_string(e.environment->label()) : Json();
  o["header"] = Json(e.header);
  o["claims"] = Json(e.claims);
  o["now"] = json_int(e.now);
  JsonObject dates;
  for (const char* name : {"exp", "nbf", "iat", "auth_time"}) {
    if (auto t = find_int(e.claims, name)) dates[name] = json_string(format_utc(*t) + ", " + relative_time(*t - e.now));
  }
  o["dates"] = Json(dates);
  JsonArray checks;
  for (const ExplainCheck& c : e.checks) {
    JsonObject co;
    co["check"] = json_string(c.check);
    co["ok"] = Json(c.ok);
    co["reason"] = json_string(c.reason);
    co["message"] = json_string(c.message);
    checks.emplace_back(co);
  }
  o["checks"] = Json(checks);
  return Json(o);
}

} // namespace authemu
