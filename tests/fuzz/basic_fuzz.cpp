// parse_basic on any Authorization header value: nothing (another scheme), credentials, or an
// OAuthError invalid_client; then authenticate_client with those credentials alone against the
// test fixture's clients: a client authenticated by client_secret_basic or an OAuthError. Anything
// else is a finding.
#include <cstdint>

#include "../test_support.h"
#include "fuzz_support.h"
#include "oauth/client_auth.h"
#include "oauth/oauth_error.h"

using namespace authemu;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ClientStore* clients = new ClientStore(test::test_fixture().clients);
  std::string header(fuzz::as_text(data, size));
  std::optional<BasicCredentials> credentials;
  try {
    credentials = parse_basic(header);
  } catch (const OAuthError& e) {
    fuzz::require(e.code() == "invalid_client", "parse_basic threw another OAuth error than invalid_client");
    fuzz::require(e.status() == 401, "invalid_client from Basic without status 401");
    return 0;
  }
  if (!credentials) return 0;
  fuzz::require(credentials->raw_id.size() + credentials->raw_secret.size() < header.size(),
                "credentials longer than the header");
  try {
    Params none;
    AuthenticatedClient client = authenticate_client(*clients, ClientCredentials{none, header, credentials, {}});
    fuzz::require(client.client != nullptr && client.method == "client_secret_basic",
                  "authenticated without a client, or not via Basic");
  } catch (const OAuthError& e) {
    fuzz::require(e.status() == 400 || e.status() == 401, "a client authentication error outside 400/401");
  }
  return 0;
}
