#include "http/response_reader.h"

#include <algorithm>
#include <cctype>

#include "base/http_types.h"
#include "base/number.h"

namespace authemu {

namespace {

[[noreturn]] void malformed(const std::string& what) {
  throw FetchError(FetchFailure::unreachable, what);
}

// RFC 9112 §4: HTTP-version SP 3DIGIT SP [reason-phrase].
int parse_status_line(std::string_view line) {
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || !std::isdigit(static_cast<unsigned char>(line[7])) ||
      line[8] != ' ' || (line.size() > 12 && line[12] != ' ')) {
    malformed("a malformed status line");
  }
  int status = 0;
  for (char c : line.substr(9, 3)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) malformed("a malformed status line");
    status = status * 10 + (c - '0');
  }
  if (status < 100) malformed("a malformed status line");
  return status;
}

// RFC 9112 §7.1: chunk-size [chunk-ext], the size in hex.
uint64_t parse_chunk_size(std::string_view line) {
  std::string_view size = trim_ows(line.substr(0, line.find(';')));
  if (size.empty() || size.size() > 15) malformed("a malformed chunk size");
  uint64_t n = 0;
  for (char c : size) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) malformed("a malformed chunk size");
    n = n * 16 + uint64_t(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (std::tolower(c) - 'a' + 10));
  }
  return n;
}

} // namespace

bool ResponseReader::feed(std::string_view bytes) {
  if (state_ == State::done) return true;
  buf_.append(bytes.data(), bytes.size());
  while (state_ != State::done && step()) {
  }
  buf_.erase(0, pos_);
  pos_ = 0;
  return state_ == State::done;
}

bool ResponseReader::finish() {
  if (state_ == State::until_close) state_ = State::done;
  return state_ == State::done;
}

std::string_view ResponseReader::take_line() {
  size_t end = buf_.find('\n', pos_);
  if (end == std::string::npos) {
    if (buf_.size() - pos_ > kMaxHead) malformed("a line over 64 KiB");
    return {};
  }
  std::string_view line(buf_.data() + pos_, end - pos_);
  pos_ = end + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line; // data() points into buf_, even when the line is empty
}

bool ResponseReader::read_head() {
  // The whole head first: nothing of it is taken until its empty line is in.
  size_t end = buf_.find("\r\n\r\n", pos_), bare = buf_.find("\n\n", pos_);
  end = std::min(end == std::string::npos ? end : end + 4, bare == std::string::npos ? bare : bare + 2);
  if (end == std::string::npos) {
    if (buf_.size() - pos_ > kMaxHead) malformed("headers over 64 KiB");
    return false;
  }
  if (end - pos_ > kMaxHead) malformed("headers over 64 KiB");
  response_ = FetchResponse{};
  response_.status = parse_status_line(take_line());
  for (std::string_view line = take_line(); !line.empty(); line = take_line()) {
    size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon == std::string_view::npos ? 0 : colon);
    // RFC 9112 §5.1-5.2: no space before the colon, no obsolete line folding.
    if (name.empty() || name.find_first_of(" \t") != std::string_view::npos) malformed("a malformed header field");
    response_.headers.emplace_back(std::string(name), std::string(trim_ows(line.substr(colon + 1))));
  }
  // RFC 9110 §15.2: an interim answer; the final one follows (101 is not asked for, so it is final).
  if (response_.status < 200 && response_.status != 101) return true;
  begin_body();
  return true;
}

void ResponseReader::begin_body() {
  int status = response_.status;
  // RFC 9112 §6.3 items 1-2: no body after HEAD, 1xx, 204 and 304.
  if (head_request_ || status < 200 || status == 204 || status == 304) {
    state_ = State::done;
    return;
  }
  std::string coding, length;
  bool has_coding = false, has_length = false;
  for (const auto& [name, value] : response_.headers) {
    if (iequals(name, "Transfer-Encoding")) {
      has_coding = true;
      coding = trim_ows(value.substr(value.rfind(',') == std::string::npos ? 0 : value.rfind(',') + 1));
    } else if (iequals(name, "Content-Length")) {
      // RFC 9110 §8.6: repeated values must all be the same.
      for (size_t at = 0; at <= value.size();) {
        size_t comma = std::min(value.find(',', at), value.size());
        std::string one(trim_ows(std::string_view(value).substr(at, comma - at)));
        if (has_length && one != length) malformed("a malformed Content-Length");
        length = one;
        has_length = true;
        at = comma + 1;
      }
    }
  }
  // RFC 9112 §6.3 items 3-4: chunked last means chunked; any other coding runs to the close.
  if (has_coding) {
    state_ = iequals(coding, "chunked") ? State::chunk_size : State::until_close;
    return;
  }
  if (!has_length) {
    state_ = State::until_close; // item 8
    return;
  }
  auto n = parse_uint64(length, UINT64_MAX);
  if (!n) malformed("a malformed Content-Length");
  if (*n > max_body_) too_large();
  left_ = *n;
  state_ = left_ == 0 ? State::done : State::length;
}

void ResponseReader::too_large() const {
  throw FetchError(FetchFailure::too_large, "the answer is over " + std::to_string(max_body_) + " bytes");
}

void ResponseReader::append(std::string_view data) {
  if (response_.body.size() + data.size() > max_body_) too_large();
  response_.body.append(data.data(), data.size());
}

bool ResponseReader::step() {
  size_t avail = buf_.size() - pos_;
  switch (state_) {
  case State::head:
    return read_head();
  case State::length:
  case State::chunk_data: {
    if (avail == 0) return false;
    size_t n = size_t(std::min<uint64_t>(left_, avail));
    append(std::string_view(buf_.data() + pos_, n));
    pos_ += n;
    left_ -= n;
    if (left_ == 0) state_ = state_ == State::length ? State::done : State::chunk_end;
    return true;
  }
  case State::chunk_size: {
    std::string_view line = take_line();
    if (line.data() == nullptr) return false;
    left_ = parse_chunk_size(line);
    if (response_.body.size() + left_ > max_body_) too_large(); // before its bytes arrive
    state_ = left_ == 0 ? State::trailers : State::chunk_data;
    return true;
  }
  case State::chunk_end: {
    std::string_view line = take_line();
    if (line.data() == nullptr) return false;
    if (!line.empty()) malformed("a malformed chunk");
    state_ = State::chunk_size;
    return true;
  }
  case State::trailers: { // RFC 9112 §7.1.2: read and left out
    std::string_view line = take_line();
    if (line.data() == nullptr) return false;
    if (line.empty()) state_ = State::done;
    return true;
  }
  case State::until_close:
    append(std::string_view(buf_.data() + pos_, avail));
    pos_ += avail;
    return false;
  case State::done:
    return false;
  }
  return false;
}

} // namespace authemu
