// The one error type of the OAuth endpoints (RFC 6749 §5.2). Only the factories below make one
// (its constructor is private to oauth_error.cpp), and the HTTP layer alone turns it into a
// response. Descriptions never contain secrets or tokens.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

#include "base/json.h"

namespace authemu {

class OAuthError : public std::runtime_error {
public:
  const std::string& code() const { return code_; }
  std::string description() const { return what(); }
  int status() const { return status_; }
  // Members of the body besides error and error_description (slow_down's interval).
  const JsonObject& extra() const { return extra_; }
  // RFC 6749 §5.2 body: {"error":…,"error_description":…} and the extra members.
  std::string body() const;
  // RFC 9449 §8: the server nonce a use_dpop_nonce answer carries in its DPoP-Nonce header.
  const std::string& dpop_nonce() const { return dpop_nonce_; }
  // A short stable name of why client authentication failed ("assertion_replayed"), for the
  // journal; empty for other errors.
  const std::string& reason() const { return reason_; }
  OAuthError&& with_reason(std::string reason) && {
    reason_ = std::move(reason);
    return std::move(*this);
  }

private:
  friend struct OAuthErrorMaker; // oauth_error.cpp
  OAuthError(std::string code, std::string description, int status, JsonObject extra = {})
      : std::runtime_error(description), code_(std::move(code)), status_(status), extra_(std::move(extra)) {}

  std::string code_;
  int status_;
  JsonObject extra_;
  std::string dpop_nonce_;
  std::string reason_;
};

namespace oauth {
// RFC 6749 §5.2 (token endpoint), §4.1.2.1 (authorization endpoint): 400 unless said.
OAuthError invalid_request(const std::string& description);
// 401; the response carries WWW-Authenticate (RFC 6749 §5.2).
OAuthError invalid_client(const std::string& description);
OAuthError invalid_grant(const std::string& description);
OAuthError unauthorized_client(const std::string& description);
OAuthError unsupported_grant_type(const std::string& description);
OAuthError invalid_scope(const std::string& description);
OAuthError access_denied(const std::string& description);
OAuthError unsupported_response_type(const std::string& description);
OAuthError method_not_allowed(const std::string& description); // invalid_request with 405
OAuthError server_error(const std::string& description);       // 500
// OIDC Core §3.1.2.6: prompt=none without a usable session.
OAuthError login_required(const std::string& description);
// OIDC Core §6.1: request objects.
OAuthError request_not_supported(const std::string& description);
// RFC 9126 §2.2: an unknown, expired, used or another client's request_uri.
OAuthError invalid_request_uri(const std::string& description);
// RFC 7591 §3.2.2: registration metadata refused (400).
OAuthError invalid_client_metadata(const std::string& description);
OAuthError invalid_redirect_uri(const std::string& description);
// RFC 8707 §2: a resource or audience this server cannot issue for.
OAuthError invalid_target(const std::string& description);
// RFC 6750 §3.1: 403, the token lacks a scope the resource needs.
OAuthError insufficient_scope(const std::string& description);
// RFC 8628 §3.5: the device code grant's answers while the device polls.
OAuthError authorization_pending(const std::string& description);
// slow_down carries the interval the device must now wait (seconds) as a member, as GitHub's does.
OAuthError slow_down(const std::string& description, int64_t interval);
OAuthError expired_token(const std::string& description);
// RFC 9449 §5, §7.1: a DPoP proof that does not hold (400 at the token endpoint; the resources
// answer it as 401 in WWW-Authenticate).
OAuthError invalid_dpop_proof(const std::string& description);
// RFC 9449 §8: the proof must carry this server nonce (sent in DPoP-Nonce).
OAuthError use_dpop_nonce(const std::string& description, const std::string& nonce);
// An error whose code and status come from outside this server's rules: an injected fault, a
// queued sign-in, the transport's refusal. code is sent as given.
OAuthError with_code(const std::string& code, const std::string& description, int status);
} // namespace oauth

} // namespace authemu
