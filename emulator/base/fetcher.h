// Requests this server sends to other servers (the delegated login's) as values behind one
// interface, with their limits and errors. No sockets here: http/http_fetcher sends them.
#pragma once
#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "base/http_types.h"

namespace authemu {

// What one fetch may take. The defaults suit an identity provider's small JSON answers.
struct FetchLimits {
  std::chrono::milliseconds timeout{5000}; // the whole fetch, every redirect included
  size_t max_body = 1024 * 1024;           // bytes of an answer's body, checked while it arrives
  int max_redirects = 5;                   // redirects followed; one more is an error
};

// Why a fetch gave no answer. An answer of any status (404, 500, …) is not a failure.
enum class FetchFailure {
  bad_url,            // not an absolute http(s) URL with a host, or a malformed Location
  bad_request,        // a method or header field that would not stay what it says (a line break)
  unsupported_scheme, // a scheme other than http and https
  unreachable,        // no connection (refused, unknown host), the connection broke, or a malformed answer
  tls,                // https: the server's certificate is not trusted for its host, or the handshake failed
  timeout,            // FetchLimits::timeout passed
  too_large,          // the body is over FetchLimits::max_body
  too_many_redirects, // more than FetchLimits::max_redirects
};

// "timeout", "too_large", … as in FetchFailure.
const char* fetch_failure_name(FetchFailure failure);

// A fetch that gave no answer: what() names the request (URL without its query) and the reason.
class FetchError : public std::runtime_error {
public:
  FetchError(FetchFailure failure, const std::string& message) : std::runtime_error(message), failure_(failure) {}
  FetchFailure failure() const { return failure_; }

private:
  FetchFailure failure_;
};

struct FetchRequest {
  std::string method = "GET";
  std::string url;  // absolute: http://host[:port]/path?query
  Headers headers;  // sent as given, besides Host and Content-Length
  std::string body; // with its Content-Type among headers
};

struct FetchResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::string url; // the URL that answered, after any redirects
  // First value of a header, name compared case-insensitively.
  std::optional<std::string> header(std::string_view name) const;
};

class Fetcher {
public:
  virtual ~Fetcher() = default;
  // Sends request and follows redirects (RFC 9110 §15.4) itself, within the fetcher's limits.
  // Throws FetchError when there is no final answer. Safe to call from several threads at once.
  virtual FetchResponse fetch(const FetchRequest& request) = 0;
};

} // namespace authemu
