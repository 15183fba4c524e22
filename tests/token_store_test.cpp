// store/token_store: refresh tokens with rotation and reuse detection, token families and their
// revocation, revoked access tokens, and records that leave at their expiry.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "store/token_store.h"
#include "race_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

constexpr int64_t kNow = 1700000000;
using Use = TokenStore::Use;
using Revoke = TokenStore::Revoke;

RefreshGrant grant(const std::string& family, int64_t exp, const std::string& client = "c",
                   const std::string& user = "u") {
  RefreshGrant g;
  g.client_id = client;
  g.user_id = user;
  g.scope = "openid offline_access";
  g.auth_time = kNow - 5;
  g.family = family;
  g.exp = exp;
  g.iat = kNow;
  g.sid = "sid-1";
  g.amr = {"pwd"};
  g.audience = {"ledger"};
  return g;
}

} // namespace

TEST_CASE("token_store: a refresh token is used once and hands back its whole grant (RFC 6749 §6)") {
  TokenStore s;
  std::string rt = s.issue_refresh(grant("f", kNow + 600), kNow);
  CHECK(rt.size() == 43); // 256 bits, base64url
  CHECK(s.counts().refresh_tokens == 1);
  CHECK(s.counts().families == 1);

  auto found = s.find_refresh(rt, kNow);
  REQUIRE(found);
  CHECK(found->family == "f");
  RefreshGrant out;
  REQUIRE(s.use_refresh(rt, "c", kNow, &out) == Use::ok);
  CHECK(out.client_id == "c");
  CHECK(out.user_id == "u");
  CHECK(out.scope == "openid offline_access");
  CHECK(out.auth_time == kNow - 5);
  CHECK(out.exp == kNow + 600);
  CHECK(out.iat == kNow);
  CHECK(out.family == "f");
  CHECK(out.sid == "sid-1");
  CHECK(out.amr == std::vector<std::string>{"pwd"});
  CHECK(out.audience == std::vector<std::string>{"ledger"});
  CHECK_FALSE(s.find_refresh(rt, kNow)); // used: no longer live for introspection

  SECTION("rotation: the next token of the family works, the first is spent") {
    std::string next = s.issue_refresh(out, kNow + 1);
    CHECK(next != rt);
    CHECK(s.counts().families == 1);
    RefreshGrant again;
    CHECK(s.use_refresh(next, "c", kNow + 1, &again) == Use::ok);
    CHECK(again.family == "f");
  }
  SECTION("unknown tokens, the empty one included") {
    RefreshGrant ignored;
    CHECK(s.use_refresh("not-a-token", "c", kNow, &ignored) == Use::unknown);
    CHECK(s.use_refresh("", "c", kNow, &ignored) == Use::unknown);
    CHECK_FALSE(s.find_refresh("not-a-token", kNow));
  }
}

TEST_CASE("token_store: another client's refresh token is refused and stays usable by its own") {
  TokenStore s;
  std::string rt = s.issue_refresh(grant("f", kNow + 600), kNow);
  RefreshGrant out;
  CHECK(s.use_refresh(rt, "other", kNow, &out) == Use::other_client);
  CHECK(s.revoke_refresh(rt, "other", kNow) == Revoke::other_client);
  CHECK(s.find_refresh(rt, kNow));
  CHECK(s.use_refresh(rt, "c", kNow, &out) == Use::ok);
}

TEST_CASE("token_store: reuse of a rotated token revokes its whole family (OAuth 2.0 Security BCP §4.14.2)") {
  TokenStore s;
  std::string first = s.issue_refresh(grant("f", kNow + 600), kNow);
  s.record_access("f", "jti-1", kNow + 60, kNow);
  RefreshGrant out;
  REQUIRE(s.use_refresh(first, "c", kNow, &out) == Use::ok);
  std::string second = s.issue_refresh(out, kNow);
  s.record_access("f", "jti-2", kNow + 60, kNow);
  // Another family of the same user and client is not touched.
  std::string other = s.issue_refresh(grant("g", kNow + 600), kNow);
  s.record_access("g", "jti-g", kNow + 60, kNow);

  RefreshGrant ignored;
  CHECK(s.use_refresh(first, "c", kNow + 1, &ignored) == Use::reused);
  CHECK(s.is_access_revoked("jti-1"));
  CHECK(s.is_access_revoked("jti-2"));
  CHECK_FALSE(s.find_refresh(second, kNow + 1));
  CHECK(s.use_refresh(second, "c", kNow + 1, &ignored) == Use::unknown);
  CHECK(s.use_refresh(first, "c", kNow + 1, &ignored) == Use::unknown); // reported once, then gone
  CHECK_FALSE(s.is_access_revoked("jti-g"));
  CHECK(s.use_refresh(other, "c", kNow + 1, &ignored) == Use::ok);
  auto c = s.counts();
  CHECK(c.refresh_tokens == 1); // other, used
  CHECK(c.families == 2);       // f stays, revoked, until its expiry
  CHECK(c.revoked_access == 2);
}

TEST_CASE("token_store: what a refresh issues into a family that reuse revoked meanwhile is born revoked") {
  // The interleaving of the race that reuse detection must win (OAuth 2.0 Security BCP §4.14.2):
  // the winner takes the token out of use, a reuse revokes the family, then the winner issues.
  TokenStore store;
  RefreshGrant g = grant("f", kNow + 600);
  std::string rt = store.issue_refresh(g, kNow);
  store.record_access("f", "jti-1", kNow + 60, kNow);
  RefreshGrant won;
  REQUIRE(store.use_refresh(rt, "c", kNow, &won) == Use::ok);
  RefreshGrant ignored;
  REQUIRE(store.use_refresh(rt, "c", kNow, &ignored) == Use::reused);
  CHECK(store.is_access_revoked("jti-1"));

  std::string late = store.issue_refresh(won, kNow);
  store.record_access("f", "jti-2", kNow + 60, kNow);
  CHECK_FALSE(store.find_refresh(late, kNow));
  CHECK(store.use_refresh(late, "c", kNow, &ignored) == Use::unknown);
  CHECK(store.is_access_revoked("jti-2"));
  SECTION("RFC 7009 revocation of the family does the same") {
    RefreshGrant h = g;
    h.family = "g";
    REQUIRE(store.revoke_refresh(store.issue_refresh(h, kNow), "c", kNow) == Revoke::done);
    CHECK(store.use_refresh(store.issue_refresh(h, kNow), "c", kNow, &ignored) == Use::unknown);
    store.record_access("g", "jti-3", kNow + 60, kNow);
    CHECK(store.is_access_revoked("jti-3"));
  }
}

TEST_CASE("token_store: RFC 7009 revocation of a refresh token takes its family's access tokens") {
  TokenStore s;
  std::string rt = s.issue_refresh(grant("f", kNow + 600), kNow);
  s.record_access("f", "jti-1", kNow + 60, kNow);
  CHECK(s.revoke_refresh(rt, "c", kNow) == Revoke::done);
  CHECK(s.is_access_revoked("jti-1"));
  RefreshGrant out;
  CHECK(s.use_refresh(rt, "c", kNow, &out) == Use::unknown);
  CHECK(s.revoke_refresh(rt, "c", kNow) == Revoke::unknown); // revoked tokens are unknown
  CHECK(s.revoke_refresh("not-a-token", "c", kNow) == Revoke::unknown);
}

TEST_CASE("token_store: a family without refresh tokens still records its access tokens, for revocation") {
  TokenStore s;
  s.record_access("nobody-opened-it", "jti-0", kNow + 60, kNow); // no family: not recorded
  s.revoke_family("nobody-opened-it", kNow);
  CHECK_FALSE(s.is_access_revoked("jti-0"));
  CHECK(s.counts().families == 0);

  s.open_family(grant("code-1", kNow + 60), kNow);
  CHECK(s.counts().families == 1);
  CHECK(s.counts().refresh_tokens == 0);
  s.record_access("code-1", "jti-1", kNow + 60, kNow);
  s.revoke_family("code-1", kNow); // a reused authorization code
  CHECK(s.is_access_revoked("jti-1"));
  s.record_access("code-1", "jti-late", kNow + 60, kNow + 1); // issued by a request in flight
  CHECK(s.is_access_revoked("jti-late"));
}

TEST_CASE("token_store: logout revokes the user's access tokens at one client, not the refresh tokens") {
  TokenStore s;
  std::string rt = s.issue_refresh(grant("f1", kNow + 600), kNow);
  s.record_access("f1", "a1", kNow + 60, kNow);
  s.record_access("f1", "a2", kNow + 10, kNow); // expires before the logout
  s.open_family(grant("f2", kNow + 600), kNow);
  s.record_access("f2", "a3", kNow + 60, kNow);
  s.open_family(grant("f3", kNow + 600, "other-client"), kNow);
  s.record_access("f3", "b1", kNow + 60, kNow);
  s.open_family(grant("f4", kNow + 600, "c", "someone-else"), kNow);
  s.record_access("f4", "c1", kNow + 60, kNow);

  CHECK(s.revoke_user_access("c", "u", kNow + 10) == 2); // a1 and a3: a2 has expired
  CHECK(s.is_access_revoked("a1"));
  CHECK_FALSE(s.is_access_revoked("a2"));
  CHECK(s.is_access_revoked("a3"));
  CHECK_FALSE(s.is_access_revoked("b1"));
  CHECK_FALSE(s.is_access_revoked("c1"));
  CHECK(s.revoke_user_access("c", "u", kNow + 10) == 0); // counted once
  RefreshGrant out;
  CHECK(s.use_refresh(rt, "c", kNow + 10, &out) == Use::ok);
}

TEST_CASE("token_store: a revoked access token is kept until its expiry, an expired one is not kept") {
  TokenStore s;
  s.revoke_access("live", kNow + 60, kNow);
  s.revoke_access("expired", kNow, kNow); // exp == now: already dead
  CHECK(s.is_access_revoked("live"));
  CHECK_FALSE(s.is_access_revoked("expired"));
  CHECK(s.counts().revoked_access == 1);
  s.revoke_access("other", kNow + 120, kNow + 59); // any write purges first
  CHECK(s.is_access_revoked("live"));
  CHECK(s.counts().revoked_access == 2);
  s.revoke_access("other", kNow + 120, kNow + 60);
  CHECK_FALSE(s.is_access_revoked("live"));
  CHECK(s.counts().revoked_access == 1);
}

TEST_CASE("token_store: a refresh token works just before its expiry, not at it") {
  TokenStore s;
  std::string a = s.issue_refresh(grant("fa", kNow + 60), kNow);
  std::string b = s.issue_refresh(grant("fb", kNow + 60), kNow);
  RefreshGrant out;
  CHECK(s.find_refresh(a, kNow + 59));
  CHECK(s.use_refresh(a, "c", kNow + 59, &out) == Use::ok);
  CHECK_FALSE(s.find_refresh(b, kNow + 60));
  CHECK(s.use_refresh(b, "c", kNow + 60, &out) == Use::unknown);
  CHECK(s.revoke_refresh(b, "c", kNow + 60) == Revoke::unknown);
  auto c = s.counts();
  CHECK(c.refresh_tokens == 0);
  CHECK(c.families == 0);
}

TEST_CASE("token_store: a family lives as long as the latest thing in it") {
  TokenStore s;
  s.issue_refresh(grant("f", kNow + 60), kNow);
  s.record_access("f", "late", kNow + 90, kNow); // outlives the refresh token
  s.revoke_access("x", kNow + 200, kNow + 89);
  CHECK(s.counts().families == 1);
  CHECK(s.counts().refresh_tokens == 0);
  s.revoke_family("f", kNow + 89);
  CHECK(s.is_access_revoked("late"));
  s.revoke_access("x", kNow + 200, kNow + 90);
  CHECK(s.counts().families == 0);
  CHECK(s.counts().revoked_access == 1); // x
}

TEST_CASE("token_store: records leave at expiry, so memory follows the lifetimes") {
  TokenStore store;
  int64_t now = kNow;
  for (int i = 0; i < 1000; ++i) {
    RefreshGrant g = grant("f" + std::to_string(i), now + 60);
    store.issue_refresh(g, now);
    store.record_access(g.family, "jti" + std::to_string(i), now + 30, now);
    store.revoke_access("r" + std::to_string(i), now + 30, now);
    ++now; // one grant a second
  }
  // 1000 s of issuance with 60 s refresh and 30 s access lifetimes: at the last issuance (second
  // 999), those of seconds 940-999 and 970-999 are live.
  auto c = store.counts();
  CHECK(c.refresh_tokens == 60);
  CHECK(c.families == 60);
  CHECK(c.revoked_access == 30);
  RefreshGrant out;
  CHECK(store.use_refresh("not-a-token", "c", now + 60, &out) == Use::unknown);
  c = store.counts();
  CHECK(c.refresh_tokens == 0);
  CHECK(c.families == 0);
  CHECK(c.revoked_access == 0);
}

TEST_CASE("token_store: clear forgets every token, family and revocation") {
  TokenStore s;
  std::string rt = s.issue_refresh(grant("f", kNow + 600), kNow);
  s.record_access("f", "a", kNow + 60, kNow);
  s.revoke_access("b", kNow + 60, kNow);
  s.clear();
  auto c = s.counts();
  CHECK(c.refresh_tokens == 0);
  CHECK(c.families == 0);
  CHECK(c.revoked_access == 0);
  CHECK_FALSE(s.is_access_revoked("b"));
  RefreshGrant out;
  CHECK(s.use_refresh(rt, "c", kNow, &out) == Use::unknown);
}

TEST_CASE("token_store: threads racing with one refresh token: exactly one wins") {
  for (int round = 0; round < 50; ++round) {
    TokenStore s;
    std::string rt = s.issue_refresh(grant("f", kNow + 600), kNow);
    constexpr int kThreads = 4;
    std::atomic<int> ok{0}, reused{0}, unknown{0};
    race(kThreads, [&](int) {
      RefreshGrant out;
      switch (s.use_refresh(rt, "c", kNow, &out)) {
      case Use::ok:
        ++ok;
        break;
      case Use::reused:
        ++reused;
        break;
      case Use::unknown:
        ++unknown;
        break;
      case Use::other_client:
        break;
      }
    });
    INFO("round " << round);
    CHECK(ok == 1);
    CHECK(reused == 1); // the first reuse revokes the family; later ones find nothing
    CHECK(unknown == kThreads - 2);
  }
}
