#include "http/http_fetcher.h"

#include <httplib.h>

#include <cctype>
#include <string_view>

#include "base/number.h"

namespace authemu {

namespace {

std::string lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A URL for messages: without query or fragment (they may carry secrets), and not too long.
std::string shown(const std::string& url) {
  std::string s = url.substr(0, url.find_first_of("?#"));
  return s.size() > 200 ? s.substr(0, 200) + "..." : s;
}

// RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) before ':'.
bool has_scheme(const std::string& ref) {
  size_t colon = ref.find(':');
  if (colon == std::string::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(ref[0]))) return false;
  for (size_t i = 1; i < colon; ++i) {
    char c = ref[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

[[noreturn]] void fail(FetchFailure failure, const std::string& message) {
  throw FetchError(failure, message);
}

// RFC 9110 §15.4: the redirects that a Location makes the client follow.
bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string milliseconds(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

// The parts of an absolute http(s) URL (FetchRequest::url).
struct Url {
  std::string scheme; // "http" or "https"
  std::string host;   // IPv6 without brackets
  int port = 0;
  std::string target; // path and query, "/" at least; no fragment
  std::string origin() const;
};

std::string Url::origin() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  bool default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
  return scheme + "://" + h + (default_port ? "" : ":" + std::to_string(port));
}

// Throws FetchError bad_url or unsupported_scheme, naming what is wrong but not the URL.
Url parse_url(const std::string& text) {
  size_t sep = text.find("://");
  if (sep == std::string::npos || !has_scheme(text.substr(0, sep + 1))) {
    fail(FetchFailure::bad_url, "not an absolute URL");
  }
  Url u;
  u.scheme = lower(text.substr(0, sep));
  if (u.scheme != "http" && u.scheme != "https") {
    fail(FetchFailure::unsupported_scheme, "scheme " + u.scheme + " is not supported (http and https only)");
  }
  std::string rest = text.substr(sep + 3);
  size_t end = rest.find_first_of("/?#");
  std::string authority = rest.substr(0, end);
  u.target = end == std::string::npos ? "/" : rest.substr(end);
  u.target = u.target.substr(0, u.target.find('#'));
  if (u.target.empty() || u.target[0] != '/') u.target = "/" + u.target;
  for (char c : u.target) {
    // RFC 9112 §3.2: a request target is visible ASCII; anything else would change the request.
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      fail(FetchFailure::bad_url, "spaces or control characters in the path or query");
    }
  }
  if (authority.find('@') != std::string::npos) fail(FetchFailure::bad_url, "credentials in a URL");
  std::string port;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string::npos) fail(FetchFailure::bad_url, "unclosed IPv6 address");
    u.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') fail(FetchFailure::bad_url, "malformed host");
      port = authority.substr(close + 2);
    }
  } else {
    size_t colon = authority.find(':');
    u.host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  u.host = lower(u.host);
  if (u.host.empty()) fail(FetchFailure::bad_url, "no host");
  for (char c : u.host) {
    // A reg-name or an IP literal (RFC 3986 §3.2.2); anything else would end up in the Host header.
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("-._~:%").find(c) == std::string_view::npos) {
      fail(FetchFailure::bad_url, "malformed host");
    }
  }
  u.port = u.scheme == "https" ? 443 : 80;
  if (!port.empty()) {
    auto n = parse_uint64(port, 65535);
    if (!n || *n == 0) fail(FetchFailure::bad_url, "bad port " + port);
    u.port = static_cast<int>(*n);
  }
  return u;
}

// A method and header fields that keep the request what it says (RFC 9110 §5.5: no line breaks).
void check_request(const FetchRequest& request) {
  auto bad = [](const std::string& s) { return s.find_first_of(std::string("\r\n\0", 3)) != std::string::npos; };
  if (request.method.empty() || request.method.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos) {
    fail(FetchFailure::bad_request, "malformed method");
  }
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || bad(name) || name.find_first_of(" :") != std::string::npos || bad(value)) {
      fail(FetchFailure::bad_request, "malformed header " + (bad(name) ? std::string("field") : name));
    }
  }
}

// One request and its answer over plain HTTP, redirects not followed, done by deadline_us on clock.
FetchResponse exchange_http(const FetchLimits& limits, const Url& url, const FetchRequest& request,
                            int64_t deadline_us, const MonotonicClock& clock) {
  int64_t left = deadline_us - clock.now_us();
  if (left <= 0) fail(FetchFailure::timeout, "no answer within " + milliseconds(limits.timeout));
  httplib::Client client(url.host, url.port);
  // Each wait is bounded by what is left of the whole fetch's time.
  time_t sec = static_cast<time_t>(left / 1000000), usec = static_cast<time_t>(left % 1000000);
  client.set_connection_timeout(sec, usec);
  client.set_read_timeout(sec, usec);
  client.set_write_timeout(sec, usec);
  client.set_keep_alive(false);
  client.set_follow_location(false); // redirects are fetch()'s, under our limit

  httplib::Request req;
  req.method = request.method;
  req.path = url.target;
  for (const auto& [name, value] : request.headers)
    req.headers.emplace(name, value);
  req.body = request.body;
  std::optional<FetchFailure> stopped; // why we stopped reading the answer
  std::string body;
  req.response_handler = [&](const httplib::Response& head) {
    auto length = head.get_header_value_u64("Content-Length");
    if (head.has_header("Content-Length") && length > limits.max_body) stopped = FetchFailure::too_large;
    return !stopped;
  };
  req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
    if (body.size() + n > limits.max_body) {
      stopped = FetchFailure::too_large;
    } else if (clock.now_us() >= deadline_us) {
      stopped = FetchFailure::timeout; // a body that trickles in
    } else {
      body.append(data, n);
    }
    return !stopped;
  };

  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  if (!client.send(req, res, error)) {
    if (stopped == FetchFailure::too_large)
      fail(*stopped, "the answer is over " + std::to_string(limits.max_body) + " bytes");
    // A wait cut short by the deadline shows as a read, write or connection error.
    bool late = clock.now_us() + 10000 >= deadline_us;
    if (stopped == FetchFailure::timeout || error == httplib::Error::ConnectionTimeout || late) {
      fail(FetchFailure::timeout, "no answer within " + milliseconds(limits.timeout));
    }
    if (error == httplib::Error::Connection) {
      fail(FetchFailure::unreachable, "cannot connect to " + url.origin());
    }
    fail(FetchFailure::unreachable, "no complete answer from " + url.origin() + " (" + httplib::to_string(error) + ")");
  }
  FetchResponse out;
  out.status = res.status;
  for (const auto& [name, value] : res.headers)
    out.headers.emplace_back(name, value);
  out.body = std::move(body);
  return out;
}

// One request and its answer over TLS, redirects not followed, done by deadline_us on clock.
FetchResponse exchange_https(const TlsClientConfig& config, const FetchLimits& limits, const Url& url,
                             const FetchRequest& request, int64_t deadline_us, const MonotonicClock& clock) {
  try {
    // The deadline in ms rounded up: a fetch is never cut before its timeout.
    return https_exchange(config, HttpsTarget{url.host, url.port, url.target}, request, limits.max_body,
                          (deadline_us + 999) / 1000, clock);
  } catch (const FetchError& e) {
    if (e.failure() != FetchFailure::timeout) throw;
    fail(FetchFailure::timeout, "no answer within " + milliseconds(limits.timeout)); // as over plain http
  }
}

// RFC 3986 §5.2.4: "/a/b/../c" -> "/a/c".
std::string remove_dot_segments(std::string in) {
  std::string out;
  auto pop = [&] { out.erase(out.rfind('/') == std::string::npos ? 0 : out.rfind('/')); };
  while (!in.empty()) {
    if (in.rfind("../", 0) == 0 || in.rfind("./", 0) == 0) {
      in.erase(0, in.find('/') + 1);
    } else if (in.rfind("/./", 0) == 0 || in == "/.") {
      in.replace(0, in == "/." ? 2 : 3, "/");
    } else if (in.rfind("/../", 0) == 0 || in == "/..") {
      in.replace(0, in == "/.." ? 3 : 4, "/");
      pop();
    } else if (in == "." || in == "..") {
      in.clear();
    } else {
      size_t next = in.find('/', 1);
      out += in.substr(0, next);
      in.erase(0, next == std::string::npos ? in.size() : next);
    }
  }
  return out;
}

// RFC 3986 §5.2, enough for Location (RFC 9110 §10.2.2): absolute, scheme-relative,
// absolute-path, query-only and relative-path references.
std::string resolve_location(const Url& base, const std::string& location) {
  if (has_scheme(location)) return location;
  if (location.rfind("//", 0) == 0) return base.scheme + ":" + location;
  std::string origin = base.origin(), path = base.target.substr(0, base.target.find('?'));
  if (location.empty()) return origin + base.target;
  if (location[0] == '?') return origin + path + location;
  std::string merged = location[0] == '/' ? location : path.substr(0, path.rfind('/') + 1) + location;
  size_t query = merged.find('?');
  std::string rest = query == std::string::npos ? "" : merged.substr(query);
  return origin + remove_dot_segments(merged.substr(0, query)) + rest;
}

void drop_headers(Headers& headers, std::initializer_list<const char*> names) {
  Headers kept;
  for (auto& [name, value] : headers) {
    bool dropped = false;
    for (const char* n : names)
      dropped = dropped || iequals(name, n);
    if (!dropped) kept.emplace_back(std::move(name), std::move(value));
  }
  headers = std::move(kept);
}

// The request a redirect leads to (RFC 9110 §15.4): 303, and 301/302 after POST, become a GET
// without body.
FetchRequest redirected(FetchRequest hop, int status, std::string to) {
  if ((status == 303 && hop.method != "HEAD") || ((status == 301 || status == 302) && hop.method == "POST")) {
    hop.method = "GET";
    hop.body.clear();
    drop_headers(hop.headers, {"Content-Type", "Content-Length"});
  }
  hop.url = std::move(to);
  return hop;
}

} // namespace

HttpFetcher::HttpFetcher(FetchLimits limits, const TlsTrustSources& trust, const MonotonicClock& clock)
    : limits_(limits), clock_(clock), system_trust_(trust.system),
      given_(std::make_unique<TlsTrust>(given_trust(trust))) {}

const TlsClientConfig& HttpFetcher::tls_config() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!tls_) {
    // Without the bundle (a FROM scratch image) the given roots alone are trusted.
    if (system_trust_) given_->add_system();
    tls_ = std::make_unique<TlsClientConfig>(std::move(*given_));
    given_.reset();
  }
  return *tls_;
}

FetchResponse HttpFetcher::fetch(const FetchRequest& request) {
  int64_t deadline_us = clock_.now_us() + int64_t(limits_.timeout.count()) * 1000;
  try {
    check_request(request);
  } catch (const FetchError& e) {
    throw FetchError(e.failure(), request.method.substr(0, 16) + " " + shown(request.url) + ": " + e.what());
  }
  FetchRequest hop = request;
  std::string from; // the origin that redirected here
  for (int redirects = 0;; ++redirects) {
    try {
      Url url = parse_url(hop.url);
      // Another origin does not get the credentials meant for the first one.
      if (redirects > 0 && url.origin() != from) drop_headers(hop.headers, {"Authorization", "Cookie"});
      FetchResponse res = url.scheme == "https" ? exchange_https(tls_config(), limits_, url, hop, deadline_us, clock_)
                                                : exchange_http(limits_, url, hop, deadline_us, clock_);
      auto location = res.header("Location");
      if (!is_redirect(res.status) || !location) {
        res.url = hop.url;
        return res;
      }
      if (redirects == limits_.max_redirects) {
        fail(FetchFailure::too_many_redirects, "more than " + std::to_string(limits_.max_redirects) + " redirects");
      }
      from = url.origin();
      hop = redirected(std::move(hop), res.status, resolve_location(url, *location));
    } catch (const FetchError& e) {
      std::string via = redirects > 0 ? " (redirected to " + shown(hop.url) + ")" : "";
      throw FetchError(e.failure(), request.method + " " + shown(request.url) + via + ": " + e.what());
    }
  }
}

} // namespace authemu
