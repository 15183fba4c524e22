// Client authentication at the token endpoint (RFC 6749 §2.3): HTTP Basic with form-encoded
// values (Appendix B), or client_id/client_secret parameters; one method per request.
#pragma once
#include <optional>
#include <string>

#include "oauth/form.h"
#include "store/client_store.h"

namespace authemu {

struct BasicCredentials {
  std::string id, secret;         // form-decoded, as RFC 6749 Appendix B says
  std::string raw_id, raw_secret; // as sent, for clients that do not encode (curl -u, Authlib)
};

// Parses an Authorization header. Nothing when absent or another scheme; throws OAuthError
// invalid_client when it is Basic but malformed.
std::optional<BasicCredentials> parse_basic(const std::optional<std::string>& authorization);

struct AuthenticatedClient {
  ClientStore::Ptr client;
  bool via_basic = false;
  bool with_secret = false; // false: a public client that sent only its client_id
};

// Identifies and authenticates the client; throws OAuthError (invalid_client, invalid_request).
AuthenticatedClient authenticate_client(const ClientStore& clients, const Params& params,
                                        const std::optional<BasicCredentials>& basic);

} // namespace authemu
