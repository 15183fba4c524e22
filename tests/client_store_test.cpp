// store/client_store: static clients (fixtures) before dynamic ones (management API), secrets kept
// as hashes, the caps kMaxDynamicClients and kMaxSecretsPerClient, and the redirect origins CORS
// answers with credentials.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "store/client_store.h"
#include "race_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

using Create = ClientStore::CreateOutcome;
using SecretOutcome = ClientStore::SecretOutcome;

Client client(const std::string& id, std::vector<std::string> redirect_uris = {}) {
  Client c;
  c.id = id;
  c.name = id + " name";
  c.redirect_uris = std::move(redirect_uris);
  return c;
}

} // namespace

TEST_CASE("client_store: secrets are SHA-256 hashes, matched against every secret of the client") {
  // base64(sha256("testing")), as Formance stores it.
  CHECK(hash_secret("testing") == "z4DNiu1ILV0VJ9fccvzv+E5jJlkoSER9LcCw6H38mpA=");
  Client c = client("c");
  c.secrets.push_back(ClientSecret{"s1", "one", hash_secret("first"), "irst", std::nullopt});
  c.secrets.push_back(ClientSecret{"s2", "two", hash_secret("second"), "cond", std::nullopt});
  CHECK(secret_matches(c, "first"));
  CHECK(secret_matches(c, "second"));
  CHECK_FALSE(secret_matches(c, "third"));
  CHECK_FALSE(secret_matches(c, ""));
  CHECK_FALSE(secret_matches(client("none"), ""));
}

TEST_CASE("client_store: the audience of a client's tokens is its id unless it names one") {
  Client c = client("web");
  CHECK(client_audience(c) == std::vector<std::string>{"web"});
  c.audience = {"ledger", "payments"};
  CHECK(client_audience(c) == std::vector<std::string>{"ledger", "payments"});
}

TEST_CASE("client_store: static clients are found first, never listed, never replaced") {
  ClientStore s({client("fixture")});
  auto f = s.find("fixture");
  REQUIRE(f);
  CHECK(f->is_static);
  CHECK(s.create(client("fixture")) == Create::id_taken);
  CHECK_FALSE(s.find_dynamic("fixture"));
  CHECK_FALSE(s.update(client("fixture")));
  s.remove("fixture"); // not the management API's to remove
  CHECK(s.find("fixture"));
  ClientStore::NewSecret out;
  CHECK(s.add_secret("fixture", "n", std::nullopt, &out) == SecretOutcome::no_client);
  CHECK(s.delete_secret("fixture", "any") == SecretOutcome::no_client);
  CHECK(s.list_dynamic().empty());
  CHECK_FALSE(s.find("unknown"));
}

TEST_CASE("client_store: dynamic clients: created, listed in creation order, updated, removed") {
  ClientStore s({});
  Client a = client("a");
  a.is_static = true; // ignored: a dynamic client is never static
  CHECK(s.create(a) == Create::created);
  CHECK(s.create(client("b")) == Create::created);
  CHECK(s.create(client("a")) == Create::id_taken);
  CHECK_FALSE(s.find("a")->is_static);
  auto list = s.list_dynamic();
  REQUIRE(list.size() == 2);
  CHECK(list[0]->id == "a");
  CHECK(list[1]->id == "b");

  SECTION("update replaces everything but id, secrets and the fixture-only extensions") {
    Client x = client("x");
    x.audience = {"ledger"};
    x.grant_types = std::vector<std::string>{"client_credentials"};
    x.access_token_lifetime = 60;
    x.user_token_lifetime = 120;
    x.refresh_token_lifetime = 600;
    REQUIRE(s.create(x) == Create::created);
    ClientStore::NewSecret secret;
    REQUIRE(s.add_secret("x", "key", std::nullopt, &secret) == SecretOutcome::ok);
    Client changed = client("x");
    changed.name = "renamed";
    changed.scopes = {"ledger:read"};
    auto updated = s.update(changed);
    REQUIRE(updated);
    CHECK(updated->name == "renamed");
    CHECK(updated->scopes == std::vector<std::string>{"ledger:read"});
    REQUIRE(updated->secrets.size() == 1);
    CHECK(updated->secrets[0].id == secret.secret.id);
    CHECK(updated->audience == std::vector<std::string>{"ledger"});
    CHECK(updated->grant_types == std::vector<std::string>{"client_credentials"});
    CHECK(updated->access_token_lifetime == 60);
    CHECK(updated->user_token_lifetime == 120);
    CHECK(updated->refresh_token_lifetime == 600);
    CHECK_FALSE(updated->is_static);
    CHECK(s.find("x")->name == "renamed");
    CHECK_FALSE(s.update(client("unknown")));
  }
  SECTION("remove is idempotent and keeps the order of the others") {
    CHECK(s.create(client("c")) == Create::created);
    s.remove("b");
    s.remove("b");
    list = s.list_dynamic();
    REQUIRE(list.size() == 2);
    CHECK(list[0]->id == "a");
    CHECK(list[1]->id == "c");
  }
  SECTION("clear_dynamic goes back to the fixture's clients") {
    s.clear_dynamic();
    CHECK(s.list_dynamic().empty());
    CHECK_FALSE(s.find("a"));
    CHECK(s.create(client("a")) == Create::created);
  }
}

TEST_CASE("client_store: a snapshot a reader holds does not change under it") {
  ClientStore s({});
  REQUIRE(s.create(client("a")) == Create::created);
  ClientStore::Ptr before = s.find("a");
  Client changed = client("a");
  changed.name = "new";
  s.update(changed);
  ClientStore::NewSecret secret;
  s.add_secret("a", "k", std::nullopt, &secret);
  CHECK(before->name == "a name");
  CHECK(before->secrets.empty());
  CHECK(s.find("a")->name == "new");
}

TEST_CASE("client_store: secrets are UUIDs shown once, their last four digits kept") {
  ClientStore s({});
  REQUIRE(s.create(client("a")) == Create::created);
  ClientStore::NewSecret out;
  REQUIRE(s.add_secret("a", "deploy", Metadata{{"env", "ci"}}, &out) == SecretOutcome::ok);
  CHECK(out.clear.size() == 36);
  CHECK(out.secret.id.size() == 36);
  CHECK(out.secret.name == "deploy");
  CHECK(out.secret.hash == hash_secret(out.clear));
  CHECK(out.secret.last_digits == out.clear.substr(32));
  CHECK(out.secret.metadata == Metadata{{"env", "ci"}});
  auto stored = s.find("a");
  REQUIRE(stored->secrets.size() == 1);
  CHECK(stored->secrets[0].hash == out.secret.hash);
  CHECK(secret_matches(*stored, out.clear));

  CHECK(s.delete_secret("a", "unknown") == SecretOutcome::no_secret);
  CHECK(s.delete_secret("unknown", out.secret.id) == SecretOutcome::no_client);
  CHECK(s.delete_secret("a", out.secret.id) == SecretOutcome::ok);
  CHECK_FALSE(secret_matches(*s.find("a"), out.clear));
  CHECK(s.delete_secret("a", out.secret.id) == SecretOutcome::no_secret);
  CHECK(s.add_secret("unknown", "x", std::nullopt, &out) == SecretOutcome::no_client);
}

TEST_CASE("client_store: at most kMaxSecretsPerClient secrets per client") {
  ClientStore s({});
  REQUIRE(s.create(client("a")) == Create::created);
  ClientStore::NewSecret out;
  for (size_t i = 0; i < kMaxSecretsPerClient; ++i)
    REQUIRE(s.add_secret("a", "s", std::nullopt, &out) == SecretOutcome::ok);
  std::string last = out.secret.id;
  CHECK(s.add_secret("a", "s", std::nullopt, &out) == SecretOutcome::full);
  CHECK(s.find("a")->secrets.size() == kMaxSecretsPerClient);
  REQUIRE(s.delete_secret("a", last) == SecretOutcome::ok);
  CHECK(s.add_secret("a", "s", std::nullopt, &out) == SecretOutcome::ok); // room again
}

TEST_CASE("client_store: at most kMaxDynamicClients dynamic clients; a full store refuses") {
  ClientStore s({client("fixture")});
  for (size_t i = 0; i < kMaxDynamicClients; ++i)
    REQUIRE(s.create(client("c" + std::to_string(i))) == Create::created);
  CHECK(s.create(client("extra")) == Create::full);
  CHECK_FALSE(s.find("extra"));
  CHECK(s.create(client("c0")) == Create::id_taken); // a taken id is still told as such
  CHECK(s.list_dynamic().size() == kMaxDynamicClients);
  CHECK(s.find("c0")); // nobody left
  s.remove("c0");
  CHECK(s.create(client("extra")) == Create::created);
}

TEST_CASE("client_store: redirect origins follow the clients that name them") {
  ClientStore s({client("fixture", {"https://fixture.example/cb"})});
  CHECK(s.has_redirect_origin("https://fixture.example"));
  CHECK_FALSE(s.has_redirect_origin("https://app.example"));

  REQUIRE(s.create(client("a", {"https://App.example:443/cb", "https://app.example/other"})) == Create::created);
  REQUIRE(s.create(client("b", {"https://app.example/b", "http://localhost:3000/cb", "not a url"})) == Create::created);
  CHECK(s.has_redirect_origin("https://app.example"));
  CHECK(s.has_redirect_origin("http://localhost:3000"));
  s.remove("a");
  CHECK(s.has_redirect_origin("https://app.example")); // b still names it
  Client b = client("b", {"http://localhost:3000/cb"});
  s.update(b);
  CHECK_FALSE(s.has_redirect_origin("https://app.example"));
  CHECK(s.has_redirect_origin("http://localhost:3000"));
  s.clear_dynamic();
  CHECK_FALSE(s.has_redirect_origin("http://localhost:3000"));
  CHECK(s.has_redirect_origin("https://fixture.example")); // the fixture's stay
}

TEST_CASE("client_store: threads creating clients with one id: exactly one is created") {
  for (int round = 0; round < 50; ++round) {
    ClientStore s({});
    constexpr int kThreads = 4;
    std::atomic<int> created{0}, taken{0};
    race(kThreads, [&](int) {
      Create outcome = s.create(client("same", {"https://app.example/cb"}));
      if (outcome == Create::created) ++created;
      if (outcome == Create::id_taken) ++taken;
    });
    INFO("round " << round);
    CHECK(created == 1);
    CHECK(taken == kThreads - 1);
    CHECK(s.list_dynamic().size() == 1);
    s.remove("same");
    CHECK_FALSE(s.has_redirect_origin("https://app.example")); // counted once, so gone with it
  }
}
