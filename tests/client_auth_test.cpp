#include <catch2/catch.hpp>

#include "oauth/client_auth.h"
#include "oauth/oauth_error.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

std::string basic_header(const std::string& id, const std::string& secret) {
  return "Basic " + base64_encode(id + ":" + secret);
}

AuthenticatedClient authenticate(const ClientStore& clients, const std::string& form,
                                 std::optional<std::string> authorization = std::nullopt) {
  Params p = Params::parse(form, "body");
  return authenticate_client(clients, read_client_credentials(ClientAuthSources{clients}, p, std::move(authorization)));
}

} // namespace

TEST_CASE("client_auth: the registry's methods, and discovery's lists read from it") {
  std::vector<std::string> names;
  for (const ClientAuthMethod* m : all_client_auth_methods())
    names.emplace_back(m->name);
  CHECK(names == std::vector<std::string>{"client_secret_basic", "client_secret_post", "private_key_jwt",
                                          "client_secret_jwt", "tls_client_auth", "self_signed_tls_client_auth",
                                          "none"});
  CHECK(client_auth_method_names(false) == names);
  CHECK(client_auth_method_names(true) == std::vector<std::string>{"client_secret_basic", "client_secret_post",
                                                                   "private_key_jwt", "client_secret_jwt",
                                                                   "tls_client_auth", "self_signed_tls_client_auth"});
  // Without a TLS listener no request carries a certificate: the RFC 8705 methods are not offered.
  CHECK(client_auth_method_names(false, false) ==
        std::vector<std::string>{"client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt",
                                 "none"});
  CHECK(is_mtls_method("tls_client_auth"));
  CHECK(is_mtls_method("self_signed_tls_client_auth"));
  CHECK_FALSE(is_mtls_method("none"));
}

TEST_CASE("client_auth: each method names the method that identified the client") {
  ClientStore clients(test_fixture().clients);
  SECTION("client_secret_basic") {
    AuthenticatedClient c = authenticate(clients, "", basic_header("testing", "testing"));
    CHECK(c.client->id == "testing");
    CHECK(c.method == "client_secret_basic");
    CHECK(c.proven);
  }
  SECTION("client_secret_post") {
    AuthenticatedClient c = authenticate(clients, "client_id=testing&client_secret=testing");
    CHECK(c.method == "client_secret_post");
    CHECK(c.proven);
  }
  SECTION("none: a public client by its client_id proves nothing") {
    AuthenticatedClient c = authenticate(clients, "client_id=spa");
    CHECK(c.client->id == "spa");
    CHECK(c.method == "none");
    CHECK_FALSE(c.proven);
  }
  SECTION("a public client through Basic with an empty secret proves nothing either") {
    AuthenticatedClient c = authenticate(clients, "", basic_header("spa", ""));
    CHECK(c.method == "client_secret_basic");
    CHECK_FALSE(c.proven);
  }
}

TEST_CASE("client_auth: refusals, in the order the request's credentials are read") {
  ClientStore clients(test_fixture().clients);
  CHECK_THROWS_WITH(authenticate(clients, "client_secret=testing", basic_header("testing", "testing")),
                    "client authenticated both by HTTP Basic and by client_secret; use one");
  CHECK_THROWS_WITH(authenticate(clients, ""), kNoClientCredentials);
  CHECK_THROWS_WITH(authenticate(clients, "client_secret=testing"), kNoClientCredentials);
  CHECK_THROWS_WITH(authenticate(clients, "client_id=testing"),
                    "client_secret required for confidential client testing");
  CHECK_THROWS_WITH(authenticate(clients, "client_id=spa&client_secret=x"), "public client spa has no secret");
  CHECK_THROWS_WITH(authenticate(clients, "client_id=web", basic_header("testing", "testing")),
                    "client_id differs from the HTTP Basic user");
  // A malformed Basic header first, then a repeated client_id, then a repeated client_secret.
  CHECK_THROWS_WITH(authenticate(clients, "client_id=a&client_id=b", "Basic !!!"),
                    "malformed HTTP Basic credentials: not base64");
  CHECK_THROWS_WITH(authenticate(clients, "client_id=a&client_id=b&client_secret=x&client_secret=y"),
                    "parameter client_id is repeated");
  CHECK_THROWS_WITH(authenticate(clients, "client_id=a&client_secret=x&client_secret=y"),
                    "parameter client_secret is repeated");
}

TEST_CASE("client_auth: a request's client is authenticated when first asked, then remembered") {
  ClientStore clients(test_fixture().clients);
  SECTION("named: a Basic user or a client_id; a lone client_secret names no client") {
    Params none = Params::parse("", "body");
    CHECK(RequestClient(clients, none, basic_header("testing", "x")).named());
    Params id = Params::parse("client_id=nobody", "body");
    CHECK(RequestClient(clients, id, std::nullopt).named());
    Params secret = Params::parse("client_secret=testing", "body");
    CHECK_FALSE(RequestClient(clients, secret, std::nullopt).named());
    CHECK_FALSE(RequestClient(clients, none, std::nullopt).named());
    CHECK_THROWS_AS(RequestClient(clients, none, std::string("Basic !!!")).named(), OAuthError);
  }
  SECTION("get") {
    Params p = Params::parse("client_id=testing&client_secret=testing", "body");
    RequestClient c(clients, p, std::nullopt);
    const AuthenticatedClient& first = c.get();
    CHECK(&c.get() == &first);
    CHECK(first.client->id == "testing");
    Params bad = Params::parse("client_id=testing&client_secret=wrong", "body");
    CHECK_THROWS_WITH(RequestClient(clients, bad, std::nullopt).get(), "invalid client secret");
  }
}
