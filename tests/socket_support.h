// Raw loopback sockets for the in-process server tests: connect, send, and read answers whole or
// to the server's close, each read bounded by 5 s.
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <string>

namespace authemu::test {

// A connected raw socket to 127.0.0.1:port, reads bounded by a 5 s timeout.
inline int connect_to(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(uint16_t(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

inline void send_bytes(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += size_t(n);
  }
}

// One whole answer (head, then Content-Length bytes), or what came before the server closed or 5 s
// passed without a byte.
inline std::string read_answer(int fd) {
  std::string answer;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) {
    answer.append(buf, size_t(n));
    size_t end = answer.find("\r\n\r\n");
    if (end == std::string::npos) continue;
    size_t length = 0;
    size_t cl = answer.find("Content-Length: ");
    if (cl != std::string::npos && cl < end) length = std::stoul(answer.substr(cl + 16));
    if (answer.size() >= end + 4 + length) break;
  }
  return answer;
}

// Everything the server sends until it closes the connection (or 5 s pass without a byte).
inline std::string read_to_close(int fd, bool* closed = nullptr) {
  std::string answer;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
    answer.append(buf, size_t(n));
  if (closed != nullptr) *closed = n == 0;
  return answer;
}

inline size_t count_of(const std::string& haystack, const std::string& needle) {
  size_t count = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1))
    ++count;
  return count;
}

} // namespace authemu::test
