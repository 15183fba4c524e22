// store/authorization_store: authorization codes (single use), requests parked on the login page,
// pushed requests (RFC 9126), each expiring by the clock and capped at kMaxAuthorizations.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "store/authorization_store.h"
#include "race_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

constexpr int64_t kNow = 1700000000;
using Redeem = AuthorizationStore::Redeem;

AuthorizationCode code_for(const std::string& client, const std::string& user = "u-alice") {
  AuthorizationCode c;
  c.request.client_id = client;
  c.request.redirect_uri = "https://app.example/cb";
  c.request.state = "st";
  c.request.scope = "openid";
  c.sign_in.user_id = user;
  c.sign_in.auth_time = kNow;
  c.sign_in.amr = {"pwd"};
  return c;
}

AuthorizationRequest request_of(const std::string& client) {
  AuthorizationRequest r;
  r.client_id = client;
  r.redirect_uri = "https://app.example/cb";
  r.scope = "openid";
  return r;
}

} // namespace

TEST_CASE("authorization_store: a code is redeemed once; a second redemption names the first's family") {
  AuthorizationStore s;
  std::string code = s.issue_code(code_for("web"), kNow + 60, kNow);
  CHECK(code.size() == 43); // 256 bits, base64url
  auto peeked = s.peek_code(code, kNow);
  REQUIRE(peeked);
  CHECK(peeked->request.client_id == "web");
  CHECK(peeked->sign_in.user_id == "u-alice");
  CHECK(peeked->family.empty());

  AuthorizationCode out;
  REQUIRE(s.redeem_code(code, "family-1", kNow, &out) == Redeem::ok);
  CHECK(out.request.state == "st");
  CHECK(out.family == "family-1");
  CHECK_FALSE(s.peek_code(code, kNow)); // used

  AuthorizationCode again;
  CHECK(s.redeem_code(code, "family-2", kNow + 1, &again) == Redeem::reused);
  CHECK(again.family == "family-1"); // whose tokens the caller revokes (RFC 6749 §4.1.2)
  CHECK(s.redeem_code(code, "family-3", kNow + 1, nullptr) == Redeem::reused);
  CHECK(s.counts().codes == 1); // kept until its expiry, to recognise reuse

  CHECK(s.redeem_code("not-a-code", "f", kNow, &out) == Redeem::unknown);
  CHECK(s.redeem_code("", "f", kNow, &out) == Redeem::unknown);
  CHECK(s.redeem_code(std::string(257, 'a'), "f", kNow, &out) == Redeem::unknown);
}

TEST_CASE("authorization_store: a code works just before its expiry, not at it") {
  AuthorizationStore s;
  std::string a = s.issue_code(code_for("web"), kNow + 60, kNow);
  std::string b = s.issue_code(code_for("web"), kNow + 60, kNow);
  AuthorizationCode out;
  CHECK(s.peek_code(a, kNow + 59));
  CHECK(s.redeem_code(a, "f", kNow + 59, &out) == Redeem::ok);
  CHECK_FALSE(s.peek_code(b, kNow + 60));
  CHECK(s.redeem_code(b, "f", kNow + 60, &out) == Redeem::unknown);
  CHECK(s.counts().codes == 0); // both expired records left
  SECTION("a used code is forgotten at its expiry: a late reuse is unknown, not reused") {
    CHECK(s.redeem_code(a, "g", kNow + 60, &out) == Redeem::unknown);
  }
}

TEST_CASE("authorization_store: a code that expires before an older one is still refused at its expiry") {
  // Records leave in insertion order, so this one waits behind the longer-lived first one.
  AuthorizationStore s;
  s.issue_code(code_for("web"), kNow + 600, kNow);
  std::string short_lived = s.issue_code(code_for("web"), kNow + 60, kNow);
  std::string parked = s.park(PendingLogin{}, kNow + 60, kNow);
  s.park(PendingLogin{}, kNow + 600, kNow);
  CHECK(s.peek_code(short_lived, kNow + 59));
  CHECK_FALSE(s.peek_code(short_lived, kNow + 60));
  AuthorizationCode out;
  CHECK(s.redeem_code(short_lived, "f", kNow + 60, &out) == Redeem::unknown);
  CHECK(s.counts().codes == 2); // still there, unusable
  CHECK(s.find_pending(parked, kNow + 59));
  CHECK_FALSE(s.find_pending(parked, kNow + 60)); // the oldest, so it leaves at once
  CHECK(s.counts().pending == 1);
}

TEST_CASE("authorization_store: a parked request is found, updated and taken once") {
  AuthorizationStore s;
  PendingLogin p;
  p.request = request_of("web");
  p.csrf = "csrf-1";
  p.browser = "browser-hash";
  std::string id = s.park(p, kNow + 600, kNow);
  CHECK(id.size() == 43);
  CHECK(s.counts().pending == 1);

  auto found = s.find_pending(id, kNow);
  REQUIRE(found);
  CHECK(found->csrf == "csrf-1");
  found->error = "Wrong username or password.";
  s.update_pending(id, *found);
  CHECK(s.find_pending(id, kNow)->error == "Wrong username or password.");
  s.update_pending("not-an-id", *found); // nothing to update
  CHECK(s.counts().pending == 1);

  auto taken = s.take_pending(id, kNow + 1);
  REQUIRE(taken);
  CHECK(taken->browser == "browser-hash");
  CHECK(taken->error == "Wrong username or password.");
  CHECK_FALSE(s.take_pending(id, kNow + 1));
  CHECK_FALSE(s.find_pending(id, kNow + 1));
  CHECK(s.counts().pending == 0);
}

TEST_CASE("authorization_store: a parked request lasts until just before its expiry") {
  AuthorizationStore s;
  std::string a = s.park(PendingLogin{}, kNow + 600, kNow);
  std::string b = s.park(PendingLogin{}, kNow + 600, kNow);
  CHECK(s.find_pending(a, kNow + 599));
  CHECK(s.take_pending(a, kNow + 599));
  CHECK_FALSE(s.find_pending(b, kNow + 600));
  CHECK_FALSE(s.take_pending(b, kNow + 600));
  CHECK(s.counts().pending == 0);
}

TEST_CASE("authorization_store: a pushed request is taken once, and only by the client that pushed it") {
  AuthorizationStore s;
  std::string id = s.push(request_of("web"), kNow + 60, kNow);
  CHECK(id.size() == 43);
  CHECK_FALSE(s.take_pushed(id, "other", kNow)); // changes nothing
  CHECK(s.counts().pushed == 1);
  auto r = s.take_pushed(id, "web", kNow + 59);
  REQUIRE(r);
  CHECK(r->redirect_uri == "https://app.example/cb");
  CHECK_FALSE(s.take_pushed(id, "web", kNow + 59));
  CHECK(s.counts().pushed == 0);

  std::string late = s.push(request_of("web"), kNow + 60, kNow);
  CHECK_FALSE(s.take_pushed(late, "web", kNow + 60)); // RFC 9126 §2.2: expires_in
  CHECK(s.counts().pushed == 0);
}

TEST_CASE("authorization_store: the three kinds are separate tables") {
  AuthorizationStore s;
  std::string code = s.issue_code(code_for("web"), kNow + 60, kNow);
  std::string parked = s.park(PendingLogin{}, kNow + 60, kNow);
  std::string pushed = s.push(request_of("web"), kNow + 60, kNow);
  CHECK_FALSE(s.find_pending(code, kNow));
  CHECK_FALSE(s.take_pushed(parked, "web", kNow));
  CHECK_FALSE(s.peek_code(pushed, kNow));
  auto c = s.counts();
  CHECK(c.codes == 1);
  CHECK(c.pending == 1);
  CHECK(c.pushed == 1);
  s.clear();
  c = s.counts();
  CHECK(c.codes == 0);
  CHECK(c.pending == 0);
  CHECK(c.pushed == 0);
  CHECK_FALSE(s.peek_code(code, kNow));
}

TEST_CASE("authorization_store: codes and parked requests keep the newest kMaxAuthorizations") {
  AuthorizationStore s;
  AuthorizationCode c = code_for("web");
  std::string first = s.issue_code(c, 1000, 0);
  std::string second = s.issue_code(c, 1000, 0);
  for (size_t i = 2; i < kMaxAuthorizations; ++i)
    s.issue_code(c, 1000, 0);
  CHECK(s.counts().codes == kMaxAuthorizations);
  CHECK(s.peek_code(first, 1));
  std::string newest = s.issue_code(c, 1000, 0); // one past the limit: the oldest leaves
  CHECK(s.counts().codes == kMaxAuthorizations);
  CHECK_FALSE(s.peek_code(first, 1));
  CHECK(s.peek_code(second, 1));
  CHECK(s.peek_code(newest, 1));
  // Expired records leave on the next use of their table, whatever the count.
  s.park(PendingLogin{}, 10, 0);
  s.issue_code(c, 2000, 1000);
  CHECK(s.counts().codes == 1);
  CHECK(s.counts().pending == 1);
  CHECK_FALSE(s.find_pending("unknown", 1000));
  CHECK(s.counts().pending == 0);
}

TEST_CASE("authorization_store: pushed requests keep the newest kMaxAuthorizations too") {
  AuthorizationStore s;
  std::string first = s.push(request_of("web"), 1000, 0);
  for (size_t i = 1; i < kMaxAuthorizations; ++i)
    s.push(request_of("web"), 1000, 0);
  CHECK(s.counts().pushed == kMaxAuthorizations);
  s.push(request_of("web"), 1000, 0);
  CHECK(s.counts().pushed == kMaxAuthorizations);
  CHECK_FALSE(s.take_pushed(first, "web", 1));
}

TEST_CASE("authorization_store: threads redeeming one code: exactly one redemption succeeds") {
  for (int round = 0; round < 50; ++round) {
    AuthorizationStore s;
    std::string code = s.issue_code(code_for("web"), kNow + 60, kNow);
    constexpr int kThreads = 4;
    std::atomic<int> ok{0}, reused{0};
    race(kThreads, [&](int i) {
      AuthorizationCode out;
      Redeem r = s.redeem_code(code, "family-" + std::to_string(i), kNow, &out);
      if (r == Redeem::ok) ++ok;
      if (r == Redeem::reused) ++reused;
    });
    INFO("round " << round);
    CHECK(ok == 1);
    CHECK(reused == kThreads - 1);
  }
}
