#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <future>
#include <iterator>
#include <memory>
#include <mutex>

#include "base/config_error.h"
#include "base/embedded.h"
#include "base/once_task.h"
#include "cli/embedded_keys.h"
#include "cli/key_preparer.h"
#include "cli/key_warm_up.h"
#include "cli/startup.h"

using namespace authemu;

TEST_CASE("startup: the issuer") {
  Options o;
  SECTION("derived from the bound port, localhost for loopback and wildcard listeners") {
    CHECK(derive_issuer(o, "127.0.0.1", 41234) == "http://localhost:41234/api/auth");
    CHECK(derive_issuer(o, "0.0.0.0", 8080) == "http://localhost:8080/api/auth");
    CHECK(derive_issuer(o, "10.1.2.3", 80) == "http://10.1.2.3:80/api/auth");
    CHECK(derive_issuer(o, "fd00::1", 80) == "http://[fd00::1]:80/api/auth");
    CHECK(derive_issuer(o, "::", 8080) == "http://localhost:8080/api/auth");
    CHECK(derive_issuer(o, "::1", 8080) == "http://localhost:8080/api/auth");
    CHECK(derive_issuer(o, "localhost", 8080) == "http://localhost:8080/api/auth");
    // Loopback, but not what localhost reaches: named as it is.
    CHECK(derive_issuer(o, "127.0.0.2", 8080) == "http://127.0.0.2:8080/api/auth");
  }
  SECTION("--base-url as given, without a trailing slash") {
    o.base_url = "https://org-stack.sandbox.formance.cloud/api/auth/";
    CHECK(derive_issuer(o, "127.0.0.1", 1) == "https://org-stack.sandbox.formance.cloud/api/auth");
  }
  SECTION("--base-url must be an http(s) URL without query or fragment") {
    for (const char* bad : {"localhost/api/auth", "ftp://h/x", "http://h/x?y=1", "http://h/#f", "http:///x"}) {
      o.base_url = bad;
      CHECK_THROWS_WITH(
          derive_issuer(o, "127.0.0.1", 1),
          std::string("--base-url: expected an http:// or https:// URL without query or fragment, got '") + bad + "'");
    }
  }
}

TEST_CASE("startup: --browser-url puts the issuer on the browser's origin; --base-url wins") {
  Options o;
  o.browser_url = "http://localhost:8080/";
  CHECK(derive_issuer(o, "0.0.0.0", 8080) == "http://localhost:8080/api/auth");
  o.base_url = "https://id.example/api/auth";
  CHECK(derive_issuer(o, "0.0.0.0", 8080) == "https://id.example/api/auth"); // --base-url wins
  o.base_url.clear();
  o.browser_url = "http://localhost:8080/app";
  CHECK_THROWS_WITH(derive_issuer(o, "0.0.0.0", 8080), Catch::StartsWith("--browser-url: expected an origin"));
  // Back channels then follow the request's Host (app_test has what discovery makes of it).
  o.browser_url = "http://localhost:8080";
  CHECK(app_settings(o, "http://localhost:8080/api/auth").back_channel_by_host);
  CHECK_FALSE(app_settings(Options{}, "http://localhost:8080/api/auth").back_channel_by_host);
}

TEST_CASE("startup: fixtures and keys from options") {
  Options o;
  auto no_env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  CHECK(load_fixture_option(o, no_env).clients.at(0).id == "testing");
  o.config = "tests/data/does-not-exist.yaml";
  CHECK_THROWS_WITH(load_fixture_option(o, no_env),
                    "--config: cannot open tests/data/does-not-exist.yaml: No such file or directory");

  Options k;
  SigningKey a = load_signing_key(k);
  SigningKey b = load_signing_key(k);
  CHECK(a.kid() == b.kid()); // the embedded test key: stable across starts
  k.signing_key = "tests/data/pkcs8-rsa-2048.pem";
  CHECK(load_signing_key(k).kid() != a.kid());
  k.signing_key = "tests/data/rsa-1024.pem";
  CHECK_THROWS_WITH(load_signing_key(k), "--signing-key: RSA key of 1024 bits; RS256 needs at least 2048");
  k.signing_key = "-----BEGIN RSA PRIVATE KEY-----\ngarbage\n-----END RSA PRIVATE KEY-----\n";
  CHECK_THROWS_WITH(load_signing_key(k), Catch::StartsWith("--signing-key: not a PKCS#1 or PKCS#8 PEM private key"));
}

TEST_CASE("startup: the signing algorithm decides the key") {
  Options k;
  SECTION("ES256 and PS256 without a key: a new key at each start") {
    for (const char* alg : {"ES256", "PS256"}) {
      k.signing_algorithm = alg;
      SigningKey a = load_signing_key(k);
      CHECK(algorithm_name(a.alg()) == std::string(alg));
      CHECK(load_signing_key(k).kid() != a.kid());
    }
  }
  SECTION("keys from PEM and JWK files") {
    k.signing_algorithm = "ES256";
    k.signing_key = "tests/data/ec-p256-sec1.pem";
    CHECK(load_signing_key(k).alg() == Algorithm::ES256);
    k.signing_key = "tests/data/ec-p256.jwk";
    SigningKey jwk = load_signing_key(k);
    k.signing_key = "tests/data/ec-p256.pem";
    CHECK(load_signing_key(k).kid() == jwk.kid());
    k.signing_algorithm = "PS256";
    k.signing_key = "tests/data/rsa-2048.jwk";
    CHECK(load_signing_key(k).alg() == Algorithm::PS256);
  }
  SECTION("a key of another kind is refused") {
    k.signing_algorithm = "ES256";
    k.signing_key = "tests/data/pkcs8-rsa-2048.pem";
    CHECK_THROWS_WITH(load_signing_key(k), "--signing-key: not an EC key");
    k.signing_key = "tests/data/rsa-2048.jwk";
    CHECK_THROWS_WITH(load_signing_key(k), "--signing-key: JWK kty RSA does not fit ES256");
  }
  SECTION("HS256 needs its secret, and only HS256 takes one") {
    k.signing_algorithm = "HS256";
    CHECK_THROWS_WITH(load_signing_key(k), "--signing-secret: required with --signing-algorithm HS256");
    k.signing_secret = "short";
    CHECK_THROWS_WITH(load_signing_key(k), "--signing-secret: HS256 secret of 5 bytes; HS256 needs at least 32");
    k.signing_secret = std::string(32, 's');
    CHECK(load_signing_key(k).alg() == Algorithm::HS256);
    k.signing_algorithm = "RS256";
    CHECK_THROWS_WITH(load_signing_key(k), "--signing-secret: only used with HS256, and --signing-algorithm is RS256");
  }
  SECTION("--generate-signing-key generates for the algorithm") {
    k.generate_signing_key = true;
    k.signing_algorithm = "ES256";
    CHECK(load_signing_key(k).alg() == Algorithm::ES256);
  }
}

TEST_CASE("startup: key text in --signing-key, leading whitespace skipped") {
  auto text = [](const char* file) {
    std::ifstream in(std::string("tests/data/") + file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  Options k;
  k.signing_algorithm = "ES256";
  k.signing_key = "tests/data/ec-p256.pem";
  std::string kid = load_signing_key(k).kid();
  for (const char* lead : {"", "\n", "  \r\n\t"}) {
    k.signing_key = lead + text("ec-p256.pem");
    CHECK(load_signing_key(k).kid() == kid);
    k.signing_key = lead + text("ec-p256.jwk");
    CHECK(load_signing_key(k).kid() == kid);
  }
}

TEST_CASE("startup: the app's settings copied from the options") {
  Options o;
  SECTION("the defaults are the settings' defaults") {
    AppSettings s = app_settings(o, "http://localhost:8080/api/auth");
    AppSettings d;
    CHECK(s.environment.issuer == "http://localhost:8080/api/auth");
    CHECK(s.environment.name.empty());
    CHECK_FALSE(s.environment.fixed_issuer);
    CHECK(s.environment.key_rotation_grace == d.environment.key_rotation_grace);
    CHECK(s.environment.tokens.access_token_lifetime == d.environment.tokens.access_token_lifetime);
    CHECK(s.environment.tokens.user_token_lifetime == d.environment.tokens.user_token_lifetime);
    CHECK(s.environment.tokens.refresh_token_lifetime == d.environment.tokens.refresh_token_lifetime);
    CHECK(s.environment.tokens.role_claim == d.environment.tokens.role_claim);
    CHECK(s.admin_api);
    CHECK_FALSE(s.clock_start);
  }
  SECTION("every option that is a setting") {
    o.auth_issuers = {"https://a.example/api/auth", "https://b.example"};
    o.auth_check_scopes = true;
    o.key_rotation_grace = 600;
    o.access_token_lifetime = 11;
    o.user_token_lifetime = 22;
    o.refresh_token_lifetime = 33;
    o.role_claim = "roles";
    o.debug = true;
    o.clock_start = 1893456000;
    o.clock_frozen = true;
    o.admin_api = false;
    o.admin_token = "admin-secret";
    AppSettings s = app_settings(o, "https://issuer.example/api/auth");
    CHECK(s.environment.issuer == "https://issuer.example/api/auth");
    CHECK(s.environment.extra_issuers == std::vector<std::string>{"https://a.example/api/auth", "https://b.example"});
    CHECK(s.environment.check_scopes);
    CHECK(s.environment.key_rotation_grace == 600);
    CHECK(s.environment.tokens.access_token_lifetime == 11);
    CHECK(s.environment.tokens.user_token_lifetime == 22);
    CHECK(s.environment.tokens.refresh_token_lifetime == 33);
    CHECK(s.environment.tokens.role_claim == "roles");
    CHECK_FALSE(s.environment.tokens.platform);
    CHECK(s.debug);
    CHECK(s.clock_start == 1893456000);
    CHECK(s.clock_frozen);
    CHECK_FALSE(s.admin_api);
    CHECK(s.admin_token == "admin-secret");
  }
}

TEST_CASE("startup: a setting of the table reaches the default environment from its option and a fixture "
          "environment from its key") {
  Options o;
  o.id_token_lifetime = 1200;
  AppSettings settings = app_settings(o, "http://localhost:8080/api/auth");
  CHECK(settings.environment.tokens.id_token_lifetime == 1200);
  Fixture f = load_fixture("environments:\n  sandbox: {idTokenLifetime: 10m}\n  staging: {}\n", "env.yaml",
                           [](const std::string&) -> std::optional<std::string> { return std::nullopt; });
  SigningKey key = load_signing_key(Options{});
  auto specs = environment_specs(o, settings, std::move(f), key);
  REQUIRE(specs.size() == 3);
  CHECK(specs[0].settings.tokens.id_token_lifetime == 1200);
  CHECK(specs[1].settings.name == "sandbox");
  CHECK(specs[1].settings.tokens.id_token_lifetime == 600);
  CHECK(specs[2].settings.tokens.id_token_lifetime == 1200); // unset: the server's
  CHECK_THROWS_WITH(load_fixture("environments:\n  sandbox: {idTokenLifetime: soon}\n", "env.yaml",
                                 [](const std::string&) -> std::optional<std::string> { return std::nullopt; }),
                    Catch::Contains("idTokenLifetime"));
}

TEST_CASE("startup: the admin API's exposure facts and the warning when a real key is served beyond loopback") {
  Options o;
  auto no_env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  auto specs_with = [&](SigningKey key) {
    AppSettings s = app_settings(o, "http://localhost:8080/api/auth");
    return environment_specs(o, s, load_fixture_option(o, no_env), std::move(key)); // sandbox, platform: embedded keys
  };
  const std::string kWarning =
      "the admin API refuses mint and rotation to a given key until an admin token is set (--admin-token, "
      "ADMIN_TOKEN): environments default sign with keys that are not embedded test keys and the server listens "
      "on 0.0.0.0, beyond loopback";
  SECTION("the embedded test keys: nothing to protect") {
    AppSettings s;
    CHECK_FALSE(note_exposure(s, specs_with(load_signing_key(o)), "0.0.0.0"));
    CHECK_FALSE(s.secret_keys);
    CHECK(s.beyond_loopback);
  }
  SECTION("the test key from a file is still the test key") {
    o.signing_key = "fixtures/test-signing-key.pem";
    AppSettings s;
    CHECK_FALSE(note_exposure(s, specs_with(load_signing_key(o)), "0.0.0.0"));
    CHECK_FALSE(s.secret_keys);
  }
  SECTION("a generated key: warned beyond loopback without a token") {
    o.generate_signing_key = true;
    SigningKey key = load_signing_key(o);
    AppSettings s;
    CHECK(note_exposure(s, specs_with(key), "0.0.0.0") == kWarning);
    CHECK(s.secret_keys);
    for (const char* local : {"127.0.0.1", "127.0.0.2", "::1", "localhost"}) {
      INFO(local);
      AppSettings l;
      CHECK_FALSE(note_exposure(l, specs_with(key), local));
      CHECK(l.secret_keys);
      CHECK_FALSE(l.beyond_loopback);
    }
    for (const char* beyond : {"::", "10.1.2.3", "127.example.com"}) {
      INFO(beyond);
      AppSettings l;
      CHECK(note_exposure(l, specs_with(key), beyond));
      CHECK(l.beyond_loopback);
    }
    AppSettings t;
    t.admin_token = "x";
    CHECK_FALSE(note_exposure(t, specs_with(key), "0.0.0.0"));
    CHECK((t.secret_keys && t.beyond_loopback));
  }
}

TEST_CASE("startup: --config must name a fixture file that says something, and messages name where it came from") {
  auto no_env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  Options o;
  o.config = "tests/data";
  CHECK_THROWS_WITH(load_fixture_option(o, no_env), "--config: tests/data is a directory, not a file");
  o.config = "tests/data/empty.yaml";
  CHECK_THROWS_WITH(load_fixture_option(o, no_env),
                    "--config: tests/data/empty.yaml is empty (expected clients:, users:, environments: or platform:)");
  o.sources["config"] = "CONFIG"; // as parse_options records a value from the environment
  CHECK_THROWS_WITH(load_fixture_option(o, no_env),
                    "CONFIG: tests/data/empty.yaml is empty (expected clients:, users:, environments: or platform:)");
  o.config = "tests/data/nope.yaml";
  CHECK_THROWS_WITH(load_fixture_option(o, no_env),
                    "CONFIG: cannot open tests/data/nope.yaml: No such file or directory");
  Options k;
  k.signing_key = "tests/data/nope.pem";
  k.sources["signing-key"] = "SIGNING_KEY";
  CHECK_THROWS_WITH(load_signing_key(k), "SIGNING_KEY: cannot open tests/data/nope.pem: No such file or directory");
}

TEST_CASE("startup: check-config loads a fixture with its environments' keys, without serving") {
  auto no_env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  std::vector<std::string> warnings;
  Options o;
  o.args = {"tests/data/environments.yaml"};
  CHECK(check_config(o, no_env, &warnings) ==
        "tests/data/environments.yaml: ok (default: 1 clients, 0 users; staging: 1 clients, 0 users)");
  CHECK(warnings.empty());
  // The environment's key file is named on its own line (6), not on the environment's (3).
  o.args = {"tests/data/bad-environment.yaml"};
  CHECK_THROWS_WITH(check_config(o, no_env, &warnings),
                    "tests/data/bad-environment.yaml:6: environments.staging.signingKey: cannot open "
                    "tests/data/no-such-key.pem: No such file or directory");
  o.args = {"tests/data/empty.yaml"};
  CHECK_THROWS_WITH(check_config(o, no_env, &warnings),
                    "check-config: tests/data/empty.yaml is empty (expected clients:, users:, environments: or "
                    "platform:)");
  o.args = {};
  CHECK_THROWS_WITH(check_config(o, no_env, &warnings),
                    "check-config: usage: authemu check-config FILE (or --config FILE)");
  o.args = {"a", "b"};
  CHECK_THROWS_WITH(check_config(o, no_env, &warnings), "check-config: usage: authemu check-config FILE");
}

TEST_CASE("startup: the stand-in services of --services, each name or name@version") {
  Options o;
  AppSettings d = app_settings(o, "http://localhost:8080/api/auth");
  REQUIRE(d.services.size() == 6);
  CHECK(d.services[0].name == "ledger");
  CHECK(d.services[0].version == "v2.0.0");
  CHECK(d.services[5].name == "reconciliation");
  o.services = {"ledger@v2.1.0", "custody"};
  AppSettings s = app_settings(o, "http://localhost:8080/api/auth");
  REQUIRE(s.services.size() == 2);
  CHECK(s.services[0].version == "v2.1.0");
  CHECK(s.services[1].name == "custody");
  o.services = {"auth"};
  CHECK_THROWS_WITH(app_settings(o, "http://localhost:8080/api/auth"),
                    "--services: expected service names such as ledger or ledger@v2.1.0 (a-z, 0-9, '-'; not auth), "
                    "got 'auth'");
}

std::string test_pem() {
  return std::string(*embedded_file("test-signing-key-sandbox.pem"));
}

// How many signing slots key has (prepare_slot of a slot that is ready already changes nothing).
size_t slot_count(const SigningKey& key) {
  size_t slots = 0;
  while (key.prepare_slot(slots))
    ++slots;
  return slots;
}

// Whether the preparer's thread ends in time (the machine is shared: generous).
bool ends(const KeyPreparer& preparer) {
  return preparer.finished().wait_for(std::chrono::seconds(60)) == std::future_status::ready;
}

std::shared_ptr<OnceTask<SigningKey>> task_of(const Options& options) {
  return std::make_shared<OnceTask<SigningKey>>([options] { return load_signing_key(options); });
}

TEST_CASE("startup: KeyPreparer prepares in the background; the keys sign the same before, during and after") {
  Options o;
  SigningKey other = SigningKey::from_pem(Algorithm::RS256, test_pem());
  SECTION("the default key loaded ahead, what the fixture will name, then the others") {
    auto task = task_of(o);
    std::mutex m;
    std::condition_variable ran;
    int ahead = 0;
    auto note = [&] {
      std::lock_guard<std::mutex> lock(m);
      ++ahead;
      ran.notify_all();
    };
    KeyPreparer preparer(task, {note, note});
    SigningKey key = task->get(); // by whichever thread came first, once
    CHECK(load_signing_key(o).verify("x", key.sign("x")));
    preparer.prepare_later({other});
    CHECK(other.verify("y", other.sign("y")));
    REQUIRE(ends(preparer));
    CHECK(ahead == 2);
  }
  SECTION("destroyed before prepare_later (a fixture error): it stops without waiting") {
    o.signing_key = test_pem(); // a key of its own, whose slots nothing else prepares
    auto task = task_of(o);
    std::promise<void> gate;
    std::shared_future<void> open = gate.get_future().share();
    std::shared_future<void> finished;
    {
      KeyPreparer preparer(task, {[open] { open.wait(); }});
      finished = preparer.finished();
    }
    // The destructor returned while the thread was still held in its load ahead: it did not wait.
    CHECK(finished.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
    gate.set_value();
    // The thread then ends without prepare_later, after the default key's first slot only.
    REQUIRE(finished.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
    SigningKey key = task->get();
    CHECK(key.prepared_slots() == 1);
    CHECK(key.verify("x", key.sign("x")));
  }
  SECTION("a bad key: the thread that asks for it gets the error, the preparer stops") {
    o.signing_key = "/nonexistent/key.pem";
    auto task = task_of(o);
    KeyPreparer preparer(task, {});
    CHECK_THROWS_AS(task->get(), ConfigError);
    CHECK_THROWS_AS(task->get(), ConfigError);
    CHECK(ends(preparer));
  }
  SECTION("an ES256 key (a nonce made ahead) and an HS256 key (nothing to prepare)") {
    o.signing_algorithm = "ES256";
    auto task = task_of(o);
    KeyPreparer preparer(task, {});
    SigningKey ec = task->get();
    SigningKey hs = SigningKey::from_secret(std::string(32, 's'));
    preparer.prepare_later({hs});
    REQUIRE(ends(preparer));
    size_t ec_ready = ec.prepared_slots();
    CHECK(ec_ready >= 1);
    CHECK(ec_ready == slot_count(ec));
    CHECK(hs.prepared_slots() == 0);
    CHECK(ec.verify("x", ec.sign("x")));
  }
}

TEST_CASE(
    "startup: KeyPreparer prepares the default key's slots, then the later keys', before any signature needs them") {
  Options o;
  // Keys of their own (the embedded one is shared by the whole test binary): a secret RSA key
  // (blinding values), a published one (Montgomery constants), an ES256 key (nonces).
  o.signing_key = test_pem();
  auto task = task_of(o);
  SigningKey published = SigningKey::embedded_test_key("test-signing-key-platform.pem", Algorithm::RS256);
  SigningKey ec = SigningKey::generate(Algorithm::ES256);
  REQUIRE(published.prepared_slots() == 0);
  REQUIRE(ec.prepared_slots() == 0);
  KeyPreparer preparer(task, {});
  preparer.prepare_later({published, ec});
  REQUIRE(ends(preparer));
  SigningKey key = task->get();
  // Read before slot_count, which prepares what is not.
  size_t key_ready = key.prepared_slots(), published_ready = published.prepared_slots();
  size_t ec_ready = ec.prepared_slots();
  CHECK(key_ready >= 1);
  CHECK(key_ready == slot_count(key));
  CHECK(published_ready == slot_count(published));
  CHECK(ec_ready == slot_count(ec));
  CHECK(SigningKey::from_pem(Algorithm::RS256, test_pem()).verify("x", key.sign("x")));
  CHECK(ec.verify("x", ec.sign("x")));
}

TEST_CASE("startup: KeyWarmUp loads the default key and prepares the other environments' keys") {
  auto no_env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  Options o;
  SECTION("the embedded fixture: the default key, then the environments' embedded keys") {
    KeyWarmUp keys(o);
    Fixture fixture = load_fixture_option(o, no_env);
    SigningKey key = keys.default_key();
    CHECK(key.kid() == load_signing_key(o).kid());
    auto specs = environment_specs(o, app_settings(o, "http://localhost:8080/api/auth"), std::move(fixture), key);
    keys.prepare_rest(specs);
    CHECK(specs[0].key.verify("x", keys.default_key().sign("x")));
  }
  SECTION("a bad key: default_key reports it, each time") {
    o.signing_key = "/nonexistent/key.pem";
    KeyWarmUp keys(o);
    CHECK_THROWS_AS(keys.default_key(), ConfigError);
    CHECK_THROWS_AS(keys.default_key(), ConfigError);
  }
}

TEST_CASE("startup: the embedded keys load once, published, and the embedded fixture's are named") {
  CHECK(embedded_fixture_key_names() ==
        std::vector<std::string>{"test-signing-key-sandbox.pem", "test-signing-key-platform.pem"});
  // The build's list is what the loaded fixture names, in environment_specs' order.
  Fixture fixture = load_fixture_option(Options{}, [](const std::string&) { return std::nullopt; });
  std::vector<const EnvironmentFixture*> environments;
  for (const auto& e : fixture.environments)
    environments.push_back(&e);
  if (fixture.platform) environments.push_back(&*fixture.platform);
  std::vector<std::string> named;
  for (const auto* e : environments) {
    if (e->signing_key && e->signing_key->rfind("embedded:", 0) == 0) named.push_back(e->signing_key->substr(9));
  }
  CHECK(embedded_fixture_key_names() == named);
  SigningKey a = embedded_key("test-signing-key-sandbox.pem", Algorithm::RS256);
  load_embedded_key_ahead("test-signing-key-sandbox.pem", Algorithm::RS256); // loaded already: nothing
  CHECK(embedded_key("test-signing-key-sandbox.pem", Algorithm::RS256).kid() == a.kid());
  CHECK(a.kid() == SigningKey::from_pem(Algorithm::RS256, test_pem()).kid());
  CHECK(a.sign("x") == SigningKey::from_pem(Algorithm::RS256, test_pem()).sign("x")); // RS256 is deterministic
  SigningKey ps = embedded_key("test-signing-key-sandbox.pem", Algorithm::PS256);
  CHECK(ps.alg() == Algorithm::PS256);
  CHECK(ps.verify("x", ps.sign("x")));
  CHECK(is_embedded_test_key(a));
  CHECK(is_embedded_test_key(load_signing_key(Options{})));
  CHECK_FALSE(is_embedded_test_key(SigningKey::generate(Algorithm::RS256)));
  CHECK_THROWS_WITH(embedded_key("nope.pem", Algorithm::RS256), "no embedded file nope.pem");
  load_embedded_key_ahead("nope.pem", Algorithm::RS256); // never throws
}
