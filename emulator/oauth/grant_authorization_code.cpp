// RFC 6749 §4.1.3: the authorization code grant, with PKCE (RFC 7636 §4.5, §4.6). A code is single
// use, bound to its client, redirect_uri and code_challenge; a second use revokes what the first
// one issued (§4.1.2).
#include <algorithm>

#include "base/base64.h"
#include "jose/crypto.h"
#include "oauth/resource.h"
#include "oauth/grant_context.h"
#include "oauth/grant_registry.h"
#include "oauth/oauth_error.h"
#include "oauth/scope.h"

namespace authemu {

namespace {

// RFC 7636 §4.1: 43 to 128 characters of [A-Z] [a-z] [0-9] - . _ ~
bool valid_verifier(const std::string& v) {
  if (v.size() < 43 || v.size() > 128) return false;
  return std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
  });
}

void check_pkce(const AuthorizationRequest& r, const std::optional<std::string>& verifier) {
  if (r.code_challenge.empty()) {
    if (verifier) throw oauth::invalid_grant("code_verifier sent, but the authorization request had no code_challenge");
    return;
  }
  if (!verifier) throw oauth::invalid_grant("code_verifier missing: the authorization request had a code_challenge");
  if (!valid_verifier(*verifier)) {
    throw oauth::invalid_request("code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~");
  }
  // RFC 7636 §4.6: S256 compares BASE64URL(SHA256(verifier)); plain compares the strings.
  std::string expected = r.code_challenge_method == "S256" ? base64url_encode(sha256(*verifier)) : *verifier;
  if (!constant_time_equal(expected, r.code_challenge)) {
    throw oauth::invalid_grant("code_verifier does not match the code_challenge");
  }
}

TokenResponse handle(const GrantContext& ctx, const GrantRequest& req) {
  auto found = ctx.client_for_grant(req);
  const Client& client = *found;
  auto code = req.params.get("code");
  if (!code) throw oauth::invalid_request("code missing");
  int64_t now = ctx.clock.now();

  auto peek = ctx.authorizations.peek_code(*code, now);
  if (!peek) {
    AuthorizationCode first;
    if (ctx.authorizations.redeem_code(*code, "", now, &first) == AuthorizationStore::Redeem::reused &&
        first.request.client_id == client.id) {
      ctx.store.revoke_family(first.family, now); // RFC 6749 §4.1.2
      throw oauth::invalid_grant("authorization code already used; the tokens issued for it are revoked");
    }
    throw oauth::invalid_grant("authorization code unknown, expired or already used");
  }
  const AuthorizationRequest& r = peek->request;
  // Every binding is checked before the code is used up: a refused request changes nothing.
  if (r.client_id != client.id) throw oauth::invalid_grant("authorization code was issued to another client");
  auto redirect_uri = req.params.get("redirect_uri");
  if (r.redirect_uri_sent && !redirect_uri) {
    throw oauth::invalid_request("redirect_uri missing: the authorization request had one (RFC 6749 section 4.1.3)");
  }
  if (redirect_uri && *redirect_uri != r.redirect_uri) {
    throw oauth::invalid_grant("redirect_uri does not match the authorization request's");
  }
  check_pkce(r, req.params.get("code_verifier"));
  // RFC 8707 §2.2: the token request may name a subset of the authorized resources.
  std::vector<std::string> requested_resources = read_resources(req.params, client);
  check_within(requested_resources, r.resources);
  // RFC 9449 §10.1: a code bound to a DPoP key is redeemed with a proof by that key.
  if (!r.dpop_jkt.empty() && req.jkt != r.dpop_jkt) {
    throw oauth::invalid_grant(std::string("authorization code is bound to a DPoP key (dpop_jkt): ") +
                               (req.jkt.empty() ? "this request has no DPoP proof" : "this request's proof is signed by another key"));
  }

  std::string family = uuid_v4();
  AuthorizationCode c;
  if (ctx.authorizations.redeem_code(*code, family, now, &c) != AuthorizationStore::Redeem::ok) {
    throw oauth::invalid_grant("authorization code already used"); // a concurrent request won
  }
  auto user = ctx.users.find(c.sign_in.user_id);
  if (user == nullptr) throw oauth::invalid_grant("the code's user no longer exists");

  RefreshGrant grant = sign_in_grant(c.sign_in, r.scope);
  grant.family = family;
  grant.audience = r.resources; // RFC 8707: the authorization's resources, the grant's ceiling
  UserTokenOptions options;
  if (!requested_resources.empty()) options.audience = requested_resources;
  options.nonce = r.nonce;
  options.refresh_token = offline_refresh(client, r.scope);
  return ctx.user_token_response(req, client, *user, r.scope, true, grant, options);
}

} // namespace

extern const Grant kAuthorizationCodeGrant = {"authorization_code", true, GrantDefault::all_clients, nullptr, handle};

} // namespace authemu
