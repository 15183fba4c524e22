#include "http/response_writer.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <ctime>

namespace authemu {

namespace {

// RFC 9110 §5.6.7: IMF-fixdate.
std::string http_date() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[40];
  std::strftime(out, sizeof out, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return out;
}

} // namespace

const char* reason_phrase(int status) {
  switch (status) {
  case 100:
    return "Continue";
  case 200:
    return "OK";
  case 201:
    return "Created";
  case 204:
    return "No Content";
  case 302:
    return "Found";
  case 303:
    return "See Other";
  case 304:
    return "Not Modified";
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 403:
    return "Forbidden";
  case 404:
    return "Not Found";
  case 405:
    return "Method Not Allowed";
  case 408:
    return "Request Timeout";
  case 409:
    return "Conflict";
  case 413:
    return "Content Too Large";
  case 414:
    return "URI Too Long";
  case 415:
    return "Unsupported Media Type";
  case 429:
    return "Too Many Requests";
  case 431:
    return "Request Header Fields Too Large";
  case 500:
    return "Internal Server Error";
  case 501:
    return "Not Implemented";
  case 502:
    return "Bad Gateway";
  case 503:
    return "Service Unavailable";
  case 504:
    return "Gateway Timeout";
  case 505:
    return "HTTP Version Not Supported";
  default:
    return status < 400 ? "OK" : "Error";
  }
}

namespace {

// The status line, Date and the response's own fields.
std::string head_fields(const HttpResponse& res) {
  std::string out = "HTTP/1.1 " + std::to_string(res.status) + " " + reason_phrase(res.status) + "\r\n";
  out += "Date: " + http_date() + "\r\n";
  for (const auto& [name, value] : res.headers) {
    if (iequals(name, "Content-Length") || iequals(name, "Connection") || iequals(name, "Transfer-Encoding")) continue;
    out += name + ": ";
    for (char c : value)
      out += (c == '\r' || c == '\n') ? ' ' : c;
    out += "\r\n";
  }
  return out;
}

} // namespace

std::string serialize_stream_head(const HttpResponse& res) {
  return head_fields(res) + "Connection: close\r\n\r\n";
}

std::string serialize(const HttpResponse& res, const std::string& method, bool keep_alive, int idle_timeout_ms) {
  std::string out = head_fields(res);
  // RFC 9110 §8.6: no Content-Length on 1xx and 204; 304 repeats nothing here.
  bool bodiless = res.status < 200 || res.status == 204 || res.status == 304;
  if (!bodiless) out += "Content-Length: " + std::to_string(res.body.size()) + "\r\n";
  out +=
      keep_alive ? "Keep-Alive: timeout=" + std::to_string(idle_timeout_ms / 1000) + "\r\n" : "Connection: close\r\n";
  out += "\r\n";
  if (!bodiless && method != "HEAD") out += res.body;
  return out;
}

bool send_all(int fd, std::string_view data, int timeout_ms, const MonotonicClock& clock) {
  int64_t deadline = clock.now_ms() + timeout_ms;
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(size_t(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      int64_t left = deadline - clock.now_ms();
      if (left <= 0) return false;
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, int(clock.block_ms(left))) < 0 && errno != EINTR) return false;
      continue;
    }
    return false;
  }
  return true;
}

} // namespace authemu
