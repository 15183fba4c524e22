// The token endpoint's logic (RFC 6749 §3.2): parameter rules, grant dispatch, and the issuing
// of signed access tokens. One member per grant, each in its grant_<name>.cpp. Throws OAuthError;
// never sees HTTP types beyond the parsed parameters and the Authorization header.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "client_store.h"
#include "clock.h"
#include "form.h"
#include "json.h"
#include "key_store.h"

namespace authemu {

struct TokenSettings {
  std::string issuer;
  int64_t access_token_lifetime = 3600;  // Formance ExpirationToken2Legged
  int64_t user_token_lifetime = 300;     // Formance ExpirationToken3Legged
};

class TokenService {
 public:
  TokenService(TokenSettings settings, const ClientStore& clients, const KeyStore& keys, const Clock& clock);

  // Returns the JSON body of a successful response (RFC 6749 §5.1).
  std::string token(const Params& params, const std::optional<std::string>& authorization) const;

  // Grant types that work, for discovery.
  static std::vector<std::string> supported_grant_types();

 private:
  struct Issued {
    std::string token;
    int64_t expires_in;
  };
  // Signs an RFC 9068 access token.
  Issued issue_access_token(const std::string& client_id, const std::string& subject,
                            const std::vector<std::string>& audience, const std::string& scope,
                            int64_t lifetime, const JsonObject& extra_claims) const;

  std::string client_credentials(const Params& params, const std::optional<std::string>& authorization) const;

  TokenSettings settings_;
  const ClientStore& clients_;
  const KeyStore& keys_;
  const Clock& clock_;
};

}  // namespace authemu
