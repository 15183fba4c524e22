// What clients sign, on any bytes: the text as a client assertion (private_key_jwt and
// client_secret_jwt clients, through the client-authentication registry) and as a DPoP proof
// (Dpop::check at a resource, with an access token and a required nonce), the text as a JWK
// (PublicJwk::parse), as a DPoP htu (normalize_htu) and as RFC 7591 registration metadata
// (client_from_metadata), and duplicate_member on it.
// Findings: a crash or sanitizer report, an exception other than OAuthError, a refusal without a
// description, a JWK accepted whose thumbprint is not 43 characters, an htu normalized twice
// differently.
#include <cstdint>
#include <exception>

#include "../test_support.h"
#include "fuzz_support.h"
#include "jose/jwk.h"
#include "oauth/client_auth.h"
#include "oauth/dpop.h"
#include "oauth/oauth_error.h"
#include "oauth/registration.h"

using namespace authemu;

namespace {

struct World {
  FakeClock env{test::kStart}, real{test::kStart};
  ReplayCache replays{real};
  Dpop dpop{env, real, "fuzz"};
  PrivateJwk key = PrivateJwk::generate(*find_jws_algorithm("ES256"));
  ClientStore clients{make_clients()};

  std::vector<Client> make_clients() {
    Client pk;
    pk.id = "pk";
    pk.token_endpoint_auth_method = "private_key_jwt";
    JsonObject jwk = key.public_key().members();
    jwk["kid"] = json_string("k1");
    pk.jwks = Json(JsonObject{{"keys", Json(JsonArray{Json(jwk)})}});
    Client sj;
    sj.id = "sj";
    sj.token_endpoint_auth_method = "client_secret_jwt";
    ClientSecret s;
    s.clear = "secret";
    s.hash = hash_secret("secret");
    sj.secrets.push_back(s);
    return {pk, sj};
  }
};

template <class F>
void refused_only_as_oauth(F&& f, const char* what) {
  try {
    f();
  } catch (const OAuthError& e) {
    fuzz::require(!e.code().empty() && !e.description().empty(), what);
  } catch (const std::exception& e) {
    fuzz::finding(std::string(what) + ": " + e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* w = new World();
  std::string text(fuzz::as_text(data, size));
  w->replays.clear();
  w->dpop.clear();

  Params p;
  p.add("client_assertion_type", kJwtBearerAssertionType);
  p.add("client_assertion", text);
  refused_only_as_oauth([&] {
    ClientAuthSources sources(w->clients, nullptr, &w->env, &w->real, &w->replays);
    authenticate_client(w->clients, read_client_credentials(sources, p, std::nullopt, nullptr, {test::kIssuer}));
  }, "client assertion: refused without a description, or not as an OAuthError");

  std::string token = "access-token";
  DpopCheck c;
  c.proofs = {text};
  c.method = "GET";
  c.urls = {"https://rs.test/a"};
  c.access_token = &token;
  c.nonce_required = size % 2 == 0;
  refused_only_as_oauth([&] { w->dpop.check(c); }, "DPoP proof: refused without a description, or not as an OAuthError");

  std::string error;
  if (auto v = parse_json(text, &error); v && v->is<JsonObject>()) {
    std::string reason;
    auto k = PublicJwk::parse(v->get<JsonObject>(), &reason);
    fuzz::require(k.has_value() == reason.empty(), "PublicJwk::parse: a reason and a key, or neither");
    if (k) fuzz::require(k->thumbprint().size() == 43, "PublicJwk: thumbprint is not 43 base64url characters");
    duplicate_member(text);
  }
  if (auto htu = normalize_htu(text)) fuzz::require(normalize_htu(*htu) == htu, "normalize_htu is not idempotent");
  // The text as RFC 7591 registration metadata: a client, or an OAuthError with a description.
  if (auto v = parse_json(text, &error); v && v->is<JsonObject>()) {
    refused_only_as_oauth([&] { client_from_metadata(v->get<JsonObject>(), "fuzz"); },
                          "registration metadata: refused without a description, or not as an OAuthError");
  }
  return 0;
}
