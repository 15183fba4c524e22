// One environment (a Formance stack): its issuer, signing key, clients, users, token state and
// settings, and the services built on them. Environments share nothing; App routes requests to
// one of them. Knows no HTTP.
#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "jose/key_store.h"
#include "oauth/sign_in.h"
#include "oauth/token_service.h"
#include "oauth/token_verifier.h"
#include "stack/management.h"
#include "store/authorization_store.h"
#include "store/client_store.h"
#include "store/device_store.h"
#include "store/session_store.h"
#include "store/token_store.h"
#include "store/user_store.h"

namespace authemu {

// The name people see for an environment's name: "default" for the default one (""), and back.
inline std::string environment_label(const std::string& name) {
  return name.empty() ? "default" : name;
}
inline std::string environment_name(const std::string& label) {
  return label == "default" ? "" : label;
}

struct EnvironmentSettings {
  std::string name;                       // empty for the default environment
  std::string issuer;                     // the configured issuer, no trailing '/'
  bool fixed_issuer = false;              // set by the fixture: never derived from a request
  // The issuer is the default one (no BASE_URL, --browser-url or fixture issuer): a request on a
  // TLS listener gets https://<its host>:<that listener's port><path> instead.
  bool issuer_by_listener = false;
  std::vector<std::string> extra_issuers; // also trusted (--auth-issuers)
  // host[:port] (base/origin.h) of every environment's issuer and of --auth-issuers, and
  // <environment>.<each of those>: issuers derived on them never count against
  // kMaxPublishedIssuers. App fills it in.
  std::vector<std::string> configured_hosts;
  bool check_scopes = false;
  int64_t key_rotation_grace = 86400; // how long a rotated-out key still verifies
  TokenSettings tokens;               // lifetimes, role claim, platform
  // Browser sign-in: "page" shows the login page, "auto" signs in the login_hint's user (or the
  // first user) without one; a client's loginMode wins.
  std::string login_mode = "page";
  bool sign_in_as_anyone = true; // the login page's any-subject form
  // RFC 9449 §8: every DPoP proof must carry a server nonce (a client's dpopNonce wins).
  bool dpop_nonce = false;
  // RFC 7591: open registration (any caller), token (an initial access token, registration_token,
  // as a bearer token), or off (no /register, no registration_endpoint).
  std::string registration = "open";
  std::string registration_token;
  // /authorize without openid: refused for fixture and management clients while true (Formance's
  // rule; a client's requireOpenid wins); registered clients never need it.
  bool require_openid = true;
  bool require_pkce = false;        // every authorization request needs a code_challenge
  bool allow_http_metadata = false; // client ID metadata documents at http:// loopback URLs (tests on one machine)
  // Formance's delegated login: /authorize sends the browser to this issuer's login.
  std::string delegated_issuer, delegated_client_id, delegated_client_secret;

  // The name people see: "default" for the default environment.
  std::string label() const { return environment_label(name); }
};

// Derived issuers an environment remembers on hosts that are not configured (X-Forwarded-Host
// and host names are client input).
constexpr size_t kMaxPublishedIssuers = 64;

// An issuer a request would hand out, before it is published (Environment::publish_issuer).
struct IssuerChoice {
  std::string issuer;
  bool derived = false;    // from the request's host: remembered when published
  bool configured = false; // derived on a configured host: never counts against kMaxPublishedIssuers
};

class Environment {
public:
  // fetcher: how the environment reaches other servers (App's; nullptr in tests that need none).
  Environment(EnvironmentSettings settings, std::vector<Client> clients, std::vector<User> users, SigningKey key,
              const Clock& clock, Fetcher* fetcher = nullptr);

  const EnvironmentSettings& settings() const { return settings_; }
  const std::string& name() const { return settings_.name; }
  // The name people see: "default" for the default environment.
  std::string label() const { return settings_.label(); }

  // The issuer of a request: the configured one, or scheme://host + prefix when a proxy
  // (X-Forwarded-Host) or a host name chose it. Changes nothing.
  IssuerChoice choose_issuer(const std::optional<std::string>& scheme, const std::optional<std::string>& host,
                             const std::string& prefix) const;
  // Trusts a chosen issuer from then on, when a request hands it out, so a token verifies wherever
  // its issuer was published; nothing else is trusted. Past kMaxPublishedIssuers on hosts that are
  // not configured, a new one is an OAuthError invalid_request (reset forgets them).
  void publish_issuer(const IssuerChoice& choice);
  bool trusts(const std::string& iss) const;

  // The environment's own clock (time travel of the admin API), on the server's base clock.
  AdjustableClock& clock() { return clock_; }
  const Clock& clock() const { return clock_; }
  // Back to the fixture state: dynamic clients and secrets, users, tokens and revocations,
  // sessions, codes, pending sign-ins and device requests, clock, signing keys and published issuers as at start.
  void reset();

  const KeyStore& keys() const { return keys_; }
  KeyStore& keys() { return keys_; }
  // A key of the active key's algorithm that no JWKS publishes, for minted negative cases;
  // made on first use of each algorithm.
  SigningKey foreign_key();
  ClientStore& clients() { return clients_; }
  // What client authentication reads: the clients, their keys, the clock.
  ClientAuthSources client_auth() {
    return ClientAuthSources{clients_, &client_keys_, &clock_, &clock_.base(), &assertion_replays_};
  }
  // RFC 7591 §3: registration's initial access tokens, --registration-token and those the admin API
  // issued (at most kMaxInitialAccessTokens kept, the oldest dropped first; reset forgets them).
  std::string issue_initial_access_token();
  bool accepts_initial_access_token(const std::string& token) const;
  // DPoP (RFC 9449): proof checks, their jti and the server nonces.
  Dpop& dpop() { return dpop_; }
  ReplayCache& assertion_replays() { return assertion_replays_; }
  const UserStore& users() const { return users_; }
  UserStore& users() { return users_; }
  AuthorizationStore& authorizations() { return authorizations_; }
  SessionStore& sessions() { return sessions_; }
  DeviceStore& devices() { return devices_; }
  TokenStore& token_store() { return token_store_; }
  const TokenVerifier& verifier() const { return verifier_; }
  const TokenService& tokens() const { return tokens_; }
  TokenService& tokens() { return tokens_; }
  ManagementApi& management() { return management_; }
  // The browser sign-in's view of this environment (oauth/sign_in.h).
  SignInContext sign_in() {
    return SignInContext{tokens_.context(),           users_, sessions_, settings_.login_mode,
                         settings_.sign_in_as_anyone, label()};
  }

private:
  EnvironmentSettings settings_;
  AdjustableClock clock_;
  KeyStore keys_;
  ClientStore clients_;
  ClientKeys client_keys_;
  ReplayCache assertion_replays_; // client assertions' jti (RFC 7523 §3)
  Dpop dpop_;                     // DPoP proofs' jti and nonces (RFC 9449)
  UserStore users_;
  TokenStore token_store_;
  AuthorizationStore authorizations_;
  SessionStore sessions_;
  DeviceStore devices_;
  TokenVerifier verifier_;
  TokenService tokens_;
  ManagementApi management_;
  mutable std::mutex mutex_;
  std::vector<std::string> published_;
  size_t derived_ = 0;                   // published issuers on hosts that are not configured; under mutex_
  std::vector<SigningKey> foreign_keys_; // under mutex_
  std::vector<std::string> initial_tokens_; // SHA-256 of each; under mutex_
};

constexpr size_t kMaxInitialAccessTokens = 100;

// The environments of a server, the default one first. Shared: a request keeps the list it was
// routed with (and its environments) alive while an environment made at run time is removed.
using Environments = std::vector<std::shared_ptr<Environment>>;

} // namespace authemu
