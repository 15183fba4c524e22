// parse_request on any bytes, the transport's first reader of what a client sends. Properties: it
// never throws; a complete request consumes at least one byte and no more than it was given; the
// same bytes cut anywhere before the end are incomplete, or the same error when the head already
// decides it; an error carries a 4xx/5xx status and a message; bodies respect the limit.
#include <cstdint>

#include "fuzz_support.h"
#include "http/request_parser.h"

using namespace authemu;

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
  return 0;
}
