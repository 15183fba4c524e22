// Client authentication (RFC 6749 §2.3), the one place for it: the registered methods and the
// function that turns a request's credentials into an authenticated client or an OAuthError
// (invalid_client, invalid_request). Endpoints decide which clients they accept; no HTTP here.
// A new method is a client_auth_<name>.cpp plus one line in client_auth.cpp's list.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oauth/form.h"
#include "store/client_store.h"

namespace authemu {

// "client authentication required: …": the request presents no method's credentials.
extern const char kNoClientCredentials[];

struct BasicCredentials {
  std::string id, secret;         // form-decoded, as RFC 6749 Appendix B says
  std::string raw_id, raw_secret; // as sent, for clients that do not encode (curl -u, Authlib)
};

// Parses an Authorization header. Nothing when absent or another scheme; throws OAuthError
// invalid_client when it is Basic but malformed. (client_auth_basic.cpp)
std::optional<BasicCredentials> parse_basic(const std::optional<std::string>& authorization);

// What a request presents to authenticate its client. RFC 6749 §2.3.1's Basic header and
// client_id are read once, in that order; a method reads any other parameter of its own from params.
struct ClientCredentials {
  const Params& params;
  std::optional<std::string> authorization;
  std::optional<BasicCredentials> basic;
  std::optional<std::string> client_id;
};
// Throws OAuthError: invalid_client for a malformed Basic header, invalid_request for a repeated
// client_id.
ClientCredentials read_client_credentials(const Params& params, std::optional<std::string> authorization);

struct AuthenticatedClient {
  ClientStore::Ptr client;
  std::string_view method; // the method that identified it: client_secret_basic, client_secret_post, none
  bool proven = false;     // false: a public client that only named itself
};

struct ClientAuthMethod {
  std::string_view name;  // token_endpoint_auth_method (RFC 7591 §2), as discovery lists it
  std::string_view label; // how messages name its credentials ("HTTP Basic")
  // Carries proof of the client's identity (a secret, a key). A method without (none) is used only
  // when no method with proof is presented.
  bool proves;
  // Its credentials name the client by themselves (client_secret_post's secret does not: its
  // client_id does, as for none).
  bool names_client;
  // Whether the request carries this method's credentials; throws OAuthError when they are unreadable.
  bool (*presented)(const ClientCredentials& c);
  // Throws OAuthError.
  AuthenticatedClient (*authenticate)(const ClientStore& clients, const ClientCredentials& c);
};

// Every method, in the registry's order (discovery's and the order their presence is read).
const std::vector<const ClientAuthMethod*>& all_client_auth_methods();
// Discovery's lists (RFC 8414 §2): every method's name, or those of methods with proof.
std::vector<std::string> client_auth_method_names(bool with_proof_only);

// Identifies and authenticates the client by the one method its request presents (RFC 6749 §2.3:
// one method per request). Throws OAuthError (invalid_client, invalid_request).
AuthenticatedClient authenticate_client(const ClientStore& clients, const ClientCredentials& c);

// The client of one request, authenticated when first asked and then remembered: a route's row
// says that it needs one, the endpoint's rules say when (the token endpoint checks grant_type
// first; token exchange and jwt-bearer authenticate a client only when the request names one).
class RequestClient {
public:
  RequestClient(const ClientStore& clients, const Params& params, std::optional<std::string> authorization)
      : clients_(clients), params_(params), authorization_(std::move(authorization)) {}

  // Whether the request names a client (a method with names_client is presented). Throws OAuthError
  // when its credentials are unreadable.
  bool named() const;
  // Throws OAuthError.
  const AuthenticatedClient& get() const;

private:
  const ClientCredentials& credentials() const;

  const ClientStore& clients_;
  const Params& params_;
  std::optional<std::string> authorization_;
  mutable std::optional<ClientCredentials> credentials_;
  mutable std::optional<AuthenticatedClient> client_;
};

} // namespace authemu
