// ResponseReader on bytes alone: each framing of RFC 9112 §6.3, answers split at every byte,
// interim answers, the size cap, and malformed heads and chunks with their messages.
#include <catch2/catch.hpp>

#include "http/response_reader.h"

using namespace authemu;

namespace {

// The reader after all of wire, fed split every `step` bytes; finish() when `closed`.
FetchResponse read_all(const std::string& wire, size_t step = 0, bool closed = false, bool head = false) {
  ResponseReader r(1024, head);
  bool done = false;
  if (step == 0) step = wire.size();
  for (size_t at = 0; at < wire.size() && !done; at += step)
    done = r.feed(std::string_view(wire).substr(at, step));
  if (closed) done = r.finish();
  REQUIRE(done);
  return r.response();
}

std::string refusal(const std::string& wire) {
  ResponseReader r(1024);
  try {
    r.feed(wire);
  } catch (const FetchError& e) {
    return fetch_failure_name(e.failure()) + std::string(": ") + e.what();
  }
  return "accepted";
}

} // namespace

TEST_CASE("response_reader: each framing, whole or a byte at a time") {
  size_t step = GENERATE(0, 1, 7);
  SECTION("Content-Length") {
    FetchResponse res = read_all("HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello", step);
    CHECK(res.status == 201);
    CHECK(res.header("content-type") == std::optional<std::string>("text/plain"));
    CHECK(res.body == "hello");
  }
  SECTION("chunked, with extensions and trailers") {
    CHECK(read_all("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\nA\r\n0123456789\r\n0\r\nT: 1\r\n\r\n",
                   step)
              .body == "abc0123456789");
  }
  SECTION("until the close") {
    ResponseReader r(1024);
    CHECK_FALSE(r.feed("HTTP/1.0 200 OK\r\n\r\nsome"));
    CHECK_FALSE(r.feed(" more"));
    CHECK(r.finish());
    CHECK(r.response().body == "some more");
  }
  SECTION("no body: HEAD, 204, 304; interim 100 skipped") {
    CHECK(read_all("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", step, false, true).body.empty());
    CHECK(read_all("HTTP/1.1 204 No Content\r\n\r\n", step).status == 204);
    CHECK(read_all("HTTP/1.1 304 Not Modified\r\nContent-Length: 3\r\n\r\n", step).body.empty());
    FetchResponse res = read_all("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", step);
    CHECK(res.status == 200);
    CHECK(res.body == "ok");
  }
}

TEST_CASE("response_reader: a body cut short is not complete") {
  ResponseReader r(1024);
  CHECK_FALSE(r.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"));
  CHECK_FALSE(r.finish());
  ResponseReader chunked(1024);
  CHECK_FALSE(chunked.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"));
  CHECK_FALSE(chunked.finish());
}

TEST_CASE("response_reader: the size cap and malformed answers") {
  CHECK(refusal("HTTP/1.1 200 OK\r\nContent-Length: 1025\r\n\r\n") == "too_large: the answer is over 1024 bytes");
  CHECK(refusal("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n401\r\n") ==
        "too_large: the answer is over 1024 bytes");
  CHECK(refusal("HTTP/1.1 200 OK\r\n\r\n" + std::string(1025, 'x')) == "too_large: the answer is over 1024 bytes");
  CHECK(refusal("HTTP/1.1 200 OK\r\nContent-Length: 1024\r\n\r\n" + std::string(1024, 'x')) == "accepted");
  CHECK(refusal("HTTP/2 200\r\n\r\n") == "unreachable: a malformed status line");
  CHECK(refusal("HTTP/1.1 2000 OK\r\n\r\n") == "unreachable: a malformed status line");
  CHECK(refusal("SSH-2.0-OpenSSH\r\n\r\n") == "unreachable: a malformed status line");
  CHECK(refusal("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n") == "unreachable: a malformed header field");
  CHECK(refusal("HTTP/1.1 200 OK\r\n folded\r\n\r\n") == "unreachable: a malformed header field");
  CHECK(refusal("HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n") == "unreachable: a malformed Content-Length");
  CHECK(refusal("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n") == "unreachable: a malformed Content-Length");
  CHECK(refusal("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok") == "accepted");
  CHECK(refusal("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") == "unreachable: a malformed chunk size");
  CHECK(refusal("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n") == "unreachable: a malformed chunk");
  CHECK(refusal("HTTP/1.1 200 OK\r\n" + std::string(70 * 1024, 'a')) == "unreachable: headers over 64 KiB");
}
