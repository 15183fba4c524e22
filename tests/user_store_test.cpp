// store/user_store: the fixture's users and those added at run time, found by id, username, email
// or password, capped at kMaxUsers (a full store refuses), and reset to the fixture's.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "store/client_store.h"
#include "store/user_store.h"
#include "race_support.h"

using namespace authemu;
using namespace authemu::test;

namespace {

using Add = UserStore::AddOutcome;

User user(const std::string& id, const std::string& username, const std::string& password = "",
          const std::string& email = "") {
  User u;
  u.id = id;
  u.username = username;
  u.password_hash = password.empty() ? "" : hash_secret(password);
  u.email = email;
  return u;
}

} // namespace

TEST_CASE("user_store: users are found by id, by username, and by login_hint") {
  UserStore s({user("u-alice", "alice", "alice", "alice@example.com"), user("u-bob", "bob", "", "bob@example.com")});
  CHECK(s.find("u-alice")->username == "alice");
  CHECK_FALSE(s.find("alice"));
  CHECK(s.find_by_username("bob")->id == "u-bob");
  CHECK_FALSE(s.find_by_username("u-bob"));

  SECTION("OIDC login_hint: an id, a username or an email, in that order") {
    CHECK(s.find_by_hint("u-alice")->id == "u-alice");
    CHECK(s.find_by_hint("alice")->id == "u-alice");
    CHECK(s.find_by_hint("bob@example.com")->id == "u-bob");
    CHECK_FALSE(s.find_by_hint(""));
    CHECK_FALSE(s.find_by_hint("carol"));
    // One user's username is another's id: the id wins.
    REQUIRE(s.add(user("alice", "someone")) == Add::added);
    CHECK(s.find_by_hint("alice")->id == "alice");
  }
}

TEST_CASE("user_store: a password signs in its user only") {
  UserStore s({user("u-alice", "alice", "alice"), user("u-bob", "bob")});
  auto alice = s.check_password("alice", "alice");
  REQUIRE(alice);
  CHECK(alice->id == "u-alice");
  CHECK_FALSE(s.check_password("alice", "Alice"));
  CHECK_FALSE(s.check_password("alice", ""));
  CHECK_FALSE(s.check_password("nobody", "alice"));
  CHECK_FALSE(s.check_password("bob", ""));          // a user without a password never signs in by one
  CHECK_FALSE(s.check_password("bob", "x"));         // whatever is tried
  CHECK_FALSE(s.check_password("u-alice", "alice")); // by username, not id
}

TEST_CASE("user_store: adding refuses a taken id or username; replacing keeps the id") {
  UserStore s({user("u-alice", "alice")});
  CHECK(s.add(user("u-alice", "other")) == Add::id_taken);
  CHECK(s.add(user("u-new", "alice")) == Add::username_taken);
  CHECK(s.add(user("u-new", "new")) == Add::added);
  CHECK(s.add(user("u-blank-1", "")) == Add::added); // no username: nothing to collide with
  CHECK(s.add(user("u-blank-2", "")) == Add::added);

  User renamed = user("u-alice", "alice2", "", "alice@example.com");
  CHECK(s.add(renamed, true) == Add::replaced);
  CHECK(s.find("u-alice")->username == "alice2");
  CHECK_FALSE(s.find_by_username("alice"));
  CHECK(s.add(user("u-alice", "alice2"), true) == Add::replaced); // its own username again
  CHECK(s.add(user("u-alice", "new"), true) == Add::username_taken);
  CHECK(s.add(user("u-other", "x"), true) == Add::added);
  auto list = s.list();
  REQUIRE(list.size() == 5);
  CHECK(list[0]->id == "u-alice"); // replaced in place
  CHECK(list[4]->id == "u-other");
}

TEST_CASE("user_store: a reader's snapshot does not change when the user is replaced or removed") {
  UserStore s({user("u-alice", "alice", "", "old@example.com")});
  UserStore::Ptr before = s.find("u-alice");
  REQUIRE(s.add(user("u-alice", "alice", "", "new@example.com"), true) == Add::replaced);
  CHECK(before->email == "old@example.com");
  CHECK(s.find("u-alice")->email == "new@example.com");
  CHECK(s.remove("u-alice"));
  CHECK(before->username == "alice");
  CHECK_FALSE(s.remove("u-alice"));
  CHECK_FALSE(s.find("u-alice"));
}

TEST_CASE("user_store: reset goes back to the fixture's users") {
  UserStore s({user("u-alice", "alice", "alice")});
  s.add(user("u-run", "run"));
  s.remove("u-alice");
  s.add(user("u-alice", "changed"), true);
  s.reset();
  auto list = s.list();
  REQUIRE(list.size() == 1);
  CHECK(list[0]->username == "alice");
  CHECK(s.check_password("alice", "alice"));
  CHECK_FALSE(s.find("u-run"));
}

TEST_CASE("user_store: at most kMaxUsers users; a full store refuses, a replacement still works") {
  UserStore s({});
  for (size_t i = 0; i < kMaxUsers; ++i)
    REQUIRE(s.add(user("u" + std::to_string(i), "u" + std::to_string(i))) == Add::added);
  CHECK(s.list().size() == kMaxUsers);
  CHECK(s.add(user("extra", "extra")) == Add::full);
  CHECK_FALSE(s.find("extra"));
  CHECK(s.add(user("u3", "other")) == Add::id_taken); // a taken id is still told as such
  User again = user("u7", "u7", "", "u7@example.com");
  CHECK(s.add(again, true) == Add::replaced);
  CHECK(s.find_by_hint("u7@example.com")->id == "u7");
  CHECK(s.list().size() == kMaxUsers);
  REQUIRE(s.remove("u0"));
  CHECK(s.add(user("extra", "extra")) == Add::added); // room again
  s.reset();
  CHECK(s.list().empty());
}

TEST_CASE("user_store: threads adding one username: exactly one is added") {
  for (int round = 0; round < 50; ++round) {
    UserStore s({});
    constexpr int kThreads = 4;
    std::atomic<int> added{0}, taken{0};
    race(kThreads, [&](int i) {
      Add outcome = s.add(user("u" + std::to_string(i), "same"));
      if (outcome == Add::added) ++added;
      if (outcome == Add::username_taken) ++taken;
    });
    INFO("round " << round);
    CHECK(added == 1);
    CHECK(taken == kThreads - 1);
    CHECK(s.list().size() == 1);
  }
}
