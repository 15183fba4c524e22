// The journal's live stream: the event feed's slots, the journal's events, and the transport's
// long-lived answer (written by the event thread, byte-capped, at most 50 at once), in-process.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "base/event_feed.h"
#include "http/http_server.h"
#include "testkit/journal.h"
#include "server_support.h"
#include "socket_support.h"
#include "test_support.h"

using namespace authemu;
using namespace authemu::test;

TEST_CASE("event_feed: a watch takes a slot until destroyed, and receives events once attached") {
  EventFeed feed(2);
  std::vector<std::string> got;
  auto a = feed.watch(": hello\n\n");
  auto b = feed.watch();
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->preamble() == ": hello\n\n");
  CHECK(feed.watch() == nullptr); // both slots taken
  CHECK(feed.watchers() == 2);
  feed.publish("before\n"); // nobody attached: nothing to anyone
  a->attach([&](const std::string& e) { got.push_back(e); });
  feed.publish("one\n");
  CHECK(got == std::vector<std::string>{"one\n"});
  b.reset();
  CHECK(feed.watchers() == 1);
  CHECK(feed.watch() != nullptr); // the freed slot
  a.reset();
  feed.publish("two\n");
  CHECK(got.size() == 1);
  CHECK(!feed.has_watchers());
}

TEST_CASE("journal: each entry is one Server-Sent Event, seq as its id and its JSON on one data line") {
  Journal journal;
  std::vector<std::string> events;
  auto watch = journal.feed().watch();
  watch->attach([&](const std::string& e) { events.push_back(e); });
  JournalEntry e;
  e.endpoint = "token";
  e.method = "POST";
  e.status = 400;
  e.outcome = "invalid_grant";
  e.error_description = "line one\nline two";
  e.params = {{"grant_type", "password"}, {"password", journal_mask("password", "hunter2", false)}};
  journal.record(e);
  REQUIRE(events.size() == 1);
  const std::string& ev = events[0];
  CHECK(ev.rfind("id: 1\ndata: {", 0) == 0);
  CHECK(ev.size() > 2);
  CHECK(ev.substr(ev.size() - 2) == "\n\n");
  CHECK(std::count(ev.begin(), ev.end(), '\n') == 3); // id, data, the blank line: the description's break is escaped
  CHECK(ev.find("hunter2") == std::string::npos);
  CHECK(ev.find("\"password\":\"****\"") != std::string::npos);
  CHECK(journal.find(1).has_value());
  CHECK(!journal.find(2).has_value());
}

TEST_CASE("journal: journal_mask hides secrets, codes, passwords, assertions and tokens") {
  CHECK(journal_mask("client_secret", "s3cret", false) == "****");
  CHECK(journal_mask("code", "abc", false) == "****");
  CHECK(journal_mask("refresh_token", "abc", false) == "****");
  CHECK(journal_mask("client_assertion", "eyJ", false) == "****");
  CHECK(journal_mask("grant_type", "password", false) == "password");
  CHECK(journal_mask("Authorization", "Basic dGVzdGluZzp0ZXN0aW5n", true) == "Basic ****");
  CHECK(journal_mask("authorization", "Bearer eyJhbGc", true) == "Bearer ****");
  CHECK(journal_mask("Cookie", "authemu_admin=x", true) == "****");
  CHECK(journal_mask("DPoP", "eyJ", true) == "****");
  CHECK(journal_mask("Accept", "*/*", true) == "*/*");
  CHECK(journal_mask("scope", std::string(600, 'a'), false) == std::string(512, 'a') + "...");
}

namespace {

// The server with one worker at most, so that a stream that held one would starve the rest.
struct StreamServer : ServerUnderTest {
  explicit StreamServer(ServerLimits limits = one_worker(), const MonotonicClock& clock = steady_clock())
      : ServerUnderTest(limits, clock) {}
  static ServerLimits one_worker() {
    ServerLimits l;
    l.threads = 1;
    return l;
  }
  // A stream's connection, its head and preamble read.
  int open_stream(std::string* head = nullptr) {
    int fd = connect_to(port);
    send_bytes(fd, "GET /_authemu/journal/stream HTTP/1.1\r\nHost: localhost\r\n\r\n");
    std::string got = read_until(fd, "retry: 2000\n\n");
    if (head != nullptr) *head = got;
    return fd;
  }
  static std::string read_until(int fd, const std::string& end) {
    std::string got;
    char buf[4096];
    ssize_t n;
    while (got.find(end) == std::string::npos && (n = recv(fd, buf, sizeof buf, 0)) > 0)
      got.append(buf, size_t(n));
    return got;
  }
  std::string token_request() {
    std::string body = "grant_type=client_credentials&client_id=testing&client_secret=testing";
    return raw("POST /api/auth/oauth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
               "application/x-www-form-urlencoded\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n\r\n" + body);
  }
};

} // namespace

TEST_CASE("journal stream: text/event-stream without a length, then one event per request, off the workers") {
  StreamServer s;
  std::string head;
  int fd = s.open_stream(&head);
  CHECK(head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(head.find("Content-Type: text/event-stream; charset=utf-8\r\n") != std::string::npos);
  CHECK(head.find("Cache-Control: no-store\r\n") != std::string::npos);
  CHECK(head.find("Connection: close\r\n") != std::string::npos);
  CHECK(head.find("Content-Length") == std::string::npos);
  CHECK(head.find("\r\n\r\n: authemu journal\nretry: 2000\n\n") != std::string::npos);
  // One worker, and the stream holds none: token requests are answered while it is open.
  CHECK(s.token_request().rfind("HTTP/1.1 200", 0) == 0);
  CHECK(s.token_request().rfind("HTTP/1.1 200", 0) == 0);
  std::string events = StreamServer::read_until(fd, "id: 2\n");
  events += StreamServer::read_until(fd, "\n\n");
  CHECK(events.rfind("id: 1\ndata: {", 0) == 0);
  CHECK(events.find("\"endpoint\":\"token\"") != std::string::npos);
  CHECK(events.find("\"grant_type\":\"client_credentials\"") != std::string::npos);
  CHECK(events.find("\"client_secret\":\"****\"") != std::string::npos);
  CHECK(events.find("client_secret=testing") == std::string::npos);
  CHECK(s.check([](const DeadlineCheck& c) { return c.streams == 1; }));
  close(fd); // the watcher goes: the event thread closes the stream
  CHECK(s.check([](const DeadlineCheck& c) { return c.streams == 0 && c.open == 0; }));
  CHECK(s.t.app->journal().feed().watchers() == 0);
}

TEST_CASE("journal stream: at most 50 at once; the 51st is 503 SERVICE_UNAVAILABLE, and a freed slot is taken again") {
  StreamServer s;
  std::vector<int> fds;
  for (size_t i = 0; i < kMaxEventWatchers; ++i)
    fds.push_back(s.open_stream());
  int extra = connect_to(s.port);
  send_bytes(extra, "GET /_authemu/journal/stream HTTP/1.1\r\nHost: localhost\r\n\r\n");
  std::string refused = read_answer(extra);
  close(extra);
  CHECK(refused.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0) == 0);
  CHECK(refused.find("{\"errorCode\":\"SERVICE_UNAVAILABLE\",\"errorMessage\":\"at most 50 journal streams at once: "
                     "close one\"}") != std::string::npos);
  close(fds.back());
  fds.pop_back();
  CHECK(s.check([](const DeadlineCheck& c) { return c.streams == kMaxEventWatchers - 1; }));
  std::string head;
  fds.push_back(s.open_stream(&head));
  CHECK(head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  for (int fd : fds)
    close(fd);
}

TEST_CASE("journal stream: a watcher that stops reading is dropped at the byte cap, never buffered without limit") {
  // A cap that a reader keeps under even when the event thread is late by 100 ms on a loaded machine.
  ServerLimits limits = StreamServer::one_worker();
  limits.stream_buffer = 1024 * 1024;
  StreamServer s(limits);
  int slow = s.open_stream(); // never reads again
  int small = 4096;
  setsockopt(slow, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  int reader = s.open_stream();
  JournalEntry big;
  big.endpoint = "token";
  big.error_description = std::string(16 * 1024, 'x');
  // Far more than the socket buffers and the cap hold: the slow watcher falls behind,
  // the reader (who keeps up) stays.
  bool dropped = false;
  for (int i = 0; i < 4000 && !dropped; ++i) {
    s.t.app->journal().record(big);
    char buf[65536];
    while (recv(reader, buf, sizeof buf, MSG_DONTWAIT) > 0) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (i % 100 == 99) {
      dropped = s.server.wait_for_check([](const DeadlineCheck& c) { return c.dropped_streams == 1; },
                                        std::chrono::milliseconds(300));
    }
  }
  CHECK(dropped);
  CHECK(s.check([](const DeadlineCheck& c) { return c.streams == 1 && c.dropped_streams == 1; }));
  CHECK(s.t.app->journal().feed().watchers() == 1);
  close(slow);
  close(reader);
}

TEST_CASE("journal stream: events in batches 25 ms apart, a comment after 15 s of quiet (the transport's clock)") {
  // (An entry recorded between the stream's head and its handover is kept: the watch is attached first.)
  FakeMonotonicClock clock(5000000000);
  StreamServer s(StreamServer::one_worker(), clock);
  int fd = s.open_stream();
  JournalEntry e;
  e.endpoint = "token";
  s.t.app->journal().record(e);
  // The first batch: the clock moves 25 ms every 60 ms of real time until it comes.
  std::string first;
  char buf[4096];
  for (int i = 0; i < 250 && first.find("\n\n") == std::string::npos; ++i) {
    clock.advance_ms(25);
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    ssize_t n;
    while ((n = recv(fd, buf, sizeof buf, MSG_DONTWAIT)) > 0)
      first.append(buf, size_t(n));
  }
  CHECK(first.rfind("id: 1\ndata: {", 0) == 0);
  s.t.app->journal().record(e); // the next batch waits for 25 ms of the clock
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(recv(fd, buf, sizeof buf, MSG_DONTWAIT) < 0);
  clock.advance_ms(25);
  CHECK(StreamServer::read_until(fd, "\n\n").rfind("id: 2\ndata: {", 0) == 0);
  clock.advance_ms(15000);
  CHECK(StreamServer::read_until(fd, ":\n\n") == ":\n\n");
  close(fd);
}
