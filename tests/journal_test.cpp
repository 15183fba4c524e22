#include <catch2/catch.hpp>

#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <string>
#include <thread>

#include "testkit/fault_queue.h"
#include "testkit/journal.h"

using namespace authemu;

namespace {

JournalEntry entry(const std::string& env, const std::string& endpoint, const std::string& client,
                   const std::string& outcome) {
  JournalEntry e;
  e.environment = env;
  e.endpoint = endpoint;
  e.client_id = client;
  e.outcome = outcome;
  return e;
}

// True once the thread tid has been seen asleep ('S' in /proc/self/task/<tid>/stat), within 10 s.
// For a thread about to call FaultQueue::wait, sleeping means blocked in the wait: nothing before it sleeps.
bool eventually_sleeping(const std::atomic<pid_t>& tid) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (tid != 0) {
      std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
      std::string line;
      std::getline(stat, line);
      size_t paren = line.rfind(')'); // "pid (comm) S …": comm may hold spaces
      if (paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'S') return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

} // namespace

TEST_CASE("journal: numbered entries, filters, newest kept, cleared per environment") {
  Journal j(3);
  j.record(entry("", "token", "a", "ok"));
  j.record(entry("sandbox", "token", "b", "invalid_grant"));
  j.record(entry("", "introspect", "a", "ok"));
  j.record(entry("", "token", "c", "invalid_client"));
  REQUIRE(j.size() == 3); // the oldest left
  auto all = j.query({});
  REQUIRE(all.size() == 3);
  CHECK(all[0].seq == 2);
  CHECK(all[2].seq == 4);

  JournalQuery q;
  q.environment = "";
  q.endpoint = "token";
  auto mine = j.query(q);
  REQUIRE(mine.size() == 1);
  CHECK(mine[0].client_id == "c");

  q = {};
  q.after = 2;
  CHECK(j.query(q).size() == 2);
  q.limit = 1;
  REQUIRE(j.query(q).size() == 1);
  CHECK(j.query(q)[0].seq == 4); // the newest that match

  q = {};
  q.outcome = "invalid_grant";
  CHECK(j.query(q).size() == 1);

  j.clear(std::string("sandbox"));
  CHECK(j.size() == 2);
  j.clear();
  CHECK(j.size() == 0);
  j.record(entry("", "token", "a", "ok"));
  CHECK(j.query({})[0].seq == 5); // numbering goes on after a clear
}

TEST_CASE("fault queue: matching by environment, endpoint, client and grant; counted down; cleared") {
  FaultQueue q;
  Fault f;
  f.endpoint = "token";
  f.client_id = "testing";
  f.remaining = 2;
  f.error = "invalid_grant";
  f.status = 400;
  auto id = q.add(f);
  REQUIRE(id == "f1");

  CHECK_FALSE(q.take("", "introspect", "testing", ""));
  CHECK_FALSE(q.take("", "token", "other", "client_credentials"));
  CHECK_FALSE(q.take("sandbox", "token", "testing", "client_credentials"));
  auto first = q.take("", "token", "testing", "client_credentials");
  REQUIRE(first);
  CHECK(first->id == "f1");
  CHECK(first->error == "invalid_grant");
  CHECK(q.list().front().remaining == 1);
  CHECK(q.take("", "token", "testing", "password"));
  CHECK(q.list().empty());
  CHECK_FALSE(q.take("", "token", "testing", "password"));

  Fault g;
  g.endpoint = "token";
  g.grant_type = "refresh_token";
  g.status = 503;
  q.add(g);
  CHECK_FALSE(q.take("", "token", "anyone", "password"));
  CHECK(q.take("", "token", "anyone", "refresh_token"));

  Fault h;
  h.endpoint = "jwks";
  h.environment = "sandbox";
  h.delay_ms = 10;
  auto hid = q.add(h);
  q.add(g);
  q.clear(std::string("sandbox"));
  REQUIRE(q.list().size() == 1);
  CHECK_FALSE(q.remove(*hid));
  CHECK(q.remove(q.list().front().id));

  // A delay ends early once the queue is told to stop waiting (a stopping server). The stop is sent
  // only once the waiter sleeps inside wait(), so the test never passes by stopping before it.
  std::atomic<pid_t> waiter_tid{0};
  auto waiter = std::async(std::launch::async, [&] {
    waiter_tid = pid_t(syscall(SYS_gettid));
    q.wait(kMaxFaultDelayMs);
  });
  REQUIRE(eventually_sleeping(waiter_tid));
  CHECK(waiter.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout); // still waiting
  q.stop_waiting();
  CHECK(waiter.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  waiter.get();
  q.wait(kMaxFaultDelayMs); // and returns at once from then on

  for (size_t i = 0; i < kMaxQueuedFaults; ++i)
    REQUIRE(q.add(g));
  CHECK_FALSE(q.add(g));
}
