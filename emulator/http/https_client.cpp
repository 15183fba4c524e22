#include "http/https_client.h"

#include <optional>

#include "http/response_reader.h"
#include "tls/tls_stream.h"

namespace authemu {

namespace {

[[noreturn]] void fail(FetchFailure failure, const std::string& message) {
  throw FetchError(failure, message);
}

std::string authority(const HttpsTarget& t) {
  std::string host = t.host.find(':') != std::string::npos ? "[" + t.host + "]" : t.host;
  return t.port == 443 ? host : host + ":" + std::to_string(t.port);
}

// RFC 9112 §3 and §9.6: the request line, Host, the caller's fields but those this client frames
// itself, the body's length, and no keep-alive (one request per connection).
std::string request_head(const HttpsTarget& target, const FetchRequest& request) {
  std::string head = request.method + " " + target.path + " HTTP/1.1\r\nHost: " + authority(target) + "\r\n";
  for (const auto& [name, value] : request.headers) {
    if (iequals(name, "Host") || iequals(name, "Content-Length") || iequals(name, "Connection") ||
        iequals(name, "Transfer-Encoding")) {
      continue;
    }
    head += name + ": " + value + "\r\n";
  }
  // RFC 9110 §8.6: a POST or PUT says its length even when it is 0.
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
    head += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  }
  return head + "Connection: close\r\n\r\n";
}

} // namespace

TlsTrust given_trust(const TlsTrustSources& sources) {
  TlsTrust trust;
  for (const std::string& file : sources.pem_files)
    trust.add_file(file);
  if (!sources.own_ca_pem.empty()) trust.add_pem(sources.own_ca_pem, "this server's CA");
  return trust;
}

FetchResponse https_exchange(const TlsClientConfig& config, const HttpsTarget& target, const FetchRequest& request,
                             size_t max_body, int64_t deadline_ms, const MonotonicClock& clock) {
  const std::string origin = "https://" + authority(target);
  std::optional<TlsStream> stream;
  try {
    stream.emplace(TlsStream::connect(config, target.host, target.port, deadline_ms, clock));
  } catch (const TlsError& e) {
    if (e.kind() == TlsError::Kind::timeout) fail(FetchFailure::timeout, "no answer from " + origin + " in time");
    if (e.kind() == TlsError::Kind::unreachable) fail(FetchFailure::unreachable, "cannot connect to " + origin);
    fail(FetchFailure::tls, "TLS with " + origin + " failed: " + e.what());
  }
  if (!stream->write_all(request_head(target, request) + request.body, deadline_ms, clock)) {
    if (clock.now_ms() >= deadline_ms) fail(FetchFailure::timeout, "no answer from " + origin + " in time");
    std::string why = stream->error().empty() ? "the connection broke" : stream->error();
    fail(FetchFailure::unreachable, "no complete answer from " + origin + " (" + why + ")");
  }
  ResponseReader reader(max_body, request.method == "HEAD");
  char buf[16 * 1024];
  for (;;) {
    size_t n = 0;
    try {
      n = stream->read_some(buf, sizeof buf, deadline_ms, clock);
    } catch (const TlsError& e) {
      if (e.kind() == TlsError::Kind::timeout) fail(FetchFailure::timeout, "no answer from " + origin + " in time");
      fail(FetchFailure::unreachable, "no complete answer from " + origin + " (" + e.what() + ")");
    }
    if (n == 0) {
      if (reader.finish()) break;
      fail(FetchFailure::unreachable, "no complete answer from " + origin + " (the connection closed early)");
    }
    try {
      if (reader.feed(std::string_view(buf, n))) break;
    } catch (const FetchError& e) {
      if (e.failure() == FetchFailure::too_large) throw;
      fail(FetchFailure::unreachable, "no complete answer from " + origin + " (" + e.what() + ")");
    }
  }
  stream->close_notify();
  return std::move(reader.response());
}

} // namespace authemu
