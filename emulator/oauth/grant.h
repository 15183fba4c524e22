// One grant type of the token endpoint as a value: its wire name, which clients may use it, where
// it works, and its handler. Also the token response every handler returns (RFC 6749 §5.1), as a
// value: the HTTP layer writes its JSON. Knows no registry: the list of grants lives in grant_registry.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/client_certificate.h"
#include "base/json.h"
#include "oauth/form.h"

namespace authemu {

struct AuthenticatedClient;
struct Grant;
struct GrantContext;

// A token request as a grant sees it. client: the authenticated client (client_auth.h); nullptr
// only for a grant that takes a client when one is named, and none was. issuer: the iss of new
// tokens, as the request's environment and host give it. certificate: the TLS connection's client
// certificate, or nullptr. cnf: the confirmation new access tokens carry (RFC 7800 §3.1), when the
// client's tokens are bound (RFC 8705 §3.1: {"x5t#S256": …}).
struct GrantRequest {
  const Params& params;
  const AuthenticatedClient* client;
  const std::string& issuer;
  const Grant& grant;
  const ClientCertificate* certificate = nullptr;
  std::optional<Json> cnf{};
  // RFC 9449: the thumbprint of the key of the request's valid DPoP proof; new access tokens are
  // bound to it (cnf jkt, token_type DPoP). Empty: no proof.
  std::string jkt{};
};

// RFC 6749 §5.1: the members of a successful token response.
struct TokenResponse {
  std::string access_token;
  int64_t expires_in = 0;
  bool dpop = false; // token_type DPoP (RFC 9449 §5), else Bearer
  // Braces: {access_token, expires_in} is a complete initializer.
  std::optional<std::string> refresh_token{};
  std::optional<std::string> scope{};
  std::optional<std::string> id_token{};          // OIDC Core §3.1.3.3
  std::optional<std::string> issued_token_type{}; // RFC 8693 §2.2.1
};

// Which clients without a grantTypes list may use a grant (Formance's defaults).
enum class GrantDefault { nobody, all_clients, confidential_clients };

// Whether the token endpoint authenticates a client before the grant's handler runs: always, or only
// when the request names one (token exchange and jwt-bearer: fctl sends none).
enum class GrantClient { required, when_named };

struct Grant {
  std::string_view name;    // the grant_type value
  bool public_clients;      // false: refused to public clients whatever their grantTypes say
  GrantDefault default_for; // for clients without a grantTypes list
  // Whether the grant works in this environment; nullptr: wherever it has a handler.
  bool (*available)(const GrantContext& ctx);
  // Throws OAuthError; nullptr: a name clients may list, with no handler yet.
  TokenResponse (*handle)(const GrantContext& ctx, const GrantRequest& req);
  GrantClient client = GrantClient::required;
};

} // namespace authemu
