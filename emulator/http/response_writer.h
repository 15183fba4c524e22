// The bytes of an HTTP/1.1 answer and their writing to a non-blocking socket: status line with
// its reason phrase, Date, the response's fields (never a CR or LF inside one), Content-Length or
// none (1xx, 204, 304), keep-alive or close, and no body for HEAD.
#pragma once
#include <string>
#include <string_view>

#include "base/http_types.h"
#include "base/monotonic_clock.h"

namespace authemu {

const char* reason_phrase(int status);
std::string serialize(const HttpResponse& res, const std::string& method, bool keep_alive, int idle_timeout_ms);
// The head of a long-lived answer whose body runs until the connection closes (RFC 9112 §6.3,
// item 8): no Content-Length, Connection: close.
std::string serialize_stream_head(const HttpResponse& res);
// Writes all of data, waiting at most timeout_ms (by `clock`) for the peer to read.
bool send_all(int fd, std::string_view data, int timeout_ms, const MonotonicClock& clock);

} // namespace authemu
