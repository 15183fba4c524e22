#include "stack/environment.h"

#include <algorithm>

#include "base/base64.h"
#include "base/origin.h"
#include "jose/crypto.h"
#include "oauth/oauth_error.h"

namespace authemu {

Environment::Environment(EnvironmentSettings settings, std::vector<Client> clients, std::vector<User> users,
                         SigningKey key, const Clock& clock, Fetcher* fetcher)
    : settings_(std::move(settings)), clock_(clock), keys_(std::move(key), clock_, settings_.key_rotation_grace),
      clients_(std::move(clients)), client_keys_(fetcher), assertion_replays_(clock_.base()),
      dpop_(clock_, clock_.base(), settings_.name), users_(std::move(users)),
      verifier_(
          keys_, [this](const std::string& iss) { return trusts(iss); }, clock_, &token_store_),
      tokens_(settings_.tokens, clients_, users_, keys_, token_store_, authorizations_, devices_, verifier_, clock_),
      management_(clients_, users_) {
  published_.push_back(settings_.issuer);
  tokens_.set_fetcher(fetcher);
  tokens_.set_dpop(&dpop_, settings_.dpop_nonce);
  tokens_.set_authorize_rules(AuthorizeRules{settings_.require_openid, settings_.require_pkce});
  verifier_.accept_jwt_typed_access_tokens(settings_.tokens.access_token_type == "JWT");
}

SigningKey Environment::foreign_key() {
  Algorithm alg = keys_.active().alg();
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& k : foreign_keys_) {
    if (k.alg() == alg) return k;
  }
  foreign_keys_.push_back(SigningKey::generate(alg));
  return foreign_keys_.back();
}

std::string Environment::issue_initial_access_token() {
  std::string token = base64url_encode(random_bytes(32));
  std::lock_guard<std::mutex> lock(mutex_);
  if (initial_tokens_.size() >= kMaxInitialAccessTokens) initial_tokens_.erase(initial_tokens_.begin());
  initial_tokens_.push_back(sha256(token));
  return token;
}

bool Environment::accepts_initial_access_token(const std::string& token) const {
  bool ok = !settings_.registration_token.empty() && constant_time_equal(token, settings_.registration_token);
  std::string hash = sha256(token);
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& h : initial_tokens_) ok = constant_time_equal(hash, h) || ok;
  return ok;
}

void Environment::reset() {
  clients_.clear_dynamic();
  client_keys_.clear();
  assertion_replays_.clear();
  dpop_.clear();
  users_.reset();
  token_store_.clear();
  authorizations_.clear();
  sessions_.clear();
  devices_.clear();
  clock_.reset();
  keys_.reset();
  std::lock_guard<std::mutex> lock(mutex_);
  published_.assign(1, settings_.issuer);
  initial_tokens_.clear();
  derived_ = 0;
}

IssuerChoice Environment::choose_issuer(const std::optional<std::string>& scheme,
                                        const std::optional<std::string>& host, const std::string& prefix) const {
  IssuerChoice c;
  if (settings_.fixed_issuer || !host) {
    c.issuer = settings_.issuer;
    return c;
  }
  c.issuer = scheme.value_or("http") + "://" + *host + prefix;
  c.derived = true;
  auto authority = normalize_authority(*host, scheme.value_or("http"));
  const auto& configured = settings_.configured_hosts;
  c.configured = authority && std::find(configured.begin(), configured.end(), *authority) != configured.end();
  return c;
}

void Environment::publish_issuer(const IssuerChoice& c) {
  if (!c.derived) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (std::find(published_.begin(), published_.end(), c.issuer) != published_.end()) return;
  if (!c.configured) {
    // Rather a refusal than an issuer other than the one the client's URL names.
    if (derived_ >= kMaxPublishedIssuers) {
      throw oauth::invalid_request("too many distinct issuers from X-Forwarded-Host or host names (" +
                                   std::to_string(kMaxPublishedIssuers) +
                                   "); POST /_authemu/reset forgets them, or configure this host with --base-url or "
                                   "--auth-issuers");
    }
    ++derived_;
  }
  published_.push_back(c.issuer);
}

bool Environment::trusts(const std::string& iss) const {
  if (std::find(settings_.extra_issuers.begin(), settings_.extra_issuers.end(), iss) != settings_.extra_issuers.end()) {
    return true;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  return std::find(published_.begin(), published_.end(), iss) != published_.end();
}

} // namespace authemu
