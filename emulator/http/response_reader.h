// HTTP/1.1 response framing (RFC 9112 §4-§7) for this server's own client (http/https_client):
// bytes in as they arrive, one final response out, the body capped while it arrives. Pure: no
// sockets, no clock. Interim 1xx answers are skipped; the connection is never reused.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "base/fetcher.h"

namespace authemu {

class ResponseReader {
public:
  static constexpr size_t kMaxHead = 64 * 1024; // status line and fields together

  // max_body: FetchLimits::max_body. head_request: the request was HEAD (RFC 9110 §9.3.2: no body).
  explicit ResponseReader(size_t max_body, bool head_request = false)
      : max_body_(max_body), head_request_(head_request) {}

  // Takes the next bytes; true once the response is complete (later bytes are ignored). Throws
  // FetchError too_large ("the answer is over N bytes"), or unreachable with what is malformed.
  bool feed(std::string_view bytes);
  // The peer closed: true when that ends the response (a body delimited by the close, RFC 9112
  // §6.3 item 8); false when the answer was cut short.
  bool finish();
  bool done() const { return state_ == State::done; }
  // The response, once done.
  FetchResponse& response() { return response_; }

private:
  enum class State { head, length, chunk_size, chunk_data, chunk_end, trailers, until_close, done };
  bool step();           // one piece of buf_ from pos_; false when more bytes are needed
  bool read_head();      // the status line and fields
  void begin_body();     // the framing the head chose (RFC 9112 §6.3)
  void append(std::string_view data);
  [[noreturn]] void too_large() const;
  std::string_view take_line(); // a CRLF-ended line from pos_, or data() == nullptr for none yet

  size_t max_body_;
  bool head_request_;
  State state_ = State::head;
  std::string buf_;
  size_t pos_ = 0;
  uint64_t left_ = 0; // bytes of the body (length) or of the chunk (chunk_data) still to come
  FetchResponse response_;
};

} // namespace authemu
