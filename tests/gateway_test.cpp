// The gateway's /versions and the stand-in services' info routes, as the Formance SDK calls them.
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

AppSettings with_services() {
  AppSettings s;
  s.services = {{"ledger", "v2.0.0"}, {"wallets", "v1.2.3"}, {"orchestration", "v2.0.0"}};
  return s;
}

} // namespace

TEST_CASE("gateway: /versions lists auth and each stand-in service, healthy, without a token") {
  TestApp t(with_services());
  HttpResponse res = t.request("GET", "/versions");
  REQUIRE(res.status == 200);
  CHECK(res.body == R"({"env":"default","region":"local","versions":[)"
                    R"({"health":true,"name":"auth","version":"0.1.0"},)"
                    R"({"health":true,"name":"ledger","version":"v2.0.0"},)"
                    R"({"health":true,"name":"wallets","version":"v1.2.3"},)"
                    R"({"health":true,"name":"orchestration","version":"v2.0.0"}]})");
  CHECK(t.request("POST", "/versions").status == 405);
}

TEST_CASE("gateway: each listed service's info in that service's shape, with the token verified") {
  TestApp t(with_services());
  std::string token = t.access_token();
  auto info = [&](const std::string& path) {
    HttpResponse res = t.request("GET", path, "", bearer(token));
    INFO(path << " " << res.body);
    CHECK(res.status == 200);
    return res.body;
  };
  CHECK(info("/api/ledger/_/info") == R"({"server":"ledger","version":"v2.0.0"})");
  CHECK(info("/api/ledger/_info") ==
        R"({"data":{"config":{"storage":{"driver":"memory","ledgers":[]}},"server":"ledger","version":"v2.0.0"}})");
  CHECK(info("/api/wallets/_info") == R"({"version":"v1.2.3"})");
  CHECK(info("/api/orchestration/_info") == R"({"version":"v2.0.0"})");
  CHECK(info("/api/orchestration/v2/_info") == R"({"version":"v2.0.0"})");

  SECTION("without a token, or with a bad one: the stand-in's RFC 6750 answers") {
    HttpResponse none = t.request("GET", "/api/ledger/_/info");
    CHECK(none.status == 401);
    CHECK(*none.header("WWW-Authenticate") == "Bearer realm=\"authemu\", resource_metadata=\"http://localhost/.well-known/oauth-protected-resource/api/ledger\", DPoP algs=\"RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512\"");
    HttpResponse bad = t.request("GET", "/api/wallets/_info", "", bearer(token + "x"));
    CHECK(bad.status == 401);
    CHECK(find_string(TestApp::parse(bad.body), "error") == "invalid_token");
  }
  SECTION("an unlisted service and other methods are the stand-in's echo") {
    HttpResponse other = t.request("GET", "/api/search/_info", "", bearer(token));
    REQUIRE(other.status == 200);
    CHECK(find_string(TestApp::parse(other.body), "service") == "search");
    CHECK(find_string(TestApp::parse(other.body), "path") == "/_info");
    HttpResponse post = t.request("POST", "/api/ledger/_info", "", bearer(token));
    REQUIRE(post.status == 200);
    CHECK(find_string(TestApp::parse(post.body), "method") == "POST");
  }
}
