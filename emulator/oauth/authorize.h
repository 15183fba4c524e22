// The authorization endpoint's rules (RFC 6749 §3.1, §4.1.1, §4.1.2; OIDC Core §3.1.2; RFC 7636;
// RFC 8252 §7.3; RFC 9207): turns the parameters into a validated AuthorizationRequest, and an
// answer into the redirect that carries it. Which user signs in, and how, is the HTTP layer's.
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "oauth/form.h"
#include "oauth/oauth_error.h"
#include "store/authorization_store.h"
#include "store/client_store.h"

namespace authemu {

// Errors of an authorization request come in two kinds (RFC 6749 §4.1.2.1, §10.15). One that must
// not be redirected (unknown client, missing or unregistered redirect_uri, a repeated client_id) is
// a plain OAuthError invalid_request, shown to the user on a page. Any other is an
// AuthorizeRedirectError, sent back to the client's redirect_uri.
class AuthorizeRedirectError : public OAuthError {
public:
  AuthorizeRedirectError(const OAuthError& e, AuthorizationRequest where) : OAuthError(e), where_(std::move(where)) {}
  const AuthorizationRequest& where() const { return where_; } // redirect_uri, response_mode, state, issuer
private:
  AuthorizationRequest where_;
};

// A missing or unregistered redirect_uri: an OAuthError invalid_request (never redirected) that
// keeps the client, so that the page can list its redirect URIs and say how to add one.
class RedirectUriError : public OAuthError {
public:
  RedirectUriError(const OAuthError& e, ClientStore::Ptr client, bool missing = false)
      : OAuthError(e), client_(std::move(client)), missing_(missing) {}
  const Client& client() const { return *client_; }
  // redirect_uri left out while the client has several: one of them is the fix, not a new one.
  bool missing() const { return missing_; }

private:
  ClientStore::Ptr client_;
  bool missing_;
};

// True when registered is an http loopback IP literal, which redirect_uri_matches accepts on any port.
bool matches_any_port(const std::string& registered);

// Limits on the values the request carries into pages, codes and tokens.
constexpr size_t kMaxAuthorizeValue = 2048;

// RFC 9700 §4.1.3 exact match, except any port for http loopback IP literals (RFC 8252 §7.3).
bool redirect_uri_matches(const std::string& registered, const std::string& given);

// The client and redirect_uri checks alone (what decides whether an error may be redirected).
// Throws OAuthError invalid_request (never redirected); RedirectUriError when the client is known.
struct ClientRedirect {
  ClientStore::Ptr client;
  std::string redirect_uri;
  bool sent = false;
};
// Redirect URIs a client may use besides its redirectUris (a delegating environment's callback).
using ExtraRedirect = std::function<bool(const Client&, const std::string&)>;
ClientRedirect check_client_redirect(const ClientStore& clients, const std::optional<std::string>& client_id,
                                     const std::optional<std::string>& redirect_uri, const ExtraRedirect& extra = {});

// The whole request. issuer: the iss of its answers. Throws OAuthError (a page) or
// AuthorizeRedirectError. Scopes outside OpenID Connect's are kept when the client lists them.
// What an environment asks of authorization requests besides the protocol.
struct AuthorizeRules {
  bool require_openid = true; // Formance's rule, for clients that are not registered (a client's requireOpenid wins)
  bool require_pkce = false;  // every client sends a code_challenge (MCP, OAuth 2.1)
};

AuthorizationRequest parse_authorization_request(const AuthorizeRules& rules, const Params& params,
                                                 const ClientStore& clients,
                                                 const std::string& issuer, const ExtraRedirect& extra = {});

bool has_prompt(const AuthorizationRequest& r, const char* value);

// The parameters of an answer: code (or error and error_description), then state and iss.
using AnswerParams = std::vector<std::pair<std::string, std::string>>;
AnswerParams code_answer(const AuthorizationRequest& r, const std::string& code);
AnswerParams error_answer(const AuthorizationRequest& r, const OAuthError& e);
// The Location of a query or fragment answer (form_post answers are a page: http/pages.h).
std::string answer_location(const AuthorizationRequest& r, const AnswerParams& params);

} // namespace authemu
