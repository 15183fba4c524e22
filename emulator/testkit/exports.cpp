#include "testkit/exports.h"

#include "jose/public_key_pem.h"
#include "oauth/grant_registry.h"
#include "testkit/admin_error.h"

namespace authemu {

namespace {

// A secret shown only when it is the default fixture's convention (the client's id, the user's
// name): the store keeps hashes, never the clear text.
std::string client_secret_text(const Client& c) {
  return secret_matches(c, c.id) ? c.id : "<the secret of " + c.id + ">";
}

// The user of the password grant's example: the first one with an FTL role, else the first.
UserStore::Ptr example_user(const UserStore& users, const std::string& role) {
  auto all = users.list();
  for (const auto& u : all) {
    for (const auto& g : u->groups) {
      if (g == role) return u;
    }
  }
  return all.empty() ? nullptr : all.front();
}

std::string ftl_config(Environment& env, const Client& client) {
  const std::string& issuer = env.settings().issuer;
  const std::string& roles = env.settings().tokens.role_claim;
  std::string token = issuer + "/oauth/token";
  std::string secret = client_secret_text(client);
  std::vector<std::string> aud = client_audience(client);
  std::string y;
  y += "# TIBCO FTL server: OAuth 2.0 with authemu (environment " + env.label() + ", client " + client.id + ").\n";
  y += "# Written by `authemu export ftl`; merge globals: and the ftlserver.properties item into your cluster file.\n";
  y += "#\n# FTL clients and servers fetch tokens at the token endpoint themselves (realm properties):\n";
  y += "#   client credentials grant:\n";
  y += "#     TIB_REALM_PROPERTY_STRING_OAUTH2_SERVER_URL     " + token + "\n";
  y += "#     TIB_REALM_PROPERTY_STRING_OAUTH2_CLIENT_ID      " + client.id + "\n";
  y += "#     TIB_REALM_PROPERTY_STRING_OAUTH2_CLIENT_SECRET  " + secret + "\n";
  if (auto user = example_user(env.users(), "ftl")) {
    std::string password = user->password_hash == hash_secret(user->username)
                               ? user->username
                               : "<the password of " + user->username + ">";
    y += "#   password grant (refreshed with the refresh token): the three above, and\n";
    y += "#     TIB_REALM_PROPERTY_STRING_USERNAME              " + user->username + "\n";
    y += "#     TIB_REALM_PROPERTY_STRING_USERPASSWORD          " + password + "\n";
  }
  y += "#   a token obtained elsewhere, valid for the application's lifetime:\n";
  y += "#     TIB_REALM_PROPERTY_STRING_OAUTH2_ACCESS_TOKEN   $(authemu mint client_id=" + client.id +
       " expires_in=24h)\n";
  y += "#   eFTL: oAuth2ServerUrl, oAuth2ClientId, oAuth2ClientSecret; EMS (tibemsd.conf): ftl_oauth2_server_url,\n";
  y += "#   ftl_oauth2_client_id, ftl_oauth2_client_secret, and ftl_username, ftl_password for the password grant.\n";
  y += "globals:\n";
  y += "  auth.providers: oauth2\n";
  y += "  oauth2.audience: " + (aud.empty() ? client.id : aud.front()) + "\n";
  y += "  oauth2.claim.username: preferred_username\n";
  y += "  oauth2.claim.roles: " + roles + "\n";
  y += "  # The admin UI's single sign-on (authorization code flow in the browser):\n";
  y += "  oauth2.ui.endpoint.auth: " + issuer + "/authorize\n";
  y += "  oauth2.ui.endpoint.token: " + token + "\n";
  y += "  oauth2.ui.endpoint.logout: " + issuer + "/end_session\n";
  y += "  # The token an FTL server fetches for its own connections (client credentials):\n";
  y += "  oauth2.svr.endpoint.token: " + token + "\n";
  y += "servers:\n";
  y += "  FTL1:\n";
  y += "  - ftlserver.properties:\n";
  y += "      # The JWKS URL, or file:<path> of `authemu export jwks --out <path>`:\n";
  y += "      oauth2.validation.key: " + issuer + "/keys\n";
  if (!client_allows_grant(client, "authorization_code") || client.redirect_uris.empty()) {
    y += "      # For single sign-on this client also needs grantTypes authorization_code and the FTL UI's\n";
    y += "      # callback in redirectUris.\n";
  }
  y += "      oauth2.ui.client.id: " + client.id + "\n";
  y += "      oauth2.ui.client.secret: " + secret + "\n";
  y += "      oauth2.svr.client.id: " + client.id + "\n";
  y += "      oauth2.svr.client.secret: " + secret + "\n";
  return y;
}

} // namespace

std::optional<ExportFormat> find_export_format(const std::string& name) {
  if (name == "jwks") return ExportFormat::jwks;
  if (name == "pem") return ExportFormat::pem;
  if (name == "ftl") return ExportFormat::ftl;
  return std::nullopt;
}

const char* export_content_type(ExportFormat f) {
  switch (f) {
  case ExportFormat::jwks:
    return "application/json";
  case ExportFormat::pem:
    return "application/x-pem-file";
  case ExportFormat::ftl:
    break;
  }
  return "application/yaml";
}

std::string export_text(Environment& env, ExportFormat format, const std::string& client_id) {
  switch (format) {
  case ExportFormat::jwks:
    return env.keys().jwks_json() + "\n";
  case ExportFormat::pem:
    return jwks_pem(env.keys().jwks_json());
  case ExportFormat::ftl:
    break;
  }
  auto client = env.clients().find(client_id);
  if (!client) {
    throw admin_api::not_found("no client " + client_id + " in environment " + env.label() +
                               " (name the FTL client with --client)");
  }
  return ftl_config(env, *client);
}

} // namespace authemu
