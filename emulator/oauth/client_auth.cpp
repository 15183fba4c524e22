#include "oauth/client_auth.h"

#include "base/distinguished_name.h"
#include "base/origin.h"
#include "jose/jwk.h"
#include "jose/jwt.h"
#include "oauth/oauth_error.h"

namespace authemu {

const char kNoClientCredentials[] = "client authentication required: HTTP Basic or client_id and client_secret";

// Each defined in its client_auth_<name>.cpp.
extern const ClientAuthMethod kClientSecretBasic;
extern const ClientAuthMethod kClientSecretPost;
extern const ClientAuthMethod kNoneMethod;
extern const ClientAuthMethod kTlsClientAuth;
extern const ClientAuthMethod kSelfSignedTlsClientAuth;
extern const ClientAuthMethod kPrivateKeyJwt;
extern const ClientAuthMethod kClientSecretJwt;

const std::vector<const ClientAuthMethod*>& all_client_auth_methods() {
  static const std::vector<const ClientAuthMethod*> methods = {
      &kClientSecretBasic, &kClientSecretPost, &kPrivateKeyJwt, &kClientSecretJwt, &kTlsClientAuth,
      &kSelfSignedTlsClientAuth, &kNoneMethod};
  return methods;
}

bool is_mtls_method(std::string_view name) {
  return name == kTlsClientAuth.name || name == kSelfSignedTlsClientAuth.name;
}

std::vector<std::string> client_auth_method_names(bool with_proof_only, bool tls) {
  std::vector<std::string> names;
  for (const ClientAuthMethod* m : all_client_auth_methods()) {
    if ((m->proves || !with_proof_only) && (tls || !is_mtls_method(m->name))) names.emplace_back(m->name);
  }
  return names;
}

ClientCredentials read_client_credentials(const ClientAuthSources& sources, const Params& params,
                                          std::optional<std::string> authorization,
                                          std::shared_ptr<const ClientCertificate> certificate,
                                          std::vector<std::string> audiences) {
  auto basic = parse_basic(authorization);
  auto client_id = params.get("client_id");
  ClientCredentials c{params, std::move(authorization), std::move(basic), client_id};
  c.certificate = std::move(certificate);
  if (client_id) c.registered = sources.clients.find(*client_id);
  c.keys = sources.keys;
  c.clock = sources.clock;
  c.real_clock = sources.real_clock;
  c.replays = sources.replays;
  c.audiences = std::move(audiences);
  return c;
}

namespace {

bool is_secret_method(std::string_view name) {
  return name == kClientSecretBasic.name || name == kClientSecretPost.name;
}

// A client registered for a method is authenticated by that one. The secret methods stand for each
// other (Formance takes either), as RFC 6749 §2.3.1 lets a server do.
void check_registered_method(const AuthenticatedClient& a) {
  const auto& registered = a.client->token_endpoint_auth_method;
  if (!registered || *registered == a.method) return;
  if (is_secret_method(*registered) && is_secret_method(a.method)) return;
  if (*registered == kNoneMethod.name && !a.proven) return;
  throw oauth::invalid_client("client " + a.client->id + " authenticates with " + *registered + ", not " +
                              std::string(a.method));
}

bool absolute_http_url(const std::string& url) {
  for (const char* scheme : {"http://", "https://"}) {
    size_t n = std::char_traits<char>::length(scheme);
    if (url.size() > n && url.compare(0, n, scheme) == 0 && url[n] != '/') return true;
  }
  return false;
}

} // namespace

std::optional<std::string> client_auth_fields_problem(const Client& c) {
  const std::optional<std::string>* subjects[] = {&c.tls_client_auth_subject_dn, &c.tls_client_auth_san_dns,
                                                  &c.tls_client_auth_san_uri, &c.tls_client_auth_san_ip,
                                                  &c.tls_client_auth_san_email};
  const char* subject_fields[] = {"tlsClientAuthSubjectDn", "tlsClientAuthSanDns", "tlsClientAuthSanUri",
                                  "tlsClientAuthSanIp", "tlsClientAuthSanEmail"};
  std::string method = c.token_endpoint_auth_method.value_or("");
  if (c.token_endpoint_auth_method) {
    bool known = false;
    std::string names;
    for (const ClientAuthMethod* m : all_client_auth_methods()) {
      known = known || m->name == method;
      names += (names.empty() ? "" : ", ") + std::string(m->name);
    }
    if (!known) return "tokenEndpointAuthMethod: unknown method " + method + " (known: " + names + ")";
    if (method == kNoneMethod.name && !c.is_public) return "tokenEndpointAuthMethod: none is for public clients (public: true)";
    if (method != kNoneMethod.name && c.is_public) {
      return "tokenEndpointAuthMethod: a public client authenticates with none, not " + method;
    }
  }
  size_t given = 0;
  for (size_t i = 0; i < 5; ++i) {
    if (!*subjects[i]) continue;
    ++given;
    if (method != kTlsClientAuth.name) {
      return std::string(subject_fields[i]) + ": only for tokenEndpointAuthMethod: tls_client_auth";
    }
    if (subjects[i]->value().empty()) return std::string(subject_fields[i]) + ": must not be empty";
  }
  if (method == kTlsClientAuth.name) {
    // RFC 8705 §2.1.2: exactly one of them.
    if (given != 1) {
      return std::string("tokenEndpointAuthMethod: tls_client_auth needs exactly one of tlsClientAuthSubjectDn, "
                         "tlsClientAuthSanDns, tlsClientAuthSanUri, tlsClientAuthSanIp, tlsClientAuthSanEmail");
    }
    std::string error;
    if (c.tls_client_auth_subject_dn && !parse_dn(*c.tls_client_auth_subject_dn, &error)) {
      return "tlsClientAuthSubjectDn: not an RFC 4514 distinguished name: " + error;
    }
    if (c.tls_client_auth_san_ip && address_bytes(*c.tls_client_auth_san_ip).empty()) {
      return "tlsClientAuthSanIp: not an IPv4 or IPv6 address";
    }
  }
  if (c.jwks && c.jwks_uri) return "jwks: give jwks or jwksUri, not both (RFC 7591 §2)";
  if (c.jwks) {
    if (auto problem = jwk_set_problem(*c.jwks)) return "jwks: " + *problem;
  }
  if (c.jwks_uri && !absolute_http_url(*c.jwks_uri)) return "jwksUri: expected an absolute http or https URL";
  if (c.token_endpoint_auth_signing_alg) {
    const std::string& alg = *c.token_endpoint_auth_signing_alg;
    const JwsAlgorithm* a = find_jws_algorithm(alg);
    if (a == nullptr) {
      return "tokenEndpointAuthSigningAlg: " + alg + " is not supported (" +
             (alg == "EdDSA" ? std::string("mbedTLS 3.6 has no EdDSA signatures; ") : std::string()) +
             "RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, HS256, HS384, HS512)";
    }
    if (method == kPrivateKeyJwt.name && a->family == JwsFamily::hmac) {
      return "tokenEndpointAuthSigningAlg: private_key_jwt signs with RS, PS or ES algorithms, not " + alg;
    }
    if (method == kClientSecretJwt.name && a->family != JwsFamily::hmac) {
      return "tokenEndpointAuthSigningAlg: client_secret_jwt signs with HS256, HS384 or HS512, not " + alg;
    }
  }
  if (method == kPrivateKeyJwt.name && !c.jwks && !c.jwks_uri) {
    return "tokenEndpointAuthMethod: private_key_jwt needs jwks or jwksUri (the keys of its assertions)";
  }
  if (method == kSelfSignedTlsClientAuth.name && !c.jwks && !c.jwks_uri) {
    return "tokenEndpointAuthMethod: self_signed_tls_client_auth needs jwks or jwksUri (the certificates' keys)";
  }
  return std::nullopt;
}

AuthenticatedClient authenticate_client(const ClientStore& clients, const ClientCredentials& c) {
  const ClientAuthMethod* chosen = nullptr;
  const ClientAuthMethod* without_proof = nullptr;
  for (const ClientAuthMethod* m : all_client_auth_methods()) {
    if (!m->presented(c)) continue;
    if (!m->proves) {
      if (without_proof == nullptr) without_proof = m;
      continue;
    }
    // RFC 6749 §2.3: a client uses one authentication method per request.
    if (chosen != nullptr) {
      throw oauth::invalid_request("client authenticated both by " + std::string(chosen->label) + " and by " +
                                   std::string(m->label) + "; use one");
    }
    chosen = m;
  }
  if (chosen == nullptr) chosen = without_proof;
  if (chosen == nullptr && c.certificate) {
    throw oauth::invalid_client(std::string(kNoClientCredentials) +
                                "; with a client certificate, client_id names the client (RFC 8705 section 2)");
  }
  if (chosen == nullptr) throw oauth::invalid_client(kNoClientCredentials);
  AuthenticatedClient out = chosen->authenticate(clients, c);
  check_registered_method(out);
  return out;
}

const ClientCredentials& RequestClient::credentials() const {
  if (!credentials_) {
    credentials_.emplace(read_client_credentials(sources_, params_, authorization_, certificate_, audiences_));
  }
  return *credentials_;
}

bool RequestClient::named() const {
  const ClientCredentials& c = credentials();
  for (const ClientAuthMethod* m : all_client_auth_methods()) {
    if (m->names_client && m->presented(c)) return true;
  }
  return false;
}

ClientStore::Ptr RequestClient::named_client() const {
  try {
    const ClientCredentials& c = credentials();
    if (c.basic) return sources_.clients.find(c.basic->id);
    if (c.client_id) return sources_.clients.find(*c.client_id);
    if (auto assertion = params_.get("client_assertion")) {
      std::string ignored;
      if (auto jwt = decode_jwt(*assertion, &ignored)) {
        if (auto sub = find_string(jwt->claims, "sub")) return sources_.clients.find(*sub);
      }
    }
  } catch (const OAuthError&) {
  }
  return nullptr;
}

const AuthenticatedClient& RequestClient::get() const {
  if (!client_) {
    try {
      client_ = authenticate_client(sources_.clients, credentials());
    } catch (const OAuthError& e) {
      failure_ = e.reason().empty() ? e.code() : e.reason();
      throw;
    }
    method_used_ = std::string(client_->method);
  }
  return *client_;
}

} // namespace authemu
