// store/session_store: browser sessions found by their cookie or their public id, the clients each
// signed in to, ended one by one or per user, and capped at kMaxSessions (the oldest leave).
#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "store/session_store.h"

using namespace authemu;

TEST_CASE("session_store: a session is found by its cookie and by its sid, which differ") {
  SessionStore s;
  auto c = s.create("u-alice", 1700000000, {"pwd"});
  CHECK(c.cookie.size() == 43);      // 256 bits, base64url
  CHECK(c.session.sid.size() == 22); // 128 bits
  CHECK(c.cookie != c.session.sid);
  CHECK(c.session.user_id == "u-alice");
  CHECK(c.session.auth_time == 1700000000);
  CHECK(c.session.amr == std::vector<std::string>{"pwd"});
  CHECK(c.session.clients.empty());

  auto by_cookie = s.find_by_cookie(c.cookie);
  REQUIRE(by_cookie);
  CHECK(by_cookie->sid == c.session.sid);
  CHECK(s.find(c.session.sid)->user_id == "u-alice");
  CHECK_FALSE(s.find_by_cookie(c.session.sid)); // the public id is not a cookie
  CHECK_FALSE(s.find(c.cookie));                // nor the cookie an id
  CHECK_FALSE(s.find_by_cookie(""));
  CHECK_FALSE(s.find_by_cookie(std::string(257, 'a')));
  CHECK_FALSE(s.find("unknown"));
}

TEST_CASE("session_store: the clients a session signed in to, each once, in order, at most 100") {
  SessionStore s;
  auto c = s.create("u", 0, {});
  s.add_client(c.session.sid, "web");
  s.add_client(c.session.sid, "spa");
  s.add_client(c.session.sid, "web");
  s.add_client("unknown-sid", "other");
  CHECK(s.find(c.session.sid)->clients == std::vector<std::string>{"web", "spa"});
  for (int i = 0; i < 200; ++i)
    s.add_client(c.session.sid, "c" + std::to_string(i));
  auto clients = s.find(c.session.sid)->clients;
  REQUIRE(clients.size() == 100);
  CHECK(clients[99] == "c97");
}

TEST_CASE("session_store: ending a session, and every session of a user") {
  SessionStore s;
  auto a1 = s.create("alice", 0, {});
  auto b = s.create("bob", 0, {});
  auto a2 = s.create("alice", 0, {});
  CHECK(s.end(b.session.sid));
  CHECK_FALSE(s.end(b.session.sid)); // unknown now
  CHECK_FALSE(s.find_by_cookie(b.cookie));
  CHECK(s.end_for_user("alice") == 2);
  CHECK(s.end_for_user("alice") == 0);
  CHECK(s.list().empty());
  CHECK_FALSE(s.find_by_cookie(a1.cookie));
  CHECK_FALSE(s.find(a2.session.sid));
}

TEST_CASE("session_store: list is oldest first; clear ends them all") {
  SessionStore s;
  auto first = s.create("u1", 1, {});
  auto second = s.create("u2", 2, {});
  auto list = s.list();
  REQUIRE(list.size() == 2);
  CHECK(list[0].sid == first.session.sid);
  CHECK(list[1].sid == second.session.sid);
  s.clear();
  CHECK(s.list().empty());
  CHECK_FALSE(s.find_by_cookie(first.cookie));
}

TEST_CASE("session_store: sessions keep the newest kMaxSessions") {
  SessionStore s;
  auto first = s.create("u", 0, {});
  auto second = s.create("u", 0, {});
  for (size_t i = 2; i < kMaxSessions; ++i)
    s.create("u", 0, {});
  CHECK(s.list().size() == kMaxSessions);
  CHECK(s.find_by_cookie(first.cookie));
  s.create("v", 0, {}); // one past the limit: the oldest leaves
  CHECK(s.list().size() == kMaxSessions);
  CHECK_FALSE(s.find_by_cookie(first.cookie));
  CHECK_FALSE(s.find(first.session.sid));
  CHECK(s.find_by_cookie(second.cookie));
  CHECK(s.list().front().sid == second.session.sid);
  CHECK(s.end_for_user("v") == 1);
}

TEST_CASE("session_store: sessions created from several threads are all kept, each distinct") {
  SessionStore s;
  constexpr int kThreads = 4, kEach = 200;
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto c = s.create("u" + std::to_string(t), 0, {});
        s.add_client(c.session.sid, "web");
      }
    });
  }
  for (auto& t : pool)
    t.join();
  auto list = s.list();
  CHECK(list.size() == size_t(kThreads * kEach));
  std::set<std::string> sids;
  for (const auto& session : list) {
    sids.insert(session.sid);
    CHECK(session.clients == std::vector<std::string>{"web"});
  }
  CHECK(sids.size() == list.size());
  CHECK(s.end_for_user("u0") == size_t(kEach));
}
