// parse_request on any bytes, the transport's first reader of what a client sends. Properties: it
// never throws; a complete request consumes at least one byte and no more than it was given; a
// request cut anywhere before its end is not complete; the bytes in two reads get the answer they
// get in one, wherever the first read ends (after each CR, where a read may split a CR LF, and at
// a stride); an error carries a 4xx/5xx status and a message; bodies respect the limit.
#include <cstdint>

#include "fuzz_support.h"
#include "http/request_parser.h"

using namespace authemu;

namespace {

// As the transport reads: the buffer is parsed when the first read ends at `cut`, and again after
// the second unless the first answer was final.
ParseResult parse_in_two_reads(std::string_view text, size_t cut, const ParserLimits& limits) {
  ParseResult first = parse_request(text.substr(0, cut), limits);
  return first.kind == ParseResult::Kind::incomplete ? parse_request(text, limits) : first;
}

bool same_answer(const ParseResult& a, const ParseResult& b) {
  const HttpRequest &x = a.parsed.request, &y = b.parsed.request;
  return a.kind == b.kind && a.consumed == b.consumed && a.head_complete == b.head_complete && a.status == b.status &&
         a.message == b.message && a.path == b.path && x.method == y.method && x.path == y.path &&
         x.query == y.query && x.headers == y.headers && x.body == y.body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  ParserLimits limits;
  limits.max_line = 512;  // small limits so the fuzzer reaches them
  limits.max_headers = 8;
  limits.max_head = 2048;
  limits.max_body = 1024;
  ParseResult whole = parse_request(text, limits);
  switch (whole.kind) {
    case ParseResult::Kind::complete: {
      fuzz::require(whole.consumed > 0 && whole.consumed <= text.size(), "consumed outside the input");
      fuzz::require(whole.parsed.request.body.size() <= limits.max_body, "a body over the limit");
      fuzz::require(whole.parsed.request.headers.size() <= limits.max_headers, "more fields than the limit");
      // The request alone parses the same; each cut of it is incomplete or an error.
      ParseResult again = parse_request(text.substr(0, whole.consumed), limits);
      fuzz::require(again.kind == ParseResult::Kind::complete && again.consumed == whole.consumed &&
                        again.parsed.request.body == whole.parsed.request.body &&
                        again.parsed.request.path == whole.parsed.request.path,
                    "the request alone parses differently");
      for (size_t cut = 0; cut < whole.consumed; cut += 1 + whole.consumed / 16) {
        ParseResult part = parse_request(text.substr(0, cut), limits);
        fuzz::require(part.kind != ParseResult::Kind::complete, "a prefix of a request is complete");
      }
      break;
    }
    case ParseResult::Kind::error:
      fuzz::require(whole.status >= 400 && whole.status <= 505, "an error status outside 400-505");
      fuzz::require(!whole.message.empty(), "an error without a message");
      break;
    case ParseResult::Kind::incomplete:
      break;
  }
  size_t after_cr = 0;
  for (size_t cut = 0; cut < text.size(); ++cut) {
    bool split_crlf = cut > 0 && text[cut - 1] == '\r' && after_cr++ < 64;
    if (!split_crlf && cut % (1 + text.size() / 16) != 0) continue;
    fuzz::require(same_answer(parse_in_two_reads(text, cut, limits), whole), "two reads get another answer than one");
  }
  return 0;
}
