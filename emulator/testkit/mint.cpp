#include "testkit/mint.h"

#include "base/base64.h"
#include "base/duration.h"
#include "jose/crypto.h"
#include "jose/jwt.h"
#include "oauth/client_claims.h"
#include "oauth/id_token.h"
#include "oauth/scope.h"

namespace authemu {

namespace {

constexpr char kWrongAudience[] = "https://wrong-audience.authemu.invalid";
constexpr char kWrongIssuer[] = "https://wrong-issuer.authemu.invalid";


int64_t seconds_member(const JsonObject& body, const std::string& name) {
  if (auto s = json_seconds(body.at(name))) return *s;
  throw admin_api::validation(name + ": expected whole seconds or a duration such as 90s, 1h, -5m (at most ten years)");
}

JsonObject object_member(const JsonObject& body, const std::string& name) {
  const Json& v = body.at(name);
  if (!v.is<JsonObject>()) throw admin_api::validation(name + ": expected an object");
  return v.get<JsonObject>();
}

void apply_case(const std::string& c, MintRequest& r) {
  if (c == "valid") return;
  if (c == "expired") {
    r.expires_in = -60;
  } else if (c == "not_yet_valid") {
    r.not_before = 3600;
  } else if (c == "wrong_audience") {
    r.audience = std::vector<std::string>{kWrongAudience};
  } else if (c == "wrong_issuer") {
    r.issuer = kWrongIssuer;
  } else if (c == "foreign_key") {
    r.signature = MintRequest::Signature::foreign;
  } else if (c == "alg_none") {
    r.signature = MintRequest::Signature::none;
  } else if (c == "bad_signature") {
    r.signature = MintRequest::Signature::tampered;
  } else if (c == "wrong_nonce" && r.id_token) {
    r.wrong_nonce = true;
  } else if (c == "wrong_at_hash" && r.id_token) {
    r.wrong_at_hash = true;
  } else {
    throw admin_api::validation("case: unknown case " + c +
                                " (valid, expired, not_yet_valid, wrong_audience, wrong_issuer, foreign_key, alg_none, "
                                "bad_signature; with \"token\": \"id_token\" also wrong_nonce, wrong_at_hash)");
  }
}


// OIDC Core §2 claims of a minted ID token; wrong_nonce and wrong_at_hash spoil one of them.
JsonObject id_claims(const MintRequest& r, const UserStore::Ptr& user, const std::string& issuer, int64_t now,
                     const std::string& role_claim) {
  User anonymous;
  anonymous.id = r.subject.value_or(r.client_id);
  anonymous.username = anonymous.id;
  IdTokenInput in{issuer, r.client_id, user ? *user : anonymous,
                  parse_scope(r.scope.empty() ? "openid profile email" : r.scope), now};
  in.auth_time = now;
  in.role_claim = role_claim;
  in.nonce = r.nonce;
  if (r.wrong_nonce) in.nonce = r.nonce.value_or("") + "-not-the-nonce-sent";
  in.access_token = r.access_token;
  JsonObject c = id_token_claims(in);
  if (r.wrong_at_hash) c["at_hash"] = json_string(at_hash(r.access_token.value_or("") + "-another-token"));
  return c;
}

} // namespace

std::string mint_text(const JsonObject& body, const std::string& name) {
  const Json& v = body.at(name);
  if (!v.is<std::string>()) throw admin_api::validation(name + ": expected a string");
  if (v.get<std::string>().size() > 4096) throw admin_api::validation(name + ": longer than 4096 characters");
  return v.get<std::string>();
}

std::string tampered(const std::string& token) {
  size_t dot = token.rfind('.');
  std::string sig = base64url_decode(token.substr(dot + 1)).value_or("");
  if (sig.empty()) return token + "AA";
  sig[0] = static_cast<char>(sig[0] ^ 0x01);
  return token.substr(0, dot + 1) + base64url_encode(sig);
}

std::optional<std::string> certificate_thumbprint(std::string_view pem) {
  static const std::string kBegin = "-----BEGIN CERTIFICATE-----", kEnd = "-----END CERTIFICATE-----";
  size_t begin = pem.find(kBegin);
  if (begin == std::string_view::npos) return std::nullopt;
  begin += kBegin.size();
  size_t end = pem.find(kEnd, begin);
  if (end == std::string_view::npos) return std::nullopt;
  std::string text;
  for (char c : pem.substr(begin, end - begin))
    if (c != '\r' && c != '\n' && c != ' ' && c != '\t') text += c;
  auto der = base64_decode(text);
  if (!der || der->size() < 2 || (*der)[0] != 0x30) return std::nullopt; // a DER SEQUENCE
  return base64url_encode(sha256(*der)); // RFC 8705 §3.1
}

MintRequest parse_mint_request(const JsonObject& body) {
  static const std::vector<std::string> kKnown = {
      "environment", "case",      "client_id", "user",   "sub",    "aud",   "iss",   "scope",       "expires_in",
      "not_before",  "signature", "typ",       "claims", "header", "token", "nonce", "access_token", "cnf", "certificate",
      "dpop"};
  for (const auto& [name, value] : body) {
    if (std::find(kKnown.begin(), kKnown.end(), name) == kKnown.end())
      throw admin_api::validation(name + ": unknown member");
  }
  MintRequest r;
  if (body.count("token")) {
    std::string t = mint_text(body, "token");
    if (t != "access_token" && t != "id_token") {
      throw admin_api::validation("token: expected access_token, id_token, dpop_proof or client_assertion");
    }
    r.id_token = t == "id_token";
  }
  if (!r.id_token && (body.count("nonce") || body.count("access_token"))) {
    throw admin_api::validation(std::string(body.count("nonce") ? "nonce" : "access_token") +
                                ": only with \"token\": \"id_token\"");
  }
  if (body.count("nonce")) r.nonce = mint_text(body, "nonce");
  if (body.count("access_token")) r.access_token = mint_text(body, "access_token");
  if (body.count("case")) apply_case(mint_text(body, "case"), r);
  if (body.count("client_id")) r.client_id = mint_text(body, "client_id");
  if (body.count("user")) r.user = mint_text(body, "user");
  if (body.count("sub")) r.subject = mint_text(body, "sub");
  if (body.count("iss")) r.issuer = mint_text(body, "iss");
  if (body.count("scope")) r.scope = mint_text(body, "scope");
  if (body.count("typ")) r.typ = mint_text(body, "typ");
  if (body.count("aud")) {
    const Json& v = body.at("aud");
    std::vector<std::string> aud;
    if (v.is<std::string>()) {
      aud.push_back(v.get<std::string>());
    } else if (v.is<JsonArray>()) {
      for (const auto& a : v.get<JsonArray>()) {
        if (!a.is<std::string>()) throw admin_api::validation("aud: expected a string or a list of strings");
        aud.push_back(a.get<std::string>());
      }
    } else {
      throw admin_api::validation("aud: expected a string or a list of strings");
    }
    r.audience = aud;
  }
  if (body.count("expires_in")) r.expires_in = seconds_member(body, "expires_in");
  if (body.count("not_before")) r.not_before = seconds_member(body, "not_before");
  if (body.count("signature")) {
    std::string s = mint_text(body, "signature");
    if (s == "valid") {
      r.signature = MintRequest::Signature::valid;
    } else if (s == "tampered") {
      r.signature = MintRequest::Signature::tampered;
    } else if (s == "none") {
      r.signature = MintRequest::Signature::none;
    } else if (s == "foreign") {
      r.signature = MintRequest::Signature::foreign;
    } else {
      throw admin_api::validation("signature: expected valid, tampered, none or foreign");
    }
  }
  if (body.count("cnf") && body.count("certificate")) throw admin_api::validation("cnf: give cnf or certificate, not both");
  if (body.count("cnf")) r.cnf = Json(object_member(body, "cnf"));
  if (body.count("certificate")) {
    auto thumbprint = certificate_thumbprint(mint_text(body, "certificate"));
    if (!thumbprint) throw admin_api::validation("certificate: expected one PEM certificate (-----BEGIN CERTIFICATE-----)");
    JsonObject cnf;
    cnf["x5t#S256"] = json_string(*thumbprint);
    r.cnf = Json(cnf);
  }
  if (body.count("dpop")) {
    const Json& v = body.at("dpop");
    if (!v.is<bool>()) throw admin_api::validation("dpop: expected true or false");
    r.dpop = v.get<bool>();
    if (r.dpop && r.cnf) throw admin_api::validation("dpop: give dpop or cnf, not both");
  }
  if ((r.cnf || r.dpop) && r.id_token) throw admin_api::validation(std::string(r.dpop ? "dpop" : "cnf") + ": only for access tokens");
  if (body.count("claims")) r.claims = object_member(body, "claims");
  if (body.count("header")) r.header = object_member(body, "header");
  return r;
}

MintedToken mint_token(const MintRequest& r, Environment& env, const std::string& issuer) {
  int64_t now = env.clock().now();
  // A user's token lives the user-token lifetime, a client's the access-token lifetime, as issued ones do.
  const TokenSettings& ts = env.settings().tokens;
  int64_t usual = r.id_token ? ts.id_token_lifetime : r.user ? ts.user_token_lifetime : ts.access_token_lifetime;
  int64_t lifetime = r.expires_in.value_or(usual);
  // A token valid only later starts its usual lifetime then: exp after nbf, as a real one would have.
  int64_t exp = (r.not_before > 0 && !r.expires_in ? now + r.not_before : now) + lifetime;
  // An already expired token was issued one lifetime before it expired, as a real one would be.
  int64_t iat = lifetime > 0 ? now : exp - usual;
  int64_t nbf = r.not_before > 0 ? now + r.not_before : iat;

  JsonObject claims;
  std::string sub = r.client_id;
  UserStore::Ptr user;
  if (r.user) {
    user = env.users().find(*r.user);
    if (user == nullptr) user = env.users().find_by_username(*r.user);
    if (user == nullptr) throw admin_api::validation("user: no user " + *r.user + " in this environment");
    claims = env.tokens().user_claims(*user);
    sub = user->id;
  }
  std::vector<std::string> aud{r.client_id};
  if (auto client = env.clients().find(r.client_id); client && !r.id_token) {
    aud = client_audience(*client);
    if (!user) claims = client_claims(*client, ts.role_claim); // a client's token, as issued ones carry
  }
  if (r.id_token) claims = id_claims(r, user, issuer, now, ts.role_claim);
  claims["aud"] = json_string_array(r.audience.value_or(aud));
  claims["exp"] = json_int(exp);
  claims["iat"] = json_int(iat);
  claims["iss"] = json_string(r.issuer.value_or(issuer));
  if (!r.id_token) { // RFC 9068 §2.2
    claims["client_id"] = json_string(r.client_id);
    claims["jti"] = json_string(uuid_v4());
    claims["scope"] = json_string(r.scope);
  }
  if (!r.id_token || r.not_before > 0) claims["nbf"] = json_int(nbf);
  claims["sub"] = json_string(r.subject.value_or(sub));
  if (r.cnf) claims["cnf"] = *r.cnf;
  for (const auto& [name, value] : r.claims) {
    if (value.is<picojson::null>()) {
      claims.erase(name);
    } else {
      claims[name] = value;
    }
  }

  SigningKey key = r.signature == MintRequest::Signature::foreign ? env.foreign_key() : env.keys().active();
  JsonObject header;
  header["alg"] = json_string(r.signature == MintRequest::Signature::none ? "none" : algorithm_name(key.alg()));
  header["kid"] = json_string(key.kid());
  header["typ"] = json_string(r.typ.value_or(r.id_token ? "JWT" : env.settings().tokens.access_token_type));
  if (r.signature == MintRequest::Signature::none) header.erase("kid");
  for (const auto& [name, value] : r.header) {
    if (value.is<picojson::null>()) {
      header.erase(name);
    } else {
      header[name] = value;
    }
  }

  MintedToken m;
  if (r.signature == MintRequest::Signature::none) {
    m.token = jws_signing_input(header, claims) + "."; // RFC 7519 §6.1: an Unsecured JWT has an empty signature
  } else {
    m.token = sign_jws(key, header, claims);
    if (r.signature == MintRequest::Signature::tampered) m.token = tampered(m.token);
  }
  if (m.token.size() > kMaxJwtLength) throw admin_api::validation("the token would be longer than 16 KiB");
  m.header = std::move(header);
  m.claims = std::move(claims);
  m.expires_in = exp - now;
  m.id_token = r.id_token;
  return m;
}

} // namespace authemu
