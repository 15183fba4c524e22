// Bearer tokens on resource requests (RFC 6750), the one place for them: the registered token
// kinds (where a request may carry its token), and the function that turns a request into a
// verified token or a typed failure, with Formance's scope rule. Writes no response: the HTTP layer
// answers each failure in its area's shape. A new kind is a bearer_<name>.cpp plus one line in
// bearer_auth.cpp's list.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/http_types.h"
#include "oauth/dpop.h"
#include "oauth/form.h"
#include "oauth/token_verifier.h"

namespace authemu {

// A request as the token kinds read it.
struct BearerRequest {
  const HttpRequest& req;
  const RequestForm& form;
  bool form_token = false; // RFC 6750 §2.2: this resource takes a token in a POST's form body too
  // RFC 9449 §7: the environment's DPoP checks (nullptr: the DPoP scheme is not read), the URLs
  // the request was sent to (htu), and whether proofs need a server nonce.
  Dpop* dpop = nullptr;
  std::vector<std::string> urls{};
  bool dpop_nonce = false;
};

// A token a kind found; malformed: carried in the kind's place but not readable as a token.
struct PresentedToken {
  std::string token;
  bool malformed = false;
};

struct BearerKind {
  std::string_view name;  // the kind, e.g. "header" (RFC 6750 §2.1)
  std::string_view where; // where messages say it was sent: "in the header"
  // The token this kind finds in the request; nothing when it carries none. Throws OAuthError
  // invalid_request when what it carries cannot be read (a malformed form body).
  std::optional<PresentedToken> (*find)(const BearerRequest& r);
  // For a kind that binds its token to the request (DPoP: the proof's key is the token's cnf.jkt):
  // why the verified token does not hold here, nothing when it does; may throw OAuthError
  // invalid_dpop_proof or use_dpop_nonce. nullptr: nothing to check.
  std::optional<std::string> (*unbound)(const BearerRequest& r, const std::string& token, const VerifiedToken& t) = nullptr;
  bool dpop = false; // the DPoP scheme (RFC 9449 §7.1): its refusals are the DPoP challenge's
};

// RFC 6750 §2.1, RFC 9449 §7.1: the token68 of an Authorization header of this scheme (compared
// without case); nothing when the header is absent or of another scheme, malformed when the
// scheme carries no token or one with characters outside token68.
std::optional<PresentedToken> authorization_token(const HttpRequest& req, std::string_view scheme);

// Every kind, in the registry's order (the order a request's places are read).
const std::vector<const BearerKind*>& all_bearer_kinds();

// Why a request's bearer token was refused.
struct BearerFailure {
  enum class Reason {
    missing,            // no token (RFC 6750 §3.1: no error code)
    invalid_request,    // two tokens, or an unreadable form (description says which)
    malformed,          // a token's place holds no token (the Authorization header)
    invalid_token,      // the verifier refused it (description: why)
    insufficient_scope, // Formance's scope rule (scope: what it lacks)
    invalid_dpop_proof, // RFC 9449 §7.1: the proof does not hold
    use_dpop_nonce,     // RFC 9449 §9: the proof needs the server nonce (nonce: the one to use)
  };
  Reason reason;
  std::string description;
  std::string scope;
  bool dpop = false; // the request used the DPoP scheme
  std::string nonce; // use_dpop_nonce: the DPoP-Nonce to send
};

struct BearerResult {
  std::optional<VerifiedToken> token;
  BearerFailure failure{BearerFailure::Reason::missing, "", ""}; // when no token
};

// The request's one bearer token, verified as an access token of this environment. scope_service:
// Formance's scope rule for that service (see missing_scope); empty: no scope rule.
BearerResult authenticate_bearer(const TokenVerifier& verifier, const BearerRequest& r,
                                 const std::string& scope_service);

// RFC 8705 §3: why a token bound to a certificate (cnf x5t#S256) does not hold on req's connection,
// nothing when it does or is not bound to one.
std::optional<std::string> certificate_mismatch(const HttpRequest& req, const VerifiedToken& t);

// The Formance scope rule (go-libs auth, the gateway): reads (GET, HEAD, OPTIONS, TRACE) need
// <service>:read or <service>:write, anything else <service>:write. Returns the scope a refused
// request lacks, nothing when allowed.
std::optional<std::string> missing_scope(const VerifiedToken& t, const std::string& service, const std::string& method);

} // namespace authemu
