// testkit/login_queue: what the next authorizations do, queued by the admin API, bounded.
#include <catch2/catch.hpp>

#include "testkit/login_queue.h"

using namespace authemu;

TEST_CASE("login_queue: the queue holds kMaxQueuedLogins entries") {
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
