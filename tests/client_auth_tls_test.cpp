// oauth/client_auth_tls: RFC 8705 client authentication and certificate-bound tokens, through the
// App with hand-made certificate values (the TLS layer that makes them is tested in tls_stream_test
// and scripts/mtls.sh).
#include <catch2/catch.hpp>

#include "base/base64.h"
#include "base/config_error.h"
#include "jose/crypto.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

constexpr char kMtlsFixture[] = R"(
clients:
  - id: svc
    tokenEndpointAuthMethod: tls_client_auth
    tlsClientAuthSubjectDn: CN=svc,O=Acme
    grantTypes: [client_credentials]
  - id: by-dns
    tokenEndpointAuthMethod: tls_client_auth
    tlsClientAuthSanDns: svc.example
  - id: by-uri
    tokenEndpointAuthMethod: tls_client_auth
    tlsClientAuthSanUri: spiffe://example/svc
  - id: by-ip
    tokenEndpointAuthMethod: tls_client_auth
    tlsClientAuthSanIp: "::1"
  - id: by-email
    tokenEndpointAuthMethod: tls_client_auth
    tlsClientAuthSanEmail: svc@Example.COM
  - id: bound
    tokenEndpointAuthMethod: tls_client_auth
    tlsClientAuthSubjectDn: CN=svc,O=Acme
    tlsClientCertificateBoundAccessTokens: true
  - id: selfsigned
    tokenEndpointAuthMethod: self_signed_tls_client_auth
    tlsClientCertificateBoundAccessTokens: true
    jwks:
      keys:
        - {kty: EC, crv: P-256, x: vUTATzYRh3vST75tc2MGzJX72jn6S6OMd3FuWwRS8Hg, y: yeREW8pxA6pBHgbH_k5z35h_E6HQjrBI2HTFnNa1x04}
  - id: secret-bound
    secrets: [s]
    tlsClientCertificateBoundAccessTokens: true
  - id: public-bound
    public: true
    grantTypes: [password, refresh_token]
    tlsClientCertificateBoundAccessTokens: true
  - id: testing
    secrets: [testing]
users:
  - {id: u-alice, username: alice, password: alice}
)";

constexpr int64_t kNotBefore = kStart - 3600, kNotAfter = kStart + 86400;

std::shared_ptr<ClientCertificate> certificate(const std::string& subject = "CN=svc,O=Acme") {
  auto c = std::make_shared<ClientCertificate>();
  c->der = "\x30\x03\x02\x01\x01" + subject; // stands for a DER certificate: only its hash is used
  c->thumbprint = base64url_encode(sha256(c->der));
  c->subject = *parse_dn(subject);
  c->not_before = kNotBefore;
  c->not_after = kNotAfter;
  c->public_jwk = {{"kty", "EC"}, {"crv", "P-256"}, {"x", "vUTATzYRh3vST75tc2MGzJX72jn6S6OMd3FuWwRS8Hg"}, {"y", "yeREW8pxA6pBHgbH_k5z35h_E6HQjrBI2HTFnNa1x04"}};
  return c;
}

struct MtlsApp {
  MtlsApp() : clock(kStart) {
    AppSettings settings;
    settings.environment.issuer = kIssuer;
    settings.tls_client_certs = true;
    Fixture f = load_fixture(kMtlsFixture, "mtls.yaml", [](const std::string&) { return std::nullopt; });
    app = std::make_unique<App>(settings, std::move(f), test_key(), clock, steady_clock());
  }
  HttpResponse call(const std::string& method, const std::string& target, const std::string& body,
                    std::shared_ptr<const ClientCertificate> cert, Headers headers = {}) {
    HttpRequest req = make_request(method, target, body, std::move(headers));
    if (!body.empty()) req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    req.tls = true;
    req.client_certificate = std::move(cert);
    return app->handle(req);
  }
  HttpResponse token(const std::string& form, std::shared_ptr<const ClientCertificate> cert, Headers headers = {}) {
    return call("POST", "/api/auth/oauth/token", form, std::move(cert), std::move(headers));
  }
  FakeClock clock;
  std::unique_ptr<App> app;
};

std::string description(const HttpResponse& res) {
  return find_string(TestApp::parse(res.body), "error_description").value_or("");
}
std::string error(const HttpResponse& res) {
  return find_string(TestApp::parse(res.body), "error").value_or("");
}

} // namespace

TEST_CASE("client_auth_tls: tls_client_auth takes a trusted certificate with the registered subject") {
  MtlsApp t;
  auto cert = certificate();
  HttpResponse ok = t.token("grant_type=client_credentials&client_id=svc", cert);
  REQUIRE(ok.status == 200);
  JsonObject claims = jwt_claims(*find_string(TestApp::parse(ok.body), "access_token"));
  CHECK(*find_string(claims, "client_id") == "svc");
  CHECK(claims.count("cnf") == 0); // svc does not ask for bound tokens

  SECTION("the DN matches by RFC 4517, not by bytes") {
    CHECK(t.token("grant_type=client_credentials&client_id=svc", certificate("cn=SVC, o=acme")).status == 200);
  }
  SECTION("another subject") {
    HttpResponse r = t.token("grant_type=client_credentials&client_id=svc", certificate("CN=other,O=Acme"));
    CHECK(r.status == 401);
    CHECK(error(r) == "invalid_client");
    CHECK(description(r) ==
          "client certificate CN=other,O=Acme is not client svc's: its subject CN=other,O=Acme is not CN=svc,O=Acme");
  }
  SECTION("no certificate") {
    HttpResponse r = t.token("grant_type=client_credentials&client_id=svc", nullptr);
    CHECK(r.status == 401);
    CHECK(description(r) ==
          "client svc authenticates with tls_client_auth: the request came without a client certificate (send it "
          "over HTTPS)");
  }
  SECTION("a chain to no trusted CA") {
    auto untrusted = certificate();
    untrusted->chain_problem = "not signed by a trusted CA";
    HttpResponse r = t.token("grant_type=client_credentials&client_id=svc", untrusted);
    CHECK(r.status == 401);
    CHECK(description(r) == "client certificate CN=svc,O=Acme is not trusted: not signed by a trusted CA");
  }
  SECTION("valid at real time while the environment's clock has travelled past it") {
    HttpRequest travel = make_request("POST", "/_authemu/clock", R"({"advance":"2d"})", {{"Content-Type", "application/json"}});
    REQUIRE(t.app->handle(travel).status == 200);
    CHECK(t.token("grant_type=client_credentials&client_id=svc", cert).status == 200);
  }
  SECTION("expired and not yet valid, at both clocks") {
    t.clock.set(kNotAfter + 1);
    HttpResponse r = t.token("grant_type=client_credentials&client_id=svc", cert);
    CHECK(r.status == 401);
    CHECK(description(r) == "client certificate CN=svc,O=Acme expired at " + format_utc(kNotAfter));
    t.clock.set(kNotAfter);
    CHECK(t.token("grant_type=client_credentials&client_id=svc", cert).status == 200);
    t.clock.set(kNotBefore - 1);
    r = t.token("grant_type=client_credentials&client_id=svc", cert);
    CHECK(description(r) == "client certificate CN=svc,O=Acme is not valid before " + format_utc(kNotBefore));
  }
  SECTION("without client_id the certificate names no client (RFC 8705 §2)") {
    HttpResponse r = t.token("grant_type=client_credentials", cert);
    CHECK(r.status == 401);
    CHECK(description(r) == "client authentication required: HTTP Basic or client_id and client_secret; with a "
                            "client certificate, client_id names the client (RFC 8705 section 2)");
  }
  SECTION("a secret as well is two methods") {
    HttpResponse r = t.token("grant_type=client_credentials&client_id=svc", cert, basic("svc", "x"));
    CHECK(r.status == 400);
    CHECK(description(r) == "client authenticated both by HTTP Basic and by client certificate; use one");
  }
  SECTION("a client registered for a certificate is not let in by a secret") {
    HttpResponse r = t.token("grant_type=client_credentials&client_id=svc&client_secret=x", cert);
    CHECK(r.status == 400);
    CHECK(description(r) == "client authenticated both by client_secret and by client certificate; use one");
    r = t.token("grant_type=client_credentials", cert, basic("svc", "x"));
    CHECK(r.status == 401);
    CHECK(error(r) == "invalid_client");
  }
  SECTION("the certificate does not authenticate a secret client") {
    HttpResponse r = t.token("grant_type=client_credentials&client_id=testing", cert);
    CHECK(r.status == 401);
    CHECK(description(r) == "client_secret required for confidential client testing");
  }
}

TEST_CASE("client_auth_tls: tls_client_auth by each kind of subject alternative name") {
  MtlsApp t;
  auto cert = certificate("CN=whatever");
  cert->san_dns = {"other.example", "SVC.example"};
  cert->san_uri = {"spiffe://example/svc"};
  cert->san_email = {"svc@example.com"};
  cert->san_ip = {std::string(15, '\0') + "\x01"};
  for (const char* id : {"by-dns", "by-uri", "by-ip", "by-email"}) {
    INFO(id);
    CHECK(t.token(std::string("grant_type=client_credentials&client_id=") + id, cert).status == 200);
  }
  auto bare = certificate("CN=whatever");
  bare->san_dns = {"a.example"};
  HttpResponse r = t.token("grant_type=client_credentials&client_id=by-dns", bare);
  CHECK(description(r) == "client certificate CN=whatever is not client by-dns's: it has no dNSName svc.example (it "
                          "has a.example)");
  r = t.token("grant_type=client_credentials&client_id=by-ip", bare);
  CHECK(description(r) == "client certificate CN=whatever is not client by-ip's: it has no iPAddress ::1 (it has none)");
  auto email_case = certificate("CN=whatever");
  email_case->san_email = {"SVC@example.com"}; // the local part is case-sensitive
  CHECK(t.token("grant_type=client_credentials&client_id=by-email", email_case).status == 401);
}

TEST_CASE("client_auth_tls: self_signed_tls_client_auth matches the key, not the chain") {
  MtlsApp t;
  auto cert = certificate("CN=self");
  cert->chain_problem = "not signed by a trusted CA";
  cert->not_after = kStart - 1; // RFC 8705 §2.2: the key is what was registered
  CHECK(t.token("grant_type=client_credentials&client_id=selfsigned", cert).status == 200);
  auto other = certificate("CN=self");
  other->public_jwk["x"] = "AAED";
  HttpResponse r = t.token("grant_type=client_credentials&client_id=selfsigned", other);
  CHECK(r.status == 401);
  CHECK(description(r) == "client certificate CN=self is not client selfsigned's: its public key is not among the "
                          "client's jwks");
}

TEST_CASE("client_auth_tls: bound tokens carry cnf x5t#S256 and hold only with their certificate") {
  MtlsApp t;
  auto cert = certificate();
  HttpResponse res = t.token("grant_type=client_credentials&client_id=bound", cert);
  REQUIRE(res.status == 200);
  std::string token = *find_string(TestApp::parse(res.body), "access_token");
  JsonObject cnf = jwt_claims(token).at("cnf").get<JsonObject>();
  CHECK(cnf.size() == 1);
  CHECK(cnf.at("x5t#S256").get<std::string>() == cert->thumbprint);

  SECTION("a resource takes it with the certificate, refuses it without or with another") {
    CHECK(t.call("GET", "/api/ledger/_info", "", cert, bearer(token)).status == 200);
    HttpResponse none = t.call("GET", "/api/ledger/_info", "", nullptr, bearer(token));
    CHECK(none.status == 401);
    CHECK(none.header("WWW-Authenticate")->find("error=\"invalid_token\"") != std::string::npos);
    CHECK(none.header("WWW-Authenticate")->find("bound to a client certificate") != std::string::npos);
    HttpResponse other = t.call("GET", "/api/ledger/_info", "", certificate("CN=other"), bearer(token));
    CHECK(other.status == 401);
    CHECK(other.header("WWW-Authenticate")->find("another client certificate") != std::string::npos);
  }
  SECTION("the management API refuses it in Formance's shape") {
    HttpResponse r = t.call("GET", "/api/auth/clients", "", nullptr, bearer(token));
    CHECK(r.status == 401);
    CHECK(t.call("GET", "/api/auth/clients", "", cert, bearer(token)).status == 200);
  }
  SECTION("introspection returns cnf") {
    // The bound client introspects its own token, authenticated by its certificate.
    HttpResponse r = t.call("POST", "/api/auth/oauth/introspect", "client_id=bound&token=" + token, cert);
    REQUIRE(r.status == 200);
    JsonObject body = TestApp::parse(r.body);
    CHECK(body.at("active").get<bool>());
    CHECK(body.at("cnf").get<JsonObject>().at("x5t#S256").get<std::string>() == cert->thumbprint);
  }
  SECTION("a client with a secret that asks for bound tokens needs a certificate") {
    HttpResponse r = t.token("grant_type=client_credentials&client_id=secret-bound&client_secret=s", nullptr);
    CHECK(r.status == 400);
    CHECK(error(r) == "invalid_request");
    CHECK(description(r) == "client secret-bound gets certificate-bound tokens (tlsClientCertificateBoundAccessTokens): "
                            "present a client certificate over HTTPS");
    HttpResponse ok = t.token("grant_type=client_credentials&client_id=secret-bound&client_secret=s", cert);
    REQUIRE(ok.status == 200);
    CHECK(jwt_claims(*find_string(TestApp::parse(ok.body), "access_token")).count("cnf") == 1);
  }
}

TEST_CASE("client_auth_tls: a public client's refresh token is bound to its certificate (RFC 8705 §4)") {
  MtlsApp t;
  auto cert = certificate("CN=app");
  HttpResponse res = t.token("grant_type=password&client_id=public-bound&username=alice&password=alice", cert);
  REQUIRE(res.status == 200);
  std::string refresh = *find_string(TestApp::parse(res.body), "refresh_token");
  HttpResponse other = t.token("grant_type=refresh_token&client_id=public-bound&refresh_token=" + refresh,
                               certificate("CN=thief"));
  CHECK(other.status == 400);
  CHECK(error(other) == "invalid_grant");
  CHECK(description(other) ==
        "refresh token is bound to a client certificate (RFC 8705 section 4): this request presents another one");
  // The refused attempt used nothing up: the holder of the certificate still refreshes.
  HttpResponse ok = t.token("grant_type=refresh_token&client_id=public-bound&refresh_token=" + refresh, cert);
  REQUIRE(ok.status == 200);
  CHECK(jwt_claims(*find_string(TestApp::parse(ok.body), "access_token")).at("cnf").get<JsonObject>().at("x5t#S256") ==
        Json(cert->thumbprint));
}

TEST_CASE("client_auth_tls: discovery lists the RFC 8705 methods and bound tokens with a TLS listener only") {
  MtlsApp t;
  HttpResponse res = t.call("GET", "/api/auth/.well-known/openid-configuration", "", nullptr);
  JsonObject d = TestApp::parse(res.body);
  auto methods = d.at("token_endpoint_auth_methods_supported").get<JsonArray>();
  CHECK(std::count(methods.begin(), methods.end(), Json("tls_client_auth")) == 1);
  CHECK(std::count(methods.begin(), methods.end(), Json("self_signed_tls_client_auth")) == 1);
  CHECK(d.at("tls_client_certificate_bound_access_tokens").get<bool>());
  TestApp plain;
  JsonObject p = TestApp::parse(plain.request("GET", "/api/auth/.well-known/openid-configuration").body);
  auto plain_methods = p.at("token_endpoint_auth_methods_supported").get<JsonArray>();
  CHECK(std::count(plain_methods.begin(), plain_methods.end(), Json("tls_client_auth")) == 0);
  CHECK(p.count("tls_client_certificate_bound_access_tokens") == 0);
}

TEST_CASE("client_auth_tls: the fields are checked where clients are made") {
  auto load = [](const std::string& client) {
    try {
      load_fixture("clients:\n  - id: c\n" + client, "f.yaml", [](const std::string&) { return std::nullopt; });
      return std::string();
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
  };
  CHECK(load("    tokenEndpointAuthMethod: tls_client_auth\n") ==
        "f.yaml:3: clients[0].tokenEndpointAuthMethod: tls_client_auth needs exactly one of tlsClientAuthSubjectDn, "
        "tlsClientAuthSanDns, tlsClientAuthSanUri, tlsClientAuthSanIp, tlsClientAuthSanEmail");
  CHECK(load("    tokenEndpointAuthMethod: tls_client_auth\n    tlsClientAuthSubjectDn: svc\n") ==
        "f.yaml:4: clients[0].tlsClientAuthSubjectDn: not an RFC 4514 distinguished name: expected TYPE=value at byte 1");
  CHECK(load("    tokenEndpointAuthMethod: tls_client_auth\n    tlsClientAuthSanIp: 1.2.3\n") ==
        "f.yaml:4: clients[0].tlsClientAuthSanIp: not an IPv4 or IPv6 address");
  CHECK(load("    tlsClientAuthSanDns: a.example\n") ==
        "f.yaml:3: clients[0].tlsClientAuthSanDns: only for tokenEndpointAuthMethod: tls_client_auth");
  CHECK(load("    tokenEndpointAuthMethod: self_signed_tls_client_auth\n") ==
        "f.yaml:3: clients[0].tokenEndpointAuthMethod: self_signed_tls_client_auth needs jwks or jwksUri (the "
        "certificates' keys)");
  CHECK(load("    tokenEndpointAuthMethod: private_key_jwt\n") ==
        "f.yaml:3: clients[0].tokenEndpointAuthMethod: private_key_jwt needs jwks or jwksUri (the keys of its "
        "assertions)");
  CHECK(load("    tokenEndpointAuthMethod: secret_jwt\n") ==
        "f.yaml:3: clients[0].tokenEndpointAuthMethod: unknown method secret_jwt (known: client_secret_basic, "
        "client_secret_post, private_key_jwt, client_secret_jwt, tls_client_auth, self_signed_tls_client_auth, none)");
  CHECK(load("    public: true\n    tokenEndpointAuthMethod: tls_client_auth\n    tlsClientAuthSanDns: a\n") ==
        "f.yaml:4: clients[0].tokenEndpointAuthMethod: a public client authenticates with none, not tls_client_auth");
  CHECK(load("    jwks: {keys: [{kid: x}]}\n") ==
        "f.yaml:3: clients[0].jwks: keys[0]: expected a JWK (an object with \"kty\")");
  CHECK(load("    jwksUri: /keys\n") == "f.yaml:3: clients[0].jwksUri: expected an absolute http or https URL");
  CHECK(load("    tokenEndpointAuthMethod: tls_client_auth\n    tlsClientAuthSubjectDn: CN=svc\n").empty());
}

TEST_CASE("client_auth_tls: the management API takes and shows the fields") {
  MtlsApp t;
  HttpResponse admin = t.token("grant_type=client_credentials&client_id=testing&client_secret=testing", nullptr);
  Headers auth = bearer(*find_string(TestApp::parse(admin.body), "access_token"));
  auth.emplace_back("Content-Type", "application/json");
  HttpRequest req = make_request("POST", "/api/auth/clients",
                                 R"({"id":"m","tokenEndpointAuthMethod":"tls_client_auth","tlsClientAuthSanUri":"spiffe://x/m","tlsClientCertificateBoundAccessTokens":true})",
                                 auth);
  HttpResponse created = t.app->handle(req);
  REQUIRE(created.status == 201);
  JsonObject data = TestApp::parse(created.body).at("data").get<JsonObject>();
  CHECK(*find_string(data, "tokenEndpointAuthMethod") == "tls_client_auth");
  CHECK(*find_string(data, "tlsClientAuthSanUri") == "spiffe://x/m");
  CHECK(data.at("tlsClientCertificateBoundAccessTokens").get<bool>());
  auto cert = certificate("CN=m");
  cert->san_uri = {"spiffe://x/m"};
  HttpResponse tok = t.token("grant_type=client_credentials&client_id=m", cert);
  CHECK(tok.status == 200);

  HttpRequest bad = make_request("POST", "/api/auth/clients",
                                 R"({"tokenEndpointAuthMethod":"tls_client_auth","tlsClientAuthSanIp":"nope"})",
                                 auth);
  HttpResponse refused = t.app->handle(bad);
  CHECK(refused.status == 400);
  CHECK(*find_string(TestApp::parse(refused.body), "errorMessage") == "tlsClientAuthSanIp: not an IPv4 or IPv6 address");
}

TEST_CASE("client_auth_tls: mint makes certificate-bound tokens") {
  MtlsApp t;
  auto cert = certificate();
  HttpRequest req = make_request("POST", "/_authemu/mint", R"({"cnf":{"x5t#S256":")" + cert->thumbprint + R"("}})",
                                 {{"Content-Type", "application/json"}});
  HttpResponse minted = t.app->handle(req);
  REQUIRE(minted.status == 200);
  std::string token = *find_string(TestApp::parse(minted.body), "access_token");
  CHECK(jwt_claims(token).at("cnf").get<JsonObject>().at("x5t#S256") == Json(cert->thumbprint));
  CHECK(t.call("GET", "/api/ledger/_info", "", cert, bearer(token)).status == 200);
  CHECK(t.call("GET", "/api/ledger/_info", "", nullptr, bearer(token)).status == 401);
}

TEST_CASE("client_auth_tls: the certificate authenticates at PAR, revocation and device authorization too") {
  MtlsApp t;
  auto cert = certificate();
  HttpResponse revoke = t.call("POST", "/api/auth/revoke", "client_id=svc&token=unknown", cert);
  CHECK(revoke.status == 200);
  HttpResponse refused = t.call("POST", "/api/auth/revoke", "client_id=svc&token=unknown", certificate("CN=x"));
  CHECK(refused.status == 401);
  HttpResponse par = t.call("POST", "/api/auth/par", "client_id=svc&response_type=code&redirect_uri=http://x/cb", cert);
  INFO(par.body);
  CHECK(par.status == 400); // authenticated: what follows is PAR's own rule on the redirect URI
  CHECK(error(par) == "invalid_request");
  HttpResponse par_refused =
      t.call("POST", "/api/auth/par", "client_id=svc&response_type=code&redirect_uri=http://x/cb", nullptr);
  CHECK(par_refused.status == 401);
  CHECK(error(par_refused) == "invalid_client");
  HttpResponse device = t.call("POST", "/api/auth/device_authorization", "client_id=svc", certificate("CN=x"));
  CHECK(device.status == 401);
  CHECK(error(device) == "invalid_client");
}

TEST_CASE("client_auth_tls: userinfo refuses a bound token without its certificate; the journal shows it") {
  MtlsApp t;
  auto cert = certificate("CN=app");
  HttpResponse res =
      t.token("grant_type=password&client_id=public-bound&username=alice&password=alice&scope=openid", cert);
  REQUIRE(res.status == 200);
  std::string token = *find_string(TestApp::parse(res.body), "access_token");
  CHECK(t.call("GET", "/api/auth/userinfo", "", cert, bearer(token)).status == 200);
  HttpResponse refused = t.call("GET", "/api/auth/userinfo", "", nullptr, bearer(token));
  CHECK(refused.status == 401);
  CHECK(refused.header("WWW-Authenticate")->find("invalid_token") != std::string::npos);

  HttpResponse journal = t.call("GET", "/_authemu/journal?endpoint=token", "", nullptr);
  REQUIRE(journal.status == 200);
  JsonArray entries = TestApp::parse(journal.body).at("entries").get<JsonArray>();
  REQUIRE(!entries.empty());
  JsonObject shown = entries.back().get<JsonObject>().at("client_certificate").get<JsonObject>();
  CHECK(shown.at("subject") == Json("CN=app"));
  CHECK(shown.at("x5t#S256") == Json(cert->thumbprint));
}
