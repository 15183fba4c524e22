#include <catch2/catch.hpp>

#include "base/config_error.h"
#include "oauth/grant_registry.h"
#include "stack/environment.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

constexpr char kJwtBearer[] = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr char kTokenExchange[] = "urn:ietf:params:oauth:grant-type:token-exchange";
constexpr char kDeviceCode[] = "urn:ietf:params:oauth:grant-type:device_code";

std::vector<std::string> registry_names() {
  std::vector<std::string> names;
  for (const Grant* g : all_grants())
    names.emplace_back(g->name);
  return names;
}

Fixture load(const std::string& text) {
  return load_fixture(text, "f.yaml", [](const std::string&) { return std::nullopt; });
}

using Names = std::vector<std::string>;

} // namespace

TEST_CASE("grant_registry: the known grants, in one order") {
  CHECK(registry_names() == Names{"client_credentials", "password", "refresh_token", "authorization_code", kDeviceCode,
                                  kTokenExchange, kJwtBearer});
  for (const Grant* g : all_grants())
    CHECK(find_grant(g->name) == g);
  CHECK(find_grant("implicit") == nullptr);
  CHECK(find_grant("") == nullptr);
  for (const Grant* g : all_grants())
    CHECK(g->handle != nullptr);
}

TEST_CASE("grant_registry: discovery lists the grants available in the environment") {
  FakeClock clock(kStart);
  EnvironmentSettings settings;
  settings.issuer = kIssuer;
  SECTION("an environment alone") {
    Environment env(settings, {}, {}, test_key(), clock);
    CHECK(env.tokens().grant_types() ==
          Names{"client_credentials", "password", "refresh_token", "authorization_code", kDeviceCode});
  }
  SECTION("an environment that trusts a platform: jwt-bearer") {
    Environment platform(settings, {}, {}, test_key(), clock);
    Environment env(settings, {}, {}, test_key(), clock);
    env.tokens().set_platform_trust(PlatformTrust{&platform.keys(), [](const std::string&) { return true; }, "p"});
    CHECK(env.tokens().grant_types() ==
          Names{"client_credentials", "password", "refresh_token", "authorization_code", kDeviceCode, kJwtBearer});
  }
  SECTION("the platform: token exchange") {
    settings.tokens.platform = true;
    Environment env(settings, {}, {}, test_key(), clock);
    CHECK(env.tokens().grant_types() ==
          Names{"client_credentials", "password", "refresh_token", "authorization_code", kDeviceCode, kTokenExchange});
  }
  SECTION("what the discovery document says") {
    TestApp t;
    JsonObject d = TestApp::parse(t.request("GET", "/.well-known/openid-configuration").body);
    Names listed;
    for (const auto& g : d.at("grant_types_supported").get<JsonArray>())
      listed.push_back(g.get<std::string>());
    Environment env(settings, {}, {}, test_key(), clock);
    CHECK(listed == env.tokens().grant_types());
  }
}

TEST_CASE("grant_registry: fixtures accept the registry's names and refuse others") {
  for (const Grant* g : all_grants()) {
    Fixture f = load("clients:\n  - id: a\n    grantTypes: [\"" + std::string(g->name) + "\"]\n");
    REQUIRE(f.clients.size() == 1);
    CHECK(f.clients[0].grant_types == Names{std::string(g->name)});
    CHECK(client_allows_grant(f.clients[0], *g));
  }
  CHECK_THROWS_WITH(load("clients:\n  - id: a\n    grantTypes: [implicit]\n"),
                    "f.yaml:3: clients[0].grantTypes[0]: unknown grant type implicit (known: client_credentials, "
                    "password, refresh_token, authorization_code, urn:ietf:params:oauth:grant-type:device_code, "
                    "urn:ietf:params:oauth:grant-type:token-exchange, "
                    "urn:ietf:params:oauth:grant-type:jwt-bearer)");
}

TEST_CASE("grant_registry: client defaults") {
  Client c;
  c.id = "c";
  SECTION("a confidential client without grantTypes: Formance's set, and the device grant as the code grant") {
    CHECK(client_allows_grant(c, "authorization_code"));
    CHECK(client_allows_grant(c, kDeviceCode));
    CHECK(client_allows_grant(c, "refresh_token"));
    CHECK(client_allows_grant(c, "client_credentials"));
    CHECK_FALSE(client_allows_grant(c, "password"));
    CHECK_FALSE(client_allows_grant(c, kTokenExchange));
    CHECK_FALSE(client_allows_grant(c, kJwtBearer));
    CHECK_FALSE(client_allows_grant(c, "implicit"));
  }
  SECTION("a public client: no client_credentials, even when listed") {
    c.is_public = true;
    CHECK(client_allows_grant(c, "authorization_code"));
    CHECK(client_allows_grant(c, kDeviceCode));
    CHECK(client_allows_grant(c, "refresh_token"));
    CHECK_FALSE(client_allows_grant(c, "client_credentials"));
    CHECK_FALSE(find_grant("client_credentials")->public_clients);
    for (const Grant* g : all_grants())
      CHECK(g->public_clients == (g->name != "client_credentials"));
  }
  SECTION("a grantTypes list is the whole set") {
    c.grant_types = Names{"password"};
    CHECK(client_allows_grant(c, "password"));
    CHECK_FALSE(client_allows_grant(c, "refresh_token"));
    CHECK_FALSE(client_allows_grant(c, "client_credentials"));
    c.grant_types = Names{};
    for (const Grant* g : all_grants())
      CHECK_FALSE(client_allows_grant(c, *g));
  }
}

TEST_CASE("grant_registry: the token endpoint serves the available grants only") {
  TestApp t;
  auto refused = [&](const std::string& grant) {
    HttpResponse res = t.token("grant_type=" + grant + "&client_id=testing&client_secret=testing");
    CHECK(res.status == 400);
    JsonObject o = TestApp::parse(res.body);
    CHECK(*find_string(o, "error") == "unsupported_grant_type");
    CHECK(*find_string(o, "error_description") == grant + " not supported");
  };
  refused(kJwtBearer); // no platform here
  refused(kTokenExchange);
  refused("implicit");
  CHECK(t.token("grant_type=client_credentials&client_id=testing&client_secret=testing").status == 200);
}
