// Client authentication (RFC 6749 §2.3), the one place for it: the registered methods and the
// function that turns a request's credentials into an authenticated client or an OAuthError
// (invalid_client, invalid_request). Endpoints decide which clients they accept; no HTTP here.
// A new method is a client_auth_<name>.cpp plus one line in client_auth.cpp's list.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/client_certificate.h"
#include "base/clock.h"
#include "oauth/client_keys.h"
#include "oauth/form.h"
#include "oauth/replay_cache.h"
#include "store/client_store.h"

namespace authemu {

// "client authentication required: …": the request presents no method's credentials.
extern const char kNoClientCredentials[];
// RFC 7523 §2.2: the client_assertion_type of JWT client authentication.
extern const char kJwtBearerAssertionType[];

struct BasicCredentials {
  std::string id, secret;         // form-decoded, as RFC 6749 Appendix B says
  std::string raw_id, raw_secret; // as sent, for clients that do not encode (curl -u, Authlib)
};

// Parses an Authorization header. Nothing when absent or another scheme; throws OAuthError
// invalid_client when it is Basic but malformed. (client_auth_basic.cpp)
std::optional<BasicCredentials> parse_basic(const std::optional<std::string>& authorization);

// What client authentication reads besides the request: an environment's clients, their keys
// (jwks_uri sets kept), its clock and real time (a certificate's validity: what clients make is
// made on real time, so it passes when valid on either). keys and the clocks may be nullptr where
// no method needs them (a client without keys; tests).
struct ClientAuthSources {
  // Implicit: the clients alone are the sources of a test, or of a caller whose clients have no keys.
  ClientAuthSources(const ClientStore& clients, ClientKeys* keys = nullptr, const Clock* clock = nullptr,
                    const Clock* real_clock = nullptr, ReplayCache* replays = nullptr)
      : clients(clients), keys(keys), clock(clock), real_clock(real_clock), replays(replays) {}
  const ClientStore& clients;
  ClientKeys* keys;
  const Clock* clock;
  const Clock* real_clock;
  ReplayCache* replays; // client assertions' jti (RFC 7523 §3 item 7); nullptr: not checked
};

// What a request presents to authenticate its client. RFC 6749 §2.3.1's Basic header and
// client_id are read once, in that order; a method reads any other parameter of its own from params.
struct ClientCredentials {
  const Params& params;
  std::optional<std::string> authorization;
  std::optional<BasicCredentials> basic;
  std::optional<std::string> client_id;
  // The TLS connection's client certificate (RFC 8705), or none.
  std::shared_ptr<const ClientCertificate> certificate{};
  // The client client_id names, when there is one: its registered method says whether the
  // certificate authenticates it (RFC 8705 §2: client_id names an mTLS client).
  ClientStore::Ptr registered{};
  ClientKeys* keys = nullptr;
  const Clock* clock = nullptr;
  const Clock* real_clock = nullptr;
  ReplayCache* replays = nullptr;
  // The aud values a client assertion may name (RFC 7523 §3, OIDC Core §9, RFC 9126 §2): the
  // issuer, the token endpoint's URL, the URL of the endpoint called.
  std::vector<std::string> audiences{};
};
// Throws OAuthError: invalid_client for a malformed Basic header, invalid_request for a repeated
// client_id.
ClientCredentials read_client_credentials(const ClientAuthSources& sources, const Params& params,
                                          std::optional<std::string> authorization,
                                          std::shared_ptr<const ClientCertificate> certificate = nullptr,
                                          std::vector<std::string> audiences = {});

struct AuthenticatedClient {
  ClientStore::Ptr client;
  std::string_view method; // the method that identified it (a ClientAuthMethod's name)
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
// Discovery's lists (RFC 8414 §2): every method's name, or those of methods with proof; tls:
// with the mutual-TLS methods (a server with a TLS listener, which asks for certificates).
std::vector<std::string> client_auth_method_names(bool with_proof_only, bool tls = true);
// True for the methods that need the TLS client certificate (RFC 8705 §2).
bool is_mtls_method(std::string_view name);

// The client-authentication fields of a client as fixtures and the management API take them: a
// known tokenEndpointAuthMethod that suits public (none) or confidential clients, exactly one RFC
// 8705 §2.1.2 subject value (a valid DN, an IP address) for tls_client_auth and none otherwise,
// jwks or jwksUri (not both) for self_signed_tls_client_auth, a readable JWK set, an absolute
// http(s) jwksUri. Returns "<camelCase field>: what", nothing when they are fine.
std::optional<std::string> client_auth_fields_problem(const Client& c);

// Identifies and authenticates the client by the one method its request presents (RFC 6749 §2.3:
// one method per request). Throws OAuthError (invalid_client, invalid_request).
AuthenticatedClient authenticate_client(const ClientStore& clients, const ClientCredentials& c);

// The client of one request, authenticated when first asked and then remembered: a route's row
// says that it needs one, the endpoint's rules say when (the token endpoint checks grant_type
// first; token exchange and jwt-bearer authenticate a client only when the request names one).
class RequestClient {
public:
  RequestClient(const ClientAuthSources& sources, const Params& params, std::optional<std::string> authorization,
                std::shared_ptr<const ClientCertificate> certificate = nullptr, std::vector<std::string> audiences = {})
      : sources_(sources), params_(params), authorization_(std::move(authorization)),
        certificate_(std::move(certificate)), audiences_(std::move(audiences)) {}

  // Whether the request names a client (a method with names_client is presented). Throws OAuthError
  // when its credentials are unreadable.
  bool named() const;
  // The client the request names (Basic, client_id, or a client assertion's sub), looked up
  // without authenticating anything; nullptr when it names none that exists. Never throws.
  ClientStore::Ptr named_client() const;
  // Throws OAuthError.
  const AuthenticatedClient& get() const;
  // The TLS connection's client certificate, or nullptr (RFC 8705 §3: what tokens are bound to).
  const ClientCertificate* certificate() const { return certificate_.get(); }
  // For the journal: the method that authenticated the client, or why authentication failed (the
  // error's reason code, else its OAuth error code); both empty until get() ran.
  const std::string& method_used() const { return method_used_; }
  const std::string& failure() const { return failure_; }

private:
  const ClientCredentials& credentials() const;

  ClientAuthSources sources_;
  const Params& params_;
  std::optional<std::string> authorization_;
  std::shared_ptr<const ClientCertificate> certificate_;
  std::vector<std::string> audiences_;
  mutable std::optional<ClientCredentials> credentials_;
  mutable std::optional<AuthenticatedClient> client_;
  mutable std::string method_used_, failure_;
};

} // namespace authemu
