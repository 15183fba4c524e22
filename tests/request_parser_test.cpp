#include <catch2/catch.hpp>

#include "http/request_parser.h"

using namespace authemu;
using Kind = ParseResult::Kind;

namespace {

ParseResult parse(const std::string& bytes) {
  return parse_request(bytes, ParserLimits{});
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
