// OAuth clients: the static ones from fixtures (read-only, looked up first, as Formance does) and
// the dynamic ones of the management API. Keeps secrets as SHA-256 hashes only and compares them
// in constant time. Thread-safe; readers get immutable snapshots.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/json.h"

namespace authemu {

using Metadata = std::map<std::string, std::string>;

struct ClientSecret {
  std::string id;
  std::string name;
  std::string hash; // base64(sha256(clear)), the form Formance stores and shows
  std::string last_digits;
  std::optional<Metadata> metadata;
  // The secret in clear: kept only for a client registered for client_secret_jwt, whose assertions
  // are HMACs keyed by it (RFC 7523 §2.2, OIDC Core §9); empty for every other client. Never shown.
  std::string clear;
};

struct Client {
  std::string id;
  std::string name;
  std::string description;
  bool is_public = false;
  bool trusted = false;
  std::vector<std::string> redirect_uris;
  std::vector<std::string> post_logout_redirect_uris;
  std::vector<std::string> scopes;
  Metadata metadata;
  std::vector<ClientSecret> secrets;
  bool is_static = false;
  // authemu extensions, from fixtures only:
  std::optional<std::vector<std::string>> grant_types; // nothing: Formance's set (oauth/grant_registry.h)
  std::vector<std::string> audience;                   // empty: [client id], as Formance
  std::optional<int64_t> access_token_lifetime;        // seconds, tokens without a user
  std::optional<int64_t> user_token_lifetime;          // seconds, tokens with a user
  std::optional<int64_t> refresh_token_lifetime;       // seconds
  std::vector<std::string> environments;               // platform clients: what their tokens may be exchanged for
  std::optional<std::string> login_mode;               // page | auto: wins over the environment's
  // The environment of this process that delegates its sign-in through this client: its
  // <issuer>/authorize/callback is accepted as a redirect URI (set at start-up, not from fixtures).
  std::string delegation_for;
  std::optional<int64_t> device_code_lifetime; // seconds (RFC 8628 expires_in)
  std::optional<int64_t> device_code_interval; // seconds (RFC 8628 interval)

  // Client authentication (fixtures and the management API's authemu fields, RFC 7591 / RFC 8705
  // metadata in camelCase):
  // RFC 7591 §2 token_endpoint_auth_method. Nothing: the method the request presents (a secret
  // method, or none for a public client), as Formance decides.
  std::optional<std::string> token_endpoint_auth_method;
  // RFC 8705 §2.1.2: the one value a tls_client_auth client's certificate must carry.
  std::optional<std::string> tls_client_auth_subject_dn, tls_client_auth_san_dns, tls_client_auth_san_uri,
      tls_client_auth_san_ip, tls_client_auth_san_email;
  // RFC 7591 §2: the client's public keys, inline (a JWK set) or by URL.
  std::optional<Json> jwks;
  std::optional<std::string> jwks_uri;
  // RFC 8705 §3.4: its access tokens are bound to the certificate it presents (cnf x5t#S256).
  bool tls_client_certificate_bound_access_tokens = false;
  // RFC 7591 §2 token_endpoint_auth_signing_alg: the one alg its client assertions may use.
  std::optional<std::string> token_endpoint_auth_signing_alg;
  // RFC 9449 §5.2 dpop_bound_access_tokens: its token requests must carry a DPoP proof.
  bool dpop_bound_access_tokens = false;
  // RFC 9449 §8: its DPoP proofs must carry a server nonce (nothing: the environment's setting).
  std::optional<bool> dpop_nonce;

  // Registration (RFC 7591/7592, POST /register) and client ID metadata documents:
  bool registered = false;             // made by /register: its registration access token manages it
  bool from_metadata_document = false; // its client_id is the URL of its metadata document
  std::string registration_token_hash; // hash_secret of its registration access token (RFC 7592 §3)
  int64_t issued_at = 0;               // client_id_issued_at
  std::optional<Json> metadata_document; // the accepted RFC 7591 metadata, as answered
  // /authorize without openid (plain OAuth 2.0): nothing follows the environment's requireOpenid;
  // registered clients do not need it.
  std::optional<bool> require_openid;
  // Any scope the environment's scope checking allows (a registered client without "scope").
  bool any_scope = false;
  // RFC 8707: the resources it may ask tokens for; empty: any.
  std::vector<std::string> resources;

  // What the tokens it gets without a user say about it (client credentials, and jwt-bearer or
  // token exchange without a user), as a user's claims do: fixtures and the management API's
  // authemu fields. oauth/client_claims.h issues and checks them.
  JsonObject claims;                   // extra claims; reserved ones (iss, sub, …) are refused
  std::vector<std::string> groups;     // under the environment's role claim, a JSON array
  std::optional<std::string> username; // preferred_username
};

// The aud claim of the client's tokens.
std::vector<std::string> client_audience(const Client& client);

// base64(sha256(clear)).
std::string hash_secret(std::string_view clear);
// Keeps each secret's clear text only when c authenticates with client_secret_jwt (its HMAC key),
// and forgets it otherwise.
void keep_clear_secrets_for_hmac(Client& c);

// True when clear matches one of the client's secrets. Checks every secret in constant time.
bool secret_matches(const Client& client, std::string_view clear);

// Limits that keep the dynamic store bounded.
constexpr size_t kMaxDynamicClients = 10000;
constexpr size_t kMaxSecretsPerClient = 100;

class ClientStore {
public:
  using Ptr = std::shared_ptr<const Client>;

  explicit ClientStore(std::vector<Client> static_clients);

  // Static clients first, then dynamic ones.
  Ptr find(std::string_view id) const;
  // Dynamic clients only, in creation order (static clients are not listed, as in Formance).
  std::vector<Ptr> list_dynamic() const;
  // Static clients only, by id (the console lists them; Formance's /clients does not).
  std::vector<Ptr> list_static() const;
  Ptr find_dynamic(std::string_view id) const;

  enum class CreateOutcome { created, id_taken, full };
  CreateOutcome create(Client client);
  // Replaces everything but id and secrets. Nothing when the client is not dynamic.
  Ptr update(const Client& options);
  // Replaces the dynamic client of c.id wholesale, secrets included (RFC 7592 §2.2); nothing when
  // there is none.
  Ptr replace(Client c);
  void remove(std::string_view id); // idempotent
  void clear_dynamic();             // back to the fixture's clients

  struct NewSecret {
    ClientSecret secret;
    std::string clear;
  };
  enum class SecretOutcome { ok, no_client, no_secret, full };
  SecretOutcome add_secret(std::string_view client_id, std::string name, std::optional<Metadata> metadata,
                           NewSecret* out);
  SecretOutcome delete_secret(std::string_view client_id, std::string_view secret_id);

  // True when a client's redirectUris hold a URL of origin (as base/origin.h writes it): the
  // origins that CORS answers with credentials.
  bool has_redirect_origin(const std::string& origin) const;

private:
  // Counts the redirect origins of c up (+1) or down (-1); under mutex_ for dynamic clients.
  void count_origins(const Client& c, int delta);

  std::unordered_map<std::string, Ptr> static_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Ptr> dynamic_;
  std::vector<std::string> order_;                           // creation order of dynamic_
  std::unordered_map<std::string, size_t> redirect_origins_; // origin -> clients naming it, static ones included
};

} // namespace authemu
