#include <catch2/catch.hpp>

#include <functional>
#include <sstream>
#include <vector>

#include "http/request_parser.h"

using namespace authemu;
using Kind = ParseResult::Kind;

namespace {

// Everything a ParseResult says, on one line, so that two answers compare in one assertion.
std::string describe(const ParseResult& r) {
  std::ostringstream out;
  const char* kinds[] = {"incomplete", "complete", "error"};
  out << kinds[int(r.kind)] << " consumed=" << r.consumed << " head_complete=" << r.head_complete;
  out << " status=" << r.status << " message='" << r.message << "' error_path='" << r.path << "'";
  const HttpRequest& req = r.parsed.request;
  out << " request=" << req.method << " '" << req.path << "' query='" << req.query << "' headers=[";
  for (const auto& [name, value] : req.headers)
    out << name << ": " << value << "; ";
  out << "] body='" << req.body << "' keep_alive=" << r.parsed.keep_alive;
  out << " continue=" << r.parsed.expects_continue;
  return out.str();
}

// The answer when `bytes` arrive in reads that end at `ends` (and at the end of the bytes): the
// buffer is parsed after each read, as the transport does, until a request or an error comes out.
ParseResult parse_reads(std::string_view bytes, std::vector<size_t> ends) {
  ends.push_back(bytes.size());
  ParseResult r;
  for (size_t end : ends) {
    r = parse_request(bytes.substr(0, end), ParserLimits{});
    if (r.kind != Kind::incomplete) break;
  }
  return r;
}

ParseResult parse_byte_by_byte(std::string_view bytes) {
  std::vector<size_t> ends;
  for (size_t end = 1; end < bytes.size(); ++end)
    ends.push_back(end);
  return parse_reads(bytes, ends);
}

// The bytes in one read; on the way, the same bytes a byte at a time must get the same answer.
ParseResult parse(const std::string& bytes) {
  ParseResult whole = parse_request(bytes, ParserLimits{});
  INFO("the same bytes a byte at a time: " << bytes.substr(0, 200));
  CHECK(describe(parse_byte_by_byte(bytes)) == describe(whole));
  return whole;
}

void check_error(const std::string& bytes, int status, const std::string& message) {
  INFO(bytes);
  ParseResult r = parse(bytes);
  REQUIRE(r.kind == Kind::error);
  CHECK(r.status == status);
  CHECK(r.message == message);
}

const char kMalformed[] = "malformed HTTP request, or headers over the limits (8 KiB a line, 100 headers)";

} // namespace

TEST_CASE("request_parser: a whole request, its path decoded and its query raw") {
  ParseResult r = parse("POST /api/auth/oauth/token?a=%20b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET");
  REQUIRE(r.kind == Kind::complete);
  CHECK(r.consumed ==
        std::string("POST /api/auth/oauth/token?a=%20b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc").size());
  const HttpRequest& req = r.parsed.request;
  CHECK(req.method == "POST");
  CHECK(req.path == "/api/auth/oauth/token");
  CHECK(req.query == "a=%20b");
  CHECK(req.body == "abc");
  CHECK(req.header("host") == "x");
  CHECK(r.parsed.keep_alive);
  CHECK(decode_path("/a%2Fb%zz%4") == "/a/b%zz%4");
}

TEST_CASE("request_parser: incomplete input asks for more, and says when the head is in") {
  const std::string whole = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\nbody";
  for (size_t n = 0; n < whole.size(); ++n) {
    INFO(n);
    ParseResult r = parse(whole.substr(0, n));
    REQUIRE(r.kind == Kind::incomplete);
    CHECK(r.head_complete == (n >= whole.size() - 4));
    if (r.head_complete) CHECK(r.parsed.expects_continue);
  }
  CHECK(parse(whole).kind == Kind::complete);
}

TEST_CASE("request_parser: RFC 9112 §6.3: a POST without Content-Length has an empty body") {
  ParseResult r = parse("POST /_authemu/reset HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(r.kind == Kind::complete);
  CHECK(r.parsed.request.body.empty());
}

TEST_CASE("request_parser: chunked bodies, extensions and trailers") {
  ParseResult r = parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                        "chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n");
  REQUIRE(r.kind == Kind::complete);
  CHECK(r.parsed.request.body == "abcde");
  CHECK(parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab").kind == Kind::incomplete);
  check_error("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "malformed chunk size");
  check_error("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", 400, "malformed chunk");
  check_error("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10001\r\n", 413,
              "request body too large");
  check_error("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501,
              "only the chunked transfer coding is supported");
}

TEST_CASE("request_parser: framing that could smuggle a request is refused") {
  check_error("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
              "both Content-Length and Transfer-Encoding");
  check_error("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400,
              "malformed Content-Length");
  check_error("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400, "malformed Content-Length");
  check_error("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", 400,
              "malformed Content-Length");
  CHECK(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 1\r\n\r\na").kind == Kind::complete);
  check_error("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "Transfer-Encoding in an HTTP/1.0 request");
  check_error("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 65537\r\n\r\n", 413, "request body too large");
}

TEST_CASE("request_parser: Host, field syntax and the request line") {
  check_error("GET / HTTP/1.1\r\n\r\n", 400, "a request needs exactly one Host header");
  check_error("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "a request needs exactly one Host header");
  check_error("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400, "invalid Host header");
  CHECK(parse("GET / HTTP/1.0\r\n\r\n").kind == Kind::complete);
  check_error("GET / HTTP/1.1\r\nHost: x\r\nName : value\r\n\r\n", 400, "malformed header line");
  check_error("GET / HTTP/1.1\r\nHost: x\r\nNo-colon\r\n\r\n", 400, "malformed header line");
  check_error("GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n folded\r\n\r\n", 400, "obsolete line folding in a header");
  check_error(std::string("GET / HTTP/1.1\r\nHost: x\r\nA: b\x01\r\n\r\n"), 400, "control character in a header value");
  check_error("GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400, kMalformed);
  check_error("GET /\x7f HTTP/1.1\r\nHost: x\r\n\r\n", 400, kMalformed);
  check_error("BREW / HTTP/1.1\r\nHost: x\r\n\r\n", 400, kMalformed);
  check_error("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, "HTTP version not supported");
  check_error("GET / HTTX\r\nHost: x\r\n\r\n", 400, kMalformed);
  check_error("GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n", 414, "request URI too long");
  check_error("GET /" + std::string(40000, 'a'), 414, "request URI too long"); // no line end yet
  check_error("GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(9000, 'a') + "\r\n\r\n", 400, kMalformed);
  std::string many = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 100; ++i)
    many += "X-" + std::to_string(i) + ": v\r\n";
  check_error(many + "\r\n", 400, kMalformed);
}

TEST_CASE("request_parser: bare LF ends lines (RFC 9112 §2.2), empty lines before a request are skipped") {
  ParseResult r = parse("\r\n\nGET /keys?x=1 HTTP/1.1\nHost: x\n\n");
  REQUIRE(r.kind == Kind::complete);
  CHECK(r.parsed.request.path == "/keys");
}

TEST_CASE("request_parser: absolute-form and asterisk-form targets") {
  ParseResult r = parse("GET http://localhost:8080/api/auth/keys?a=1 HTTP/1.1\r\nHost: localhost:8080\r\n\r\n");
  REQUIRE(r.kind == Kind::complete);
  CHECK(r.parsed.request.path == "/api/auth/keys");
  CHECK(r.parsed.request.query == "a=1");
  CHECK(parse("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").parsed.request.path == "*");
  check_error("GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400, kMalformed);
}

TEST_CASE("request_parser: Connection decides keep-alive") {
  CHECK_FALSE(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Close\r\n\r\n").parsed.keep_alive);
  CHECK_FALSE(parse("GET / HTTP/1.0\r\n\r\n").parsed.keep_alive);
  CHECK(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").parsed.keep_alive);
}

namespace {

// The cuts (where the first of two reads ends) at which `bytes` get another answer than in one read.
std::vector<size_t> cuts_that_differ(const std::string& bytes) {
  const std::string whole = describe(parse_request(bytes, ParserLimits{}));
  std::vector<size_t> differ;
  for (size_t cut = 0; cut <= bytes.size(); ++cut) {
    if (describe(parse_reads(bytes, {cut})) != whole) differ.push_back(cut);
  }
  return differ;
}

// A request around one line whose length is at stake.
struct LineAtLimit {
  std::string before;                      // the bytes before the line
  std::function<std::string(size_t)> line; // the line, of that many bytes without its end
  std::string after;                       // the bytes after its end
  size_t limit;                            // the longest line taken
  int status;                              // the answer to a line a byte longer
  std::string message;
};

} // namespace

TEST_CASE("request_parser: the answer does not depend on where reads end, lines at the limit included") {
  const size_t max = ParserLimits{}.max_line;
  const std::string chunked = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  auto field = [](size_t size) { return "X: " + std::string(size - 3, 'a'); };
  LineAtLimit c;
  SECTION("the request line: 8 KiB is read, a byte more is 414") {
    c = {"",
         [](size_t size) { return "GET /" + std::string(size - 14, 'a') + " HTTP/1.1"; },
         "Host: x\r\n\r\n",
         max,
         414,
         "request URI too long"};
  }
  SECTION("a field line: 8 KiB is read, a byte more is 400") {
    c = {"GET / HTTP/1.1\r\nHost: x\r\n", field, "\r\n", max, 400, kMalformed};
  }
  SECTION("a chunk-size line with its extensions: 4 KiB is read, a byte more is 400") {
    c = {chunked,
         [](size_t size) { return "3;e=" + std::string(size - 4, 'a'); },
         "abc\r\n0\r\n\r\n",
         4096,
         400,
         "malformed chunk size"};
  }
  SECTION("a trailer line: 8 KiB is read, a byte more is 400") {
    c = {chunked + "3\r\nabc\r\n0\r\n", field, "\r\n", max, 400, kMalformed};
  }
  // The line at the limit and a byte over, ending in CR LF or a bare LF; and at the limit with a CR
  // before its CR LF, which makes it a byte over.
  struct Variant {
    size_t size;
    const char* end;
    bool taken;
  };
  for (const Variant& v :
       {Variant{c.limit, "\r\n", true}, Variant{c.limit + 1, "\r\n", false}, Variant{c.limit, "\n", true},
        Variant{c.limit + 1, "\n", false}, Variant{c.limit, "\r\r\n", false}}) {
    const std::string end = v.end, bytes = c.before + c.line(v.size) + end + c.after;
    INFO("a line of " << v.size << " bytes, then " << (end == "\n" ? "LF" : end == "\r\n" ? "CR LF" : "CR CR LF"));
    ParseResult whole = parse_request(bytes, ParserLimits{});
    if (v.taken) {
      CHECK(whole.kind == Kind::complete);
      CHECK(whole.consumed == bytes.size());
    } else {
      REQUIRE(whole.kind == Kind::error);
      CHECK(whole.status == c.status);
      CHECK(whole.message == c.message);
    }
    // The reads that found the bug: the first ends just before the LF of the line.
    CHECK(describe(parse_reads(bytes, {c.before.size() + v.size + end.size() - 1})) == describe(whole));
    CHECK(describe(parse_byte_by_byte(bytes)) == describe(whole));
    CHECK(cuts_that_differ(bytes) == std::vector<size_t>{});
  }
}

TEST_CASE("request_parser: chunk data is followed by CR LF wherever reads end") {
  const std::string bytes =
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
  CHECK(parse(bytes).parsed.request.body == "abcde");
  CHECK(cuts_that_differ(bytes) == std::vector<size_t>{});
  for (const std::string wrong : {"abcX\r\n", "abc\rX\r\n", "abc\r\r\n"}) {
    const std::string bad =
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n" + wrong + "0\r\n\r\n";
    INFO(wrong);
    check_error(bad, 400, "malformed chunk");
    CHECK(cuts_that_differ(bad) == std::vector<size_t>{});
  }
}
