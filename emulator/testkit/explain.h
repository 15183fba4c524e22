// Why a JWT would be accepted or refused here: decodes it and runs every check against the
// environments of this server (which key signed it, iss, aud, exp/nbf/iat by the environment's
// clock, typ, revocation, binding), each with a stable reason and a message for people. Reads
// keys, clocks, clients and the token store; writes nothing. Never repeats the token itself.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "stack/environment.h"

namespace authemu {

struct ExplainRequest {
  std::string token;
  std::optional<std::string> audience;     // aud must contain it; default: the token's client's audience
  std::optional<std::string> nonce;        // an ID token's nonce must be it (OIDC Core §3.1.3.7)
  std::optional<std::string> access_token; // an ID token's at_hash must be its (OIDC Core §3.2.2.9)
};

struct ExplainCheck {
  std::string check;  // format, signature, iss, aud, exp, nbf, iat, typ, revoked, cnf, nonce, at_hash
  bool ok = false;
  std::string reason; // stable: signed, expired, alg_none, wrong_secret, unknown_key, …
  std::string message;
};

struct Explanation {
  bool valid = false;          // every check ok
  Environment* environment{};  // the environment whose key signed it (else whose issuer it names), or none
  JsonObject header, claims;   // decoded, unverified
  int64_t now = 0;             // the clock the times were judged by
  std::vector<ExplainCheck> checks;
};

// environments: the default one first (its clock judges a token no environment claims).
Explanation explain_token(const ExplainRequest& request, const std::vector<Environment*>& environments);
// {"valid", "environment", "header", "claims", "now", "dates", "checks": [{"check","ok","reason","message"}]}
Json explanation_json(const Explanation& e);
// "in 4 min", "3 min ago", "now": seconds from now in people's words.
std::string relative_time(int64_t seconds);

} // namespace authemu
