// The sign-in stores at their limits: authorization codes and parked requests, sessions, users and
// the login queue each hold a bounded number of records.
#include <catch2/catch.hpp>

#include "store/authorization_store.h"
#include "store/session_store.h"
#include "store/user_store.h"
#include "testkit/login_queue.h"

using namespace authemu;

TEST_CASE("sign_in_stores: codes and parked requests keep the newest kMaxAuthorizations") {
  AuthorizationStore s;
  AuthorizationCode c;
  c.request.client_id = "web";
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

TEST_CASE("sign_in_stores: sessions keep the newest kMaxSessions") {
  SessionStore s;
  auto first = s.create("u", 0, {});
  for (size_t i = 1; i < kMaxSessions; ++i)
    s.create("u", 0, {});
  CHECK(s.find_by_cookie(first.cookie));
  s.create("v", 0, {});
  CHECK(s.list().size() == kMaxSessions);
  CHECK_FALSE(s.find_by_cookie(first.cookie));
  CHECK_FALSE(s.find(first.session.sid));
  CHECK(s.end_for_user("v") == 1);
}

TEST_CASE("sign_in_stores: at most kMaxUsers users; a full store refuses, a replacement still works") {
  UserStore s({});
  for (size_t i = 0; i < kMaxUsers; ++i) {
    User u;
    u.id = "u" + std::to_string(i);
    u.username = u.id;
    REQUIRE(s.add(u) == UserStore::AddOutcome::added);
  }
  User extra;
  extra.id = "extra";
  extra.username = "extra";
  CHECK(s.add(extra) == UserStore::AddOutcome::full);
  User again;
  again.id = "u7";
  again.username = "u7";
  again.email = "u7@example.com";
  CHECK(s.add(again, true) == UserStore::AddOutcome::replaced);
  CHECK(s.find_by_hint("u7@example.com")->id == "u7");
  s.reset();
  CHECK(s.list().empty());
}

TEST_CASE("sign_in_stores: the login queue holds kMaxQueuedLogins entries") {
  LoginQueue q;
  for (size_t i = 0; i < kMaxQueuedLogins; ++i) {
    QueuedLogin e;
    e.user = "bob";
    REQUIRE(q.add(e));
  }
  QueuedLogin one_more;
  one_more.user = "bob";
  CHECK_FALSE(q.add(one_more));
  CHECK(q.take("default", "web"));
  CHECK(q.add(one_more)); // room again once one is used
}
