// none (RFC 7591 §2): a public client names itself by client_id and proves nothing; the endpoint
// decides what such a client may do (introspection refuses it).
#include "oauth/client_auth.h"
#include "oauth/oauth_error.h"

namespace authemu {

namespace {

bool presented(const ClientCredentials& c) {
  return c.client_id.has_value();
}

AuthenticatedClient authenticate(const ClientStore& clients, const ClientCredentials& c) {
  AuthenticatedClient out{clients.find(*c.client_id), "none"};
  if (!out.client) throw oauth::invalid_client("unknown client");
  if (!out.client->is_public) {
    throw oauth::invalid_client("client_secret required for confidential client " + out.client->id);
  }
  return out;
}

} // namespace

extern const ClientAuthMethod kNoneMethod = {"none", "client_id", false, true, presented, authenticate};

} // namespace authemu
