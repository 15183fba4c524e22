#include <catch2/catch.hpp>

#include <string>

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
