// HTTP/1.1 request framing (RFC 9112) over a connection's byte buffer: one request at a time, so
// pipelined requests stay in the buffer for the next call. Strict where framing is at stake
// (Content-Length and Transfer-Encoding, Host, field syntax) and bounded everywhere. Pure: no
// sockets, no clock.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "base/http_types.h"

namespace authemu {

struct ParserLimits {
  size_t max_line = 8 * 1024;  // a request line longer is 414, a field line longer 400
  size_t max_headers = 100;    // more fields are 400
  size_t max_head = 64 * 1024; // all field lines together; more is 400
  size_t max_body = 64 * 1024; // a longer body (declared or chunked) is 413
};

struct ParsedRequest {
  HttpRequest request;
  bool keep_alive = true;        // false: close the connection after the answer
  bool expects_continue = false; // Expect: 100-continue
};

// What parse() found at the front of the buffer.
struct ParseResult {
  enum class Kind {
    incomplete, // more bytes needed; `head_complete` says whether the head is in already
    complete,   // `parsed` holds a request; `consumed` bytes of the buffer belong to it
    error,      // `status` (400, 413, 414, 501, 505) and `message`; the connection must close
  } kind = Kind::incomplete;
  ParsedRequest parsed;
  size_t consumed = 0;
  bool head_complete = false; // for incomplete: the head parsed, the body is still coming
  int status = 0;
  std::string message;
  std::string path; // for errors: the path of the request line when it could be read
};

ParseResult parse_request(std::string_view buffer, const ParserLimits& limits);

// Percent-decodes a path (RFC 3986 §2.1); an invalid escape is kept as it is.
std::string decode_path(std::string_view raw);

} // namespace authemu
