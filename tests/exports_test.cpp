#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <sstream>

#include "cli/export_command.h"
#include "cli/options.h"
#include "jose/public_key_pem.h"
#include "test_support.h"
#include "testkit/exports.h"

using namespace authemu;
using namespace authemu::test;

TEST_CASE("exports: public keys as PEM match openssl's for RSA and P-256") {
  // tests/data/*.pub.pem: `openssl pkey -pubout` of the private keys.
  JsonObject rsa = *test_key().public_jwk();
  CHECK(*public_key_pem(rsa) == read_test_data("test-signing-key.pub.pem"));
  JsonObject ec = *SigningKey::from_pem(Algorithm::ES256, read_test_data("ec-p256.pem")).public_jwk();
  CHECK(*public_key_pem(ec) == read_test_data("ec-p256.pub.pem"));
  // No PEM for what has no public key, or members that do not decode.
  CHECK_FALSE(public_key_pem(JsonObject{{"kty", json_string("oct")}, {"k", json_string("c2VjcmV0")}}));
  JsonObject broken = rsa;
  broken["n"] = json_string("not base64url!");
  CHECK_FALSE(public_key_pem(broken));
  JsonObject short_x = ec;
  short_x["x"] = json_string("AQID");
  CHECK_FALSE(public_key_pem(short_x));
  CHECK(jwks_pem(R"({"keys":[)" + dump_json(Json(rsa)) + "," + dump_json(Json(ec)) + "]}") ==
        read_test_data("test-signing-key.pub.pem") + read_test_data("ec-p256.pub.pem"));
  CHECK(jwks_pem("not json").empty());
  CHECK(jwks_pem(R"({"keys":[]})").empty());
}

TEST_CASE("exports: keys.pem serves the JWKS's keys") {
  TestApp t;
  HttpResponse res = t.request("GET", "/api/auth/keys.pem");
  REQUIRE(res.status == 200);
  CHECK(*res.header("Content-Type") == "application/x-pem-file");
  CHECK(res.body == read_test_data("test-signing-key.pub.pem"));
}

TEST_CASE("exports: the FTL server YAML names this environment's endpoints, claims and client") {
  TestApp t;
  HttpResponse res = t.request("GET", "/_authemu/export/ftl?client=ftl");
  REQUIRE(res.status == 200);
  CHECK(*res.header("Content-Type") == "application/yaml");
  YAML::Node doc = YAML::Load(res.body);
  YAML::Node g = doc["globals"];
  CHECK(g["auth.providers"].as<std::string>() == "oauth2");
  CHECK(g["oauth2.audience"].as<std::string>() == "ftl"); // the client's audience
  CHECK(g["oauth2.claim.username"].as<std::string>() == "preferred_username");
  CHECK(g["oauth2.claim.roles"].as<std::string>() == "group");
  CHECK(g["oauth2.ui.endpoint.auth"].as<std::string>() == std::string(kIssuer) + "/authorize");
  CHECK(g["oauth2.ui.endpoint.token"].as<std::string>() == std::string(kIssuer) + "/oauth/token");
  CHECK(g["oauth2.ui.endpoint.logout"].as<std::string>() == std::string(kIssuer) + "/end_session");
  CHECK(g["oauth2.svr.endpoint.token"].as<std::string>() == std::string(kIssuer) + "/oauth/token");
  YAML::Node p = doc["servers"]["FTL1"][0]["ftlserver.properties"];
  CHECK(p["oauth2.validation.key"].as<std::string>() == std::string(kIssuer) + "/keys");
  CHECK(p["oauth2.ui.client.id"].as<std::string>() == "ftl");
  CHECK(p["oauth2.svr.client.secret"].as<std::string>() == "ftl"); // the secret is the id: shown
  // The client properties as comments: the password grant's user is the first with the ftl role.
  CHECK(res.body.find("#     TIB_REALM_PROPERTY_STRING_USERNAME              alice\n") != std::string::npos);

  SECTION("a client whose secret is not its id: a placeholder, never a hash") {
    HttpResponse s = t.request("GET", "/_authemu/export/ftl?client=scoped");
    REQUIRE(s.status == 200);
    CHECK(
        YAML::Load(s.body)["servers"]["FTL1"][0]["ftlserver.properties"]["oauth2.ui.client.secret"].as<std::string>() ==
        "<the secret of scoped>");
    CHECK(YAML::Load(s.body)["globals"]["oauth2.audience"].as<std::string>() == "scoped"); // [client id]
  }
  SECTION("refusals") {
    HttpResponse none = t.request("GET", "/_authemu/export/ftl");
    CHECK(none.status == 404);
    CHECK(
        none.body ==
        R"x({"errorCode":"NOT_FOUND","errorMessage":"no client ftl-client in environment default (name the FTL client with --client)"})x");
    CHECK(t.request("GET", "/_authemu/export/xml").body ==
          R"x({"errorCode":"NOT_FOUND","errorMessage":"no export xml (jwks, pem, ftl)"})x");
    CHECK(t.request("GET", "/_authemu/export/jwks?environment=nope").status == 404);
  }
  CHECK(t.request("GET", "/_authemu/export/jwks").body == t.app->keys().jwks_json() + "\n");
  CHECK(t.request("GET", "/_authemu/export/pem").body == read_test_data("test-signing-key.pub.pem"));
}

TEST_CASE("exports: authemu export without a server reads the fixtures as a server would") {
  auto run = [](std::vector<std::string> args, std::string* out, std::string* err) {
    Options o = parse_options(args, [](const std::string&) { return std::nullopt; });
    std::ostringstream o_out, o_err;
    int rc = run_export(o, o_out, o_err, [](const std::string&) { return std::nullopt; });
    *out = o_out.str();
    *err = o_err.str();
    return rc;
  };
  std::string out, err;
  REQUIRE(run({"export", "pem"}, &out, &err) == 0);
  CHECK(out == read_test_data("test-signing-key.pub.pem")); // the embedded default's test key
  REQUIRE(run({"export", "jwks", "--environment", "sandbox"}, &out, &err) == 0);
  CHECK(out.find(R"("kid":"X3v-z07E6VZJIbVdHn1WZteNDmaxnVt-Jveh3u6KTbw")") != std::string::npos);
  REQUIRE(run({"export", "ftl", "--base-url", "https://auth.example/api/auth"}, &out, &err) == 0);
  CHECK(YAML::Load(out)["globals"]["oauth2.ui.endpoint.token"].as<std::string>() ==
        "https://auth.example/api/auth/oauth/token");
  CHECK(YAML::Load(out)["globals"]["oauth2.audience"].as<std::string>() == "ftl"); // ftl-client's
  CHECK(run({"export", "ftl", "--client", "nobody"}, &out, &err) == 1);
  CHECK(err == "authemu export: no client nobody in environment default (name the FTL client with --client)\n");
  CHECK(run({"export", "pem", "--environment", "nope"}, &out, &err) == 1);
  CHECK(err == "authemu export: no environment nope (default, sandbox, platform)\n");
  CHECK(run({"export", "pem", "--signing-algorithm", "ES256"}, &out, &err) == 1);
  CHECK(err == "authemu export: environment default signs with a key made at each start: export it from the running "
               "server with --url\n");
  CHECK(run({"export", "xml"}, &out, &err) == 1);
  CHECK(err == "authemu export: usage: authemu export jwks|pem|ftl [--environment E] [--client ID] [--out FILE] "
               "[--url URL | --config FILE]\n");
  CHECK(run({"export", "pem", "--out", "/nonexistent-dir/k.pem"}, &out, &err) == 1);
  CHECK(err == "authemu export: cannot write /nonexistent-dir/k.pem: No such file or directory\n");
}
