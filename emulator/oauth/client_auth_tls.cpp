// tls_client_auth and self_signed_tls_client_auth (RFC 8705 §2): client_id names the client, the
// TLS connection's certificate proves it. tls_client_auth: the certificate chains to a trusted CA,
// is valid at the environment's clock, and carries the one subject value the client registered
// (§2.1), valid at the environment's clock or at real time (certificates are made on real time: a
// test that moved its clock still connects). self_signed_tls_client_auth: its public key is one of the client's registered keys (§2.2;
// no chain, no validity period: the key is what was registered).
#include "base/base64.h"
#include "base/clock.h"
#include "base/distinguished_name.h"
#include "base/origin.h"
#include "tls/tls_names.h"
#include "base/http_types.h"
#include "oauth/client_auth.h"
#include "oauth/oauth_error.h"

namespace authemu {

namespace {

std::string listed(const std::vector<std::string>& items) {
  if (items.empty()) return "none";
  std::string out;
  for (const auto& i : items)
    out += (out.empty() ? "" : ", ") + i;
  return out;
}

// rfc822Name (RFC 5280 §4.2.1.6): the local part as written, the domain without case.
bool email_equal(const std::string& a, const std::string& b) {
  size_t at_a = a.rfind('@'), at_b = b.rfind('@');
  if (at_a == std::string::npos || at_b == std::string::npos) return a == b;
  return a.compare(0, at_a, b, 0, at_b) == 0 && at_a == at_b &&
         iequals(std::string_view(a).substr(at_a), std::string_view(b).substr(at_b));
}

const ClientCertificate& certificate_of(const ClientCredentials& c, const Client& client, const char* method) {
  if (!c.certificate) {
    throw oauth::invalid_client("client " + client.id + " authenticates with " + method +
                                ": the request came without a client certificate (send it over HTTPS)");
  }
  return *c.certificate;
}

std::string subject_of(const ClientCertificate& cert) {
  return cert.subject.empty() ? "(empty subject)" : format_dn(cert.subject);
}

// RFC 8705 §2.1.2: the registered value, found in the certificate; nothing when it is, else why not.
std::optional<std::string> subject_mismatch(const Client& client, const ClientCertificate& cert) {
  if (client.tls_client_auth_subject_dn) {
    auto registered = parse_dn(*client.tls_client_auth_subject_dn);
    if (registered && dn_equal(*registered, cert.subject)) return std::nullopt;
    return "its subject " + subject_of(cert) + " is not " + *client.tls_client_auth_subject_dn;
  }
  if (client.tls_client_auth_san_dns) {
    for (const auto& d : cert.san_dns)
      if (iequals(d, *client.tls_client_auth_san_dns)) return std::nullopt;
    return "it has no dNSName " + *client.tls_client_auth_san_dns + " (it has " + listed(cert.san_dns) + ")";
  }
  if (client.tls_client_auth_san_uri) {
    for (const auto& u : cert.san_uri)
      if (u == *client.tls_client_auth_san_uri) return std::nullopt;
    return "it has no URI " + *client.tls_client_auth_san_uri + " (it has " + listed(cert.san_uri) + ")";
  }
  if (client.tls_client_auth_san_ip) {
    std::string want = address_bytes(*client.tls_client_auth_san_ip); // §2.1.2: compared as bytes
    std::vector<std::string> has;
    for (const auto& ip : cert.san_ip) {
      if (!want.empty() && ip == want) return std::nullopt;
      has.push_back(ip_text(ip));
    }
    return "it has no iPAddress " + *client.tls_client_auth_san_ip + " (it has " + listed(has) + ")";
  }
  if (client.tls_client_auth_san_email) {
    for (const auto& e : cert.san_email)
      if (email_equal(e, *client.tls_client_auth_san_email)) return std::nullopt;
    return "it has no rfc822Name " + *client.tls_client_auth_san_email + " (it has " + listed(cert.san_email) + ")";
  }
  return "client " + client.id + " registers no subject value";
}

bool presented_tls(const ClientCredentials& c) {
  return c.registered && c.registered->token_endpoint_auth_method == std::string("tls_client_auth");
}

AuthenticatedClient authenticate_tls(const ClientStore&, const ClientCredentials& c) {
  const Client& client = *c.registered;
  const ClientCertificate& cert = certificate_of(c, client, "tls_client_auth");
  std::string who = "client certificate " + subject_of(cert);
  // RFC 8705 §2.1: the chain to a trust anchor first.
  if (!cert.chain_trusted()) throw oauth::invalid_client(who + " is not trusted: " + cert.chain_problem);
  auto invalid_at = [&cert](int64_t now) -> std::optional<std::string> {
    if (now < cert.not_before) return " is not valid before " + format_utc(cert.not_before);
    if (now > cert.not_after) return " expired at " + format_utc(cert.not_after);
    return std::nullopt;
  };
  if (c.clock != nullptr) {
    auto problem = invalid_at(c.clock->now());
    if (problem && (c.real_clock == nullptr || invalid_at(c.real_clock->now()))) throw oauth::invalid_client(who + *problem);
  }
  if (auto why = subject_mismatch(client, cert)) {
    throw oauth::invalid_client(who + " is not client " + client.id + "'s: " + *why);
  }
  AuthenticatedClient out{c.registered, "tls_client_auth"};
  out.proven = true;
  return out;
}

// A big-endian unsigned integer without its leading zero bytes (RFC 7518 §6.3.1.1 writes n so).
std::string magnitude(const std::string& bytes) {
  size_t i = 0;
  while (i + 1 < bytes.size() && bytes[i] == '\0')
    ++i;
  return bytes.substr(i);
}

bool member_equal(const JsonObject& jwk, const std::map<std::string, std::string>& key, const char* name,
                  bool as_integer) {
  auto a = find_string(jwk, name);
  auto it = key.find(name);
  if (!a || it == key.end()) return false;
  auto x = base64url_decode(*a), y = base64url_decode(it->second);
  if (!x || !y) return false;
  return as_integer ? magnitude(*x) == magnitude(*y) : *x == *y;
}

// RFC 8705 §2.2: the certificate is one of the JWK's x5c, or its public key is the JWK's.
bool key_matches(const JsonObject& jwk, const ClientCertificate& cert) {
  if (const Json* x5c = find_member(jwk, "x5c"); x5c && x5c->is<JsonArray>() && !x5c->get<JsonArray>().empty()) {
    const Json& first = x5c->get<JsonArray>()[0];
    if (first.is<std::string>()) {
      auto der = base64_decode(first.get<std::string>()); // RFC 7517 §4.7: base64, not base64url
      if (der && *der == cert.der) return true;
    }
  }
  auto kty = find_string(jwk, "kty");
  auto cert_kty = cert.public_jwk.find("kty");
  if (!kty || cert_kty == cert.public_jwk.end() || *kty != cert_kty->second) return false;
  if (*kty == "RSA") return member_equal(jwk, cert.public_jwk, "n", true) && member_equal(jwk, cert.public_jwk, "e", true);
  if (*kty == "EC") {
    return find_string(jwk, "crv") == std::optional<std::string>(cert.public_jwk.at("crv")) &&
           member_equal(jwk, cert.public_jwk, "x", false) && member_equal(jwk, cert.public_jwk, "y", false);
  }
  return false;
}

bool any_key_matches(const JsonArray& keys, const ClientCertificate& cert) {
  for (const Json& k : keys)
    if (k.is<JsonObject>() && key_matches(k.get<JsonObject>(), cert)) return true;
  return false;
}

bool presented_self_signed(const ClientCredentials& c) {
  return c.registered && c.registered->token_endpoint_auth_method == std::string("self_signed_tls_client_auth");
}

AuthenticatedClient authenticate_self_signed(const ClientStore&, const ClientCredentials& c) {
  const Client& client = *c.registered;
  const ClientCertificate& cert = certificate_of(c, client, "self_signed_tls_client_auth");
  bool matched = false;
  if (client.jwks) {
    matched = any_key_matches(client.jwks->get<JsonObject>().at("keys").get<JsonArray>(), cert);
  } else if (c.keys != nullptr) {
    matched = any_key_matches(c.keys->keys_of(client), cert);
    // A key the kept set lacks: the client may have added it since (fetched at most once per 10 s).
    if (!matched) matched = any_key_matches(c.keys->keys_of(client, true), cert);
  }
  if (!matched) {
    throw oauth::invalid_client("client certificate " + subject_of(cert) + " is not client " + client.id +
                                "'s: its public key is not among the client's " +
                                (client.jwks ? "jwks" : "jwksUri keys"));
  }
  AuthenticatedClient out{c.registered, "self_signed_tls_client_auth"};
  out.proven = true;
  return out;
}

} // namespace

extern const ClientAuthMethod kTlsClientAuth = {"tls_client_auth", "client certificate", true, true, presented_tls,
                                                authenticate_tls};
extern const ClientAuthMethod kSelfSignedTlsClientAuth = {"self_signed_tls_client_auth", "client certificate", true,
                                                          true, presented_self_signed, authenticate_self_signed};

} // namespace authemu
