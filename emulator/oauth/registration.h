// Dynamic client registration (RFC 7591) and its management (RFC 7592): client metadata read and
// checked with the RFC's errors into a Client of the environment's store, and the answers' JSON.
// No HTTP, no store: the route keeps the client, this decides what it is.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "base/json.h"
#include "store/client_store.h"

namespace authemu {

constexpr size_t kMaxRegistrationBytes = 16 * 1024; // a registration's JSON body
constexpr size_t kMaxRegistrationList = 20;         // redirect_uris, grant_types, contacts, …
constexpr size_t kMaxRegistrationValue = 2048;      // one URI or string

// A client from RFC 7591 §2 metadata: defaults (grant_types [authorization_code], response_types
// [code] with it, client_secret_basic), redirect URIs (absolute, no fragment, https, loopback http,
// or a private-use scheme), consistency, keys; unknown members ignored. The result has id, no
// secret, registered = true and metadata_document = the accepted metadata. Throws OAuthError
// invalid_redirect_uri or invalid_client_metadata naming the member.
Client client_from_metadata(const JsonObject& metadata, const std::string& client_id);

// Whether the client gets a client_secret (RFC 7591 §3.2.1): the secret methods and
// client_secret_jwt; none, private_key_jwt and the certificate methods do not.
bool gets_client_secret(const Client& c);

// The RFC 7591 §3.2.1 / RFC 7592 §3 answer: client_id, client_id_issued_at, the client_secret when
// given (with client_secret_expires_at 0), every accepted member, and the registration access
// token and URI when given.
JsonObject registration_answer(const Client& c, const std::optional<std::string>& clear_secret,
                               const std::string& access_token, const std::string& client_uri);

} // namespace authemu
