#include "stack/environment_spec.h"

#include "base/config_error.h"
#include "base/embedded.h"
#include "base/origin.h"

namespace authemu {

bool is_key_text(const std::string& v) {
  return v.find("-----BEGIN") != std::string::npos || SigningKey::is_jwk_text(v);
}

SigningKey make_key(const KeySource& k) {
  const char* alg = algorithm_name(k.alg);
  if (k.secret && k.alg != Algorithm::HS256) {
    throw ConfigError(k.secret_where + ": only used with HS256, and " + k.alg_where + " is " + alg);
  }
  const std::string& where = k.secret ? k.secret_where : k.key_where;
  try {
    if (k.generate) return SigningKey::generate(k.alg);
    if (k.alg == Algorithm::HS256) {
      if (k.secret) return SigningKey::from_secret(*k.secret);
      if (!k.key) throw ConfigError(k.secret_where + ": required with " + k.alg_where + " HS256");
    }
    if (!k.key) return SigningKey::generate(k.alg);
    return SigningKey::from_text(*k.key, k.alg, k.alg);
  } catch (const CryptoError& e) {
    throw ConfigError(where + ": " + e.what());
  }
}

FixtureKey fixture_key(const EnvironmentFixture& e, const std::string& key_where, const std::string& secret_where) {
  FixtureKey f;
  KeySource& k = f.source;
  k.key_where = key_where;
  k.secret_where = secret_where;
  k.alg_where = "signingAlgorithm";
  if (e.signing_algorithm) k.alg = *find_algorithm(*e.signing_algorithm); // checked when the fixture was read
  k.secret = e.signing_secret;
  if (!e.signing_key) return f;
  const std::string& v = *e.signing_key;
  if (v.rfind("embedded:", 0) == 0) {
    auto text = embedded_file(v.substr(9));
    if (!text) throw ConfigError(key_where + ": no embedded file " + v.substr(9));
    k.key = std::string(*text);
    f.embedded = v.substr(9);
  } else if (is_key_text(v)) {
    k.key = v;
  } else {
    f.path = v;
  }
  return f;
}

EnvironmentSettings fixture_settings(const EnvironmentSettings& base, const EnvironmentFixture& e,
                                     const std::string& default_issuer) {
  EnvironmentSettings s = base;
  s.name = e.name;
  s.extra_issuers.clear();
  s.delegated_issuer.clear(); // --delegated-* are the default environment's
  s.delegated_client_id.clear();
  s.delegated_client_secret.clear();
  s.fixed_issuer = e.issuer.has_value();
  s.issuer_by_listener = base.issuer_by_listener && !s.fixed_issuer;
  s.issuer = e.issuer ? *e.issuer : default_issuer;
  while (!s.issuer.empty() && s.issuer.back() == '/')
    s.issuer.pop_back();
  apply_overrides(e, s); // lifetimes, login mode, delegation, … (stack/environment_settings.cpp)
  if (e.organization_id) s.tokens.organization_id = *e.organization_id;
  if (e.organization_name) s.tokens.organization_name = *e.organization_name;
  return s;
}

EnvironmentSpec runtime_environment_spec(const EnvironmentSettings& base, EnvironmentFixture e) {
  std::string origin = origin_of_url(base.issuer).value_or("");
  EnvironmentSettings s = fixture_settings(base, e, origin + "/" + e.name + "/api/auth");
  s.tokens.platform = false;
  s.tokens.environment_issuers.clear();
  if (e.issuer && !origin_of_url(s.issuer)) {
    throw ConfigError("issuer: expected an http:// or https:// URL, got '" + *e.issuer + "'");
  }
  // Its delegated login: only at a URL, as the environments of this server are wired at start-up.
  if (!s.delegated_issuer.empty()) {
    if (!origin_of_url(s.delegated_issuer)) {
      throw ConfigError("delegatedIssuer: expected the http:// or https:// URL of an OpenID issuer (at run time, "
                        "not an environment's name)");
    }
    if (s.delegated_client_id.empty()) throw ConfigError("delegatedClientId: required with delegatedIssuer");
    if (s.delegated_client_secret.empty()) throw ConfigError("delegatedClientSecret: required with delegatedIssuer");
  }
  FixtureKey f = fixture_key(e, "signingKey", "signingSecret");
  if (f.path) {
    throw ConfigError("signingKey: expected PEM or JWK text or embedded:<file> (no file paths at run time), or "
                      "nothing for a generated key");
  }
  SigningKey key = make_key(f.source);
  return EnvironmentSpec{std::move(s), std::move(e.clients), std::move(e.users), std::move(key)};
}

} // namespace authemu
