// oauth/client_auth_jwt: private_key_jwt and client_secret_jwt (RFC 7523 §2.2, §3; OIDC Core §9),
// each rule's exact invalid_client, time on either clock, the bounded replay cache; and the
// fixtures' fields for them.
#include <catch2/catch.hpp>

#include "jose/crypto.h"
#include "jose/jwk.h"
#include "oauth/client_auth.h"
#include "oauth/oauth_error.h"
#include "base/config_error.h"
#include "stack/fixtures.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

constexpr char kIss[] = "https://auth.test/api/auth";
const char* const kSecret = "a-shared-secret-that-is-32-bytes-long!";

struct Keys {
  PrivateJwk es = PrivateJwk::generate(*find_jws_algorithm("ES256"));
  PrivateJwk other = PrivateJwk::generate(*find_jws_algorithm("ES256"));
};
Keys& keys() {
  static Keys k;
  return k;
}

Json jwks_of(const PrivateJwk& k, const std::string& kid) {
  JsonObject jwk = k.public_key().members();
  jwk["kid"] = json_string(kid);
  return Json(JsonObject{{"keys", Json(JsonArray{Json(jwk)})}});
}

std::vector<Client> clients() {
  Client pk;
  pk.id = "pk";
  pk.token_endpoint_auth_method = "private_key_jwt";
  pk.jwks = jwks_of(keys().es, "k1");
  Client pk_alg = pk;
  pk_alg.id = "pk-rs";
  pk_alg.token_endpoint_auth_signing_alg = "RS256";
  Client sj;
  sj.id = "sj";
  sj.token_endpoint_auth_method = "client_secret_jwt";
  ClientSecret s;
  s.clear = kSecret;
  s.hash = hash_secret(kSecret);
  sj.secrets.push_back(s);
  Client basic = sj;
  basic.id = "basic";
  basic.token_endpoint_auth_method.reset(); // its secret stays hashed only
  return {pk, pk_alg, sj, basic};
}

struct Setup {
  Setup() : env_clock(kStart), real_clock(kStart), replays(real_clock), store(clients()) {}
  FakeClock env_clock, real_clock;
  ReplayCache replays;
  ClientStore store;

  JsonObject claims(const std::string& client = "pk") {
    int64_t now = real_clock.now();
    return JsonObject{{"iss", json_string(client)},       {"sub", json_string(client)},
                      {"aud", json_string(kIss)},         {"exp", json_int(now + 60)},
                      {"iat", json_int(now)},             {"jti", json_string(uuid_v4())}};
  }
  std::string sign(const JsonObject& c, const char* alg = "ES256", const PrivateJwk* key = &keys().es,
                   const std::string& kid = "k1") {
    const JwsAlgorithm& a = *find_jws_algorithm(alg);
    JsonObject header{{"alg", json_string(alg)}};
    if (!kid.empty()) header["kid"] = json_string(kid);
    return sign_jws_with(a, a.family == JwsFamily::hmac ? nullptr : key, kSecret, header, c);
  }
  AuthenticatedClient auth(const std::string& assertion, const std::string& extra = "") {
    Params p = Params::parse("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&"
                             "client_assertion=" + assertion + extra, "body");
    ClientAuthSources sources(store, nullptr, &env_clock, &real_clock, &replays);
    return authenticate_client(store, read_client_credentials(sources, p, std::nullopt, nullptr,
                                                              {kIss, std::string(kIss) + "/oauth/token"}));
  }
  std::string refusal(const std::string& assertion, const std::string& extra = "") {
    try {
      auth(assertion, extra);
      return "accepted";
    } catch (const OAuthError& e) {
      CHECK(e.code() == "invalid_client");
      CHECK(e.status() == 401);
      return e.description();
    }
  }
};

} // namespace

TEST_CASE("client_auth_jwt: valid assertions authenticate their client by its method") {
  Setup f;
  AuthenticatedClient a = f.auth(f.sign(f.claims()));
  CHECK(a.client->id == "pk");
  CHECK(a.method == "private_key_jwt");
  CHECK(a.proven);
  AuthenticatedClient s = f.auth(f.sign(f.claims("sj"), "HS256"));
  CHECK(s.client->id == "sj");
  CHECK(s.method == "client_secret_jwt");
  SECTION("aud: the issuer, the token endpoint, or either in a list") {
    JsonObject c = f.claims();
    c["aud"] = json_string(std::string(kIss) + "/oauth/token");
    CHECK(f.auth(f.sign(c)).client->id == "pk");
    c["aud"] = json_string_array({"https://other.test", kIss});
    c["jti"] = json_string("j2");
    CHECK(f.auth(f.sign(c)).client->id == "pk");
  }
  SECTION("without a kid, every key that fits the alg is tried") {
    CHECK(f.auth(f.sign(f.claims(), "ES256", &keys().es, "")).client->id == "pk");
  }
  SECTION("a client_id that repeats the sub") {
    CHECK(f.auth(f.sign(f.claims()), "&client_id=pk").client->id == "pk");
  }
}

TEST_CASE("client_auth_jwt: each rule refuses with its own description") {
  Setup f;
  JsonObject c = f.claims();
  CHECK(f.refusal(f.sign(c), "&client_id=sj") == "client_id sj is not the client_assertion's sub pk");
  auto with = [&](const char* name, Json v) {
    JsonObject x = f.claims();
    if (v.is<picojson::null>()) x.erase(name); else x[name] = v;
    return f.sign(x);
  };
  CHECK(f.refusal(with("aud", json_string("https://elsewhere.test"))) ==
        "client_assertion aud \"https://elsewhere.test\" is not this server (expected one of: "
        "https://auth.test/api/auth, https://auth.test/api/auth/oauth/token)");
  CHECK(f.refusal(with("aud", Json())) == "client_assertion has no aud");
  CHECK(f.refusal(with("iss", json_string("other"))) == "client_assertion iss must equal its sub (the client_id pk)");
  CHECK(f.refusal(with("sub", json_string("nobody"))) == "client_assertion iss must equal its sub (the client_id nobody)");
  CHECK(f.refusal(with("exp", Json())) == "client_assertion has no exp (a number)");
  CHECK(f.refusal(with("jti", Json())) == "client_assertion has no jti");
  CHECK(f.refusal(with("exp", json_int(kStart - 61))) == "client_assertion expired at 2023-11-14T22:12:19Z");
  CHECK(f.refusal(with("exp", json_int(kStart + 361))).find("is more than 300 seconds ahead") != std::string::npos);
  CHECK(f.refusal(with("nbf", json_int(kStart + 600))).find("is not valid before") != std::string::npos);
  JsonObject unknown = f.claims("nobody");
  CHECK(f.refusal(f.sign(unknown)) == "unknown client nobody");
  CHECK(f.refusal(f.sign(c, "ES256", &keys().other)) == "client_assertion signature does not verify with client pk's keys");
  CHECK(f.refusal(f.sign(f.claims(), "ES256", &keys().es, "k9")) == "client_assertion kid k9 is not among client pk's keys");
  CHECK(f.refusal(f.sign(f.claims(), "HS256")) ==
        "client pk authenticates with private_key_jwt: its assertions are signed with a private key (RS, PS or ES "
        "algorithms), not with HS256");
  CHECK(f.refusal(f.sign(f.claims("sj"), "ES256")) ==
        "client sj authenticates with client_secret_jwt: its assertions are signed with HS256, HS384 or HS512, not ES256");
  CHECK(f.refusal(f.sign(f.claims("pk-rs"))) == "client pk-rs signs its assertions with RS256 (tokenEndpointAuthSigningAlg), not ES256");
  CHECK(f.refusal(f.sign(f.claims("basic"), "HS256")) ==
        "client basic is not registered for client_secret_jwt (tokenEndpointAuthMethod), so its secret is kept "
        "hashed and cannot check an HMAC");
  std::string none = jws_signing_input(JsonObject{{"alg", json_string("none")}}, f.claims()) + ".";
  CHECK(f.refusal(none) == "client_assertion is not signed (alg none)");
  std::string eddsa = jws_signing_input(JsonObject{{"alg", json_string("EdDSA")}}, f.claims()) + ".AAAA";
  CHECK(f.refusal(eddsa) ==
        "client_assertion alg EdDSA is not supported: mbedTLS 3.6 has no EdDSA signatures (use ES256, PS256 or RS256)");
  CHECK(f.refusal(std::string(kMaxClientJwtLength + 1, 'a')) == "client_assertion longer than 8192 bytes");
  CHECK(f.refusal("a.b") == "client_assertion is malformed: not a JWT: expected three dot-separated parts");
  // RFC 7515 §4: a header with a member twice.
  std::string dup = base64url_encode(R"({"alg":"ES256","alg":"none"})") + "." +
                    base64url_encode(dump_json(Json(f.claims()))) + ".AAAA";
  CHECK(f.refusal(dup) == "client_assertion header has the member \"alg\" twice");
}

TEST_CASE("client_auth_jwt: the assertion type, and one assertion per request") {
  Setup f;
  ClientAuthSources sources(f.store, nullptr, &f.env_clock, &f.real_clock, &f.replays);
  auto refusal = [&](const std::string& form) {
    try {
      authenticate_client(f.store, read_client_credentials(sources, Params::parse(form, "body"), std::nullopt));
      return std::string("accepted");
    } catch (const OAuthError& e) {
      return e.code() + ": " + e.description();
    }
  };
  CHECK(refusal("client_assertion=" + f.sign(f.claims())) ==
        "invalid_client: client_assertion_type missing (expected urn:ietf:params:oauth:client-assertion-type:jwt-bearer)");
  CHECK(refusal("client_assertion_type=saml&client_assertion=" + f.sign(f.claims())) ==
        "invalid_client: client_assertion_type saml is not supported (expected "
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer)");
  CHECK(refusal("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer") ==
        "invalid_client: client_assertion missing");
}

TEST_CASE("client_auth_jwt: a jti is single use; the cache refuses new ones when full, never forgets live ones") {
  Setup f;
  std::string a = f.sign(f.claims());
  CHECK(f.auth(a).client->id == "pk");
  CHECK(f.refusal(a) == "assertion replayed: its jti was used before");
  // Once its lifetime has passed it is gone from the cache (and expired anyway).
  ReplayCache small(f.real_clock, 2);
  CHECK(small.use("a", 10) == ReplayCache::Outcome::fresh);
  CHECK(small.use("b", 100) == ReplayCache::Outcome::fresh);
  CHECK(small.use("a", 10) == ReplayCache::Outcome::replayed);
  CHECK(small.use("c", 10) == ReplayCache::Outcome::full);
  f.real_clock.advance(11);
  CHECK(small.use("c", 10) == ReplayCache::Outcome::fresh); // a left at its end
  CHECK(small.size() == 2);
  CHECK(small.use("b", 100) == ReplayCache::Outcome::replayed);
  small.clear();
  CHECK(small.size() == 0);
}

TEST_CASE("client_auth_jwt: time claims pass on the environment's clock or on real time") {
  Setup f;
  SECTION("the environment's clock moved a day ahead: an assertion made on real time still passes") {
    f.env_clock.advance(86400);
    CHECK(f.auth(f.sign(f.claims())).client->id == "pk");
  }
  SECTION("an assertion made on the moved clock passes too") {
    f.env_clock.advance(86400);
    JsonObject c = f.claims();
    c["iat"] = json_int(f.env_clock.now());
    c["exp"] = json_int(f.env_clock.now() + 60);
    CHECK(f.auth(f.sign(c)).client->id == "pk");
  }
  SECTION("expired on both: refused, and the message says so") {
    f.env_clock.advance(3600);
    JsonObject c = f.claims();
    c["exp"] = json_int(kStart - 600);
    CHECK(f.refusal(f.sign(c)).find("(by the environment's clock, and by real time too)") != std::string::npos);
  }
}

TEST_CASE("client_auth_jwt: fixtures take the fields, keep a clear secret only for client_secret_jwt") {
  auto load = [](const std::string& client) {
    try {
      load_fixture("clients:\n  - id: c\n" + client, "f.yaml", [](const std::string&) { return std::nullopt; });
      return std::string();
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
  };
  CHECK(load("    tokenEndpointAuthMethod: client_secret_jwt\n    secrets: [s]\n    tokenEndpointAuthSigningAlg: HS512\n").empty());
  CHECK(load("    tokenEndpointAuthMethod: client_secret_jwt\n    secrets: [s]\n    tokenEndpointAuthSigningAlg: ES256\n") ==
        "f.yaml:5: clients[0].tokenEndpointAuthSigningAlg: client_secret_jwt signs with HS256, HS384 or HS512, not ES256");
  CHECK(load("    tokenEndpointAuthSigningAlg: EdDSA\n") ==
        "f.yaml:3: clients[0].tokenEndpointAuthSigningAlg: EdDSA is not supported (mbedTLS 3.6 has no EdDSA "
        "signatures; RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, HS256, HS384, HS512)");
  CHECK(load("    tokenEndpointAuthMethod: private_key_jwt\n    jwks: {keys: [{kty: RSA, n: AQAB, e: AQAB}]}\n") ==
        "f.yaml:4: clients[0].jwks: keys[0]: RSA key of 17 bits: 2048 to 8192 are accepted");
  CHECK(load("    dpopBoundAccessTokens: maybe\n").find("dpopBoundAccessTokens") != std::string::npos);
  Fixture kept = [] {
    return load_fixture("clients:\n  - id: sj\n    tokenEndpointAuthMethod: client_secret_jwt\n    secrets: [s1]\n"
                        "  - id: b\n    secrets: [s2]\n",
                        "f.yaml", [](const std::string&) { return std::nullopt; });
  }();
  CHECK(kept.clients[0].secrets[0].clear == "s1");
  CHECK(kept.clients[1].secrets[0].clear.empty());
}
