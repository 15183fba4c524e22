// client_secret_post (RFC 6749 §2.3.1): client_id and client_secret as form parameters.
#include "oauth/client_auth.h"
#include "oauth/oauth_error.h"

namespace authemu {

namespace {

bool presented(const ClientCredentials& c) {
  return c.params.has("client_secret");
}

AuthenticatedClient authenticate(const ClientStore& clients, const ClientCredentials& c) {
  if (!c.client_id) throw oauth::invalid_client(kNoClientCredentials);
  AuthenticatedClient out{clients.find(*c.client_id), "client_secret_post"};
  if (!out.client) throw oauth::invalid_client("unknown client");
  if (out.client->is_public) throw oauth::invalid_client("public client " + out.client->id + " has no secret");
  if (!secret_matches(*out.client, *c.params.get("client_secret"))) {
    throw oauth::invalid_client("invalid client secret");
  }
  out.proven = true;
  return out;
}

} // namespace

// The secret alone names no client: its client_id does.
extern const ClientAuthMethod kClientSecretPost = {"client_secret_post", "client_secret", true, false, presented,
                                                   authenticate};

} // namespace authemu
