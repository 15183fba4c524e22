// oauth/client_keys: a client's jwks inline or from its jwks_uri, kept, fetched again at most
// once per 10 s, bounded, and every fetch failure an exact invalid_client.
#include <catch2/catch.hpp>

#include "oauth/client_keys.h"
#include "oauth/oauth_error.h"

using namespace authemu;

namespace {

// Answers every URL with the set it holds (or a status or a failure); counts fetches per URL.
struct FakeKeys : Fetcher {
  std::map<std::string, int> fetches;
  std::string body = R"({"keys":[{"kty":"EC","crv":"P-256","x":"vUTATzYRh3vST75tc2MGzJX72jn6S6OMd3FuWwRS8Hg","y":"yeREW8pxA6pBHgbH_k5z35h_E6HQjrBI2HTFnNa1x04"}]})";
  int status = 200;
  std::optional<FetchFailure> failure;
  FetchResponse fetch(const FetchRequest& r) override {
    ++fetches[r.url];
    if (failure) throw FetchError(*failure, "GET " + r.url + ": " + fetch_failure_name(*failure));
    FetchResponse res;
    res.status = status;
    res.body = body;
    res.url = r.url;
    return res;
  }
};

Client by_uri(const std::string& uri) {
  Client c;
  c.id = "c";
  c.jwks_uri = uri;
  return c;
}

std::string refusal(ClientKeys& keys, const Client& c) {
  try {
    keys.keys_of(c);
    return "";
  } catch (const OAuthError& e) {
    CHECK(e.code() == "invalid_client");
    return e.description();
  }
}

} // namespace

TEST_CASE("client_keys: inline keys as registered, none for a client without") {
  ClientKeys keys(nullptr);
  Client c;
  c.jwks = *parse_json(R"({"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]})", nullptr);
  CHECK(keys.keys_of(c).size() == 1);
  CHECK(keys.keys_of(Client{}).empty());
}

TEST_CASE("client_keys: a jwks_uri set is kept, and fetched again on a miss at most once per 10 s") {
  FakeKeys idp;
  ClientKeys keys(&idp);
  Client c = by_uri("http://keys.test/jwks");
  CHECK(keys.keys_of(c).size() == 1);
  CHECK(keys.keys_of(c).size() == 1);
  CHECK(idp.fetches["http://keys.test/jwks"] == 1); // kept
  CHECK(keys.keys_of(c, true).size() == 1);
  CHECK(idp.fetches["http://keys.test/jwks"] == 1); // a refresh within 10 s of the fetch is not made
  keys.clear();
  CHECK(keys.keys_of(c).size() == 1);
  CHECK(idp.fetches["http://keys.test/jwks"] == 2); // reset forgets what was kept
}

TEST_CASE("client_keys: at most kMaxCachedKeySets sets are kept, the oldest dropped first") {
  FakeKeys idp;
  ClientKeys keys(&idp);
  for (size_t i = 0; i <= kMaxCachedKeySets; ++i)
    keys.keys_of(by_uri("http://keys.test/" + std::to_string(i)));
  // The first one went when the 1001st came: it is fetched again; the newest is still kept.
  keys.keys_of(by_uri("http://keys.test/" + std::to_string(kMaxCachedKeySets)));
  CHECK(idp.fetches["http://keys.test/" + std::to_string(kMaxCachedKeySets)] == 1);
  keys.keys_of(by_uri("http://keys.test/0"));
  CHECK(idp.fetches["http://keys.test/0"] == 2);
}

TEST_CASE("client_keys: a fetch that fails is invalid_client with the reason") {
  FakeKeys idp;
  ClientKeys keys(&idp);
  Client c = by_uri("http://keys.test/jwks");
  idp.failure = FetchFailure::timeout;
  CHECK(refusal(keys, c) == "jwks_uri of client c (http://keys.test/jwks) could not be fetched: timeout");
  idp.failure.reset();
  idp.status = 404;
  CHECK(refusal(keys, c) == "jwks_uri of client c (http://keys.test/jwks) answered HTTP 404");
  idp.status = 200;
  idp.body = "{";
  CHECK(refusal(keys, c).rfind("jwks_uri of client c (http://keys.test/jwks) is not JSON: ", 0) == 0);
  idp.body = R"({"keys":{}})";
  CHECK(refusal(keys, c) == "jwks_uri of client c (http://keys.test/jwks): expected a JWK set: \"keys\" must be an array");
  std::string many = R"({"keys":[)";
  for (size_t i = 0; i <= kMaxClientKeys; ++i)
    many += std::string(i ? "," : "") + R"({"kty":"EC"})";
  idp.body = many + "]}";
  CHECK(refusal(keys, c) == "jwks_uri of client c (http://keys.test/jwks): more than 100 keys");
  ClientKeys unreachable(nullptr);
  CHECK(refusal(unreachable, c) ==
        "jwks_uri of client c (http://keys.test/jwks) cannot be fetched: this server reaches no other server");
}
