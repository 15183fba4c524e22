#include "token_service.h"

#include "crypto.h"
#include "oauth_error.h"

namespace authemu {

namespace {
constexpr char kClientCredentials[] = "client_credentials";
}

TokenService::TokenService(TokenSettings settings, const ClientStore& clients, const KeyStore& keys, const Clock& clock)
    : settings_(std::move(settings)), clients_(clients), keys_(keys), clock_(clock) {}

std::vector<std::string> TokenService::supported_grant_types() { return {kClientCredentials}; }

std::string TokenService::token(const Params& params, const std::optional<std::string>& authorization) const {
  auto grant = params.get("grant_type");
  if (!grant) throw oauth::invalid_request("grant_type missing");
  if (*grant == kClientCredentials) return client_credentials(params, authorization);
  throw oauth::unsupported_grant_type(*grant + " not supported");
}

TokenService::Issued TokenService::issue_access_token(const std::string& client_id, const std::string& subject,
                                                      const std::vector<std::string>& audience,
                                                      const std::string& scope, int64_t lifetime,
                                                      const JsonObject& extra_claims) const {
  int64_t now = clock_.now();
  JsonObject claims = extra_claims;
  // Formance's claim set (aud array, exp, iat, iss, jti, nbf, scope always present) plus
  // RFC 9068 §2.2's sub and client_id.
  claims["aud"] = json_string_array(audience);
  claims["client_id"] = json_string(client_id);
  claims["exp"] = json_int(now + lifetime);
  claims["iat"] = json_int(now);
  claims["iss"] = json_string(settings_.issuer);
  claims["jti"] = json_string(uuid_v4());
  claims["nbf"] = json_int(now);
  claims["scope"] = json_string(scope);
  claims["sub"] = json_string(subject);
  return Issued{keys_.sign(claims, "at+jwt"), lifetime};
}

}  // namespace authemu
