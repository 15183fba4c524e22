#include "http/request_parser.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>

#include "base/number.h"

namespace authemu {

namespace {

constexpr char kMalformed[] = "malformed HTTP request, or headers over the limits (8 KiB a line, 100 headers)";

// RFC 9110 §5.6.2: tchar.
bool is_tchar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_tchar(static_cast<unsigned char>(c)); });
}

bool ieq(std::string_view a, std::string_view b) {
  return iequals(a, b);
}

// Calls f on each element of a comma-separated field value (RFC 9110 §5.6.1), OWS trimmed.
template <typename F> void each_element(std::string_view value, F f) {
  while (true) {
    size_t comma = value.find(',');
    f(trim_ows(value.substr(0, comma)));
    if (comma == std::string_view::npos) return;
    value.remove_prefix(comma + 1);
  }
}

// One line from `pos` to its LF, the CR before the LF dropped (RFC 9112 §2.2 lets a recipient take
// a bare LF as the end of a line), and at most `max` bytes long without them. The limit is checked
// on the same text whether the LF is in yet or not, and a CR that ends the bytes in hand is not
// counted, for it may be the CR of a CRLF whose LF the next read brings: so the answer for a
// request never depends on where its reads ended. Looks at `max` + 2 bytes at most.
struct Line {
  enum class Status { whole, more, too_long } status;
  std::string_view text; // for whole: the line without CR LF
  size_t next = 0;       // for whole: just after the LF
};

Line read_line(std::string_view buf, size_t pos, size_t max) {
  std::string_view window = buf.substr(pos, max + 2); // the line, a CR and an LF
  size_t lf = window.find('\n');
  std::string_view text = window.substr(0, lf);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (text.size() > max) return Line{Line::Status::too_long, {}, 0};
  if (lf == std::string_view::npos) return Line{Line::Status::more, {}, 0};
  return Line{Line::Status::whole, text, pos + lf + 1};
}

ParseResult fail(int status, std::string message, std::string path = "") {
  ParseResult r;
  r.kind = ParseResult::Kind::error;
  r.status = status;
  r.message = std::move(message);
  r.path = std::move(path);
  return r;
}

bool known_method(std::string_view m) {
  for (std::string_view k : {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
    if (m == k) return true;
  }
  return false;
}

// A field value holds no control character but HTAB (RFC 9110 §5.5).
bool valid_field_value(std::string_view v) {
  return std::none_of(v.begin(), v.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && u != '\t') || u == 0x7f;
  });
}

// A Host value: uri-host [":" port], or empty (RFC 9112 §3.2, RFC 3986 §3.2.2).
bool valid_host(std::string_view v) {
  return std::all_of(v.begin(), v.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && std::string_view("/\\@?#\"<>{}|^`").find(c) == std::string_view::npos;
  });
}

std::optional<uint64_t> parse_digits(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  return v;
}

// Where a part of the request that starts at a known offset (its field lines, a chunked body)
// ends, or the error that stops it.
struct SectionEnd {
  size_t end = 0;
  std::optional<ParseResult> error;
};

// RFC 9112 §7.1: the chunked body starting at `pos`, appended to *body. Returns nothing when
// more bytes are needed, else the end of the body (past the trailer section) or an error.
std::optional<SectionEnd> read_chunked(std::string_view buf, size_t pos, const ParserLimits& limits, std::string* body,
                                       const std::string& path) {
  constexpr size_t kMaxChunkLine = 4096; // size plus extensions
  auto error = [&](int status, const std::string& message) { return SectionEnd{0, fail(status, message, path)}; };
  for (;;) {
    Line line = read_line(buf, pos, kMaxChunkLine);
    if (line.status == Line::Status::too_long) return error(400, "malformed chunk size");
    if (line.status == Line::Status::more) return std::nullopt;
    std::string_view size_text = trim_ows(line.text.substr(0, line.text.find(';')));
    if (size_text.empty() || size_text.size() > 8) return error(400, "malformed chunk size");
    size_t size = 0;
    for (char c : size_text) {
      int h = hex_value(c);
      if (h < 0) return error(400, "malformed chunk size");
      size = size * 16 + size_t(h);
    }
    pos = line.next;
    if (size == 0) break;
    if (body->size() + size > limits.max_body) return error(413, "request body too large");
    if (buf.size() < pos + size) return std::nullopt;
    body->append(buf.substr(pos, size));
    pos += size;
    Line after = read_line(buf, pos, 0); // RFC 9112 §7.1: chunk-data CRLF, an empty line
    if (after.status == Line::Status::too_long) return error(400, "malformed chunk");
    if (after.status == Line::Status::more) return std::nullopt;
    pos = after.next;
  }
  // The trailer section (RFC 9112 §7.1.2): fields are read and dropped, up to an empty line.
  for (size_t count = 0;; ++count) {
    Line line = read_line(buf, pos, limits.max_line);
    if (line.status == Line::Status::too_long) return error(400, kMalformed);
    if (line.status == Line::Status::more) return std::nullopt;
    pos = line.next;
    if (line.text.empty()) break;
    if (count >= limits.max_headers) return error(400, kMalformed);
  }
  return SectionEnd{pos, std::nullopt};
}

// RFC 9112 §3: method SP request-target SP HTTP-version, single spaces. Fills req's method, path
// and query, and *version; else an error (with the path once it is known).
std::optional<ParseResult> parse_request_line(std::string_view line, HttpRequest* req, std::string_view* version) {
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) return fail(400, kMalformed);
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  *version = line.substr(sp2 + 1);
  if (!is_token(method) || target.empty()) return fail(400, kMalformed);
  for (char c : target) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return fail(400, kMalformed);
  }
  // The target: origin-form, absolute-form (the path of it), or * for OPTIONS (RFC 9112 §3.2).
  std::string_view origin = target;
  if (target.front() != '/') {
    size_t scheme = target.find("://");
    if (target == "*" && method == "OPTIONS") {
      origin = "*";
    } else if (scheme != std::string_view::npos && is_token(target.substr(0, scheme))) {
      size_t slash = target.find_first_of("/?", scheme + 3);
      origin = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    } else {
      return fail(400, kMalformed);
    }
  }
  size_t q = origin.find('?');
  std::string path = origin.front() == '?' ? "/" : decode_path(origin.substr(0, q));
  if (*version != "HTTP/1.1" && *version != "HTTP/1.0") {
    std::string_view v = *version;
    bool http = v.size() == 8 && v.substr(0, 5) == "HTTP/" && std::isdigit(v[5]) && v[6] == '.' && std::isdigit(v[7]);
    return http ? fail(505, "HTTP version not supported", path) : fail(400, kMalformed, path);
  }
  if (!known_method(method)) return fail(400, kMalformed, path);
  req->method = std::string(method);
  req->path = path;
  if (q != std::string_view::npos) req->query = std::string(origin.substr(q + 1));
  return std::nullopt;
}

// RFC 9112 §5: the field lines from `pos` up to the empty line, appended to req's headers. Returns
// nothing when more bytes are needed, else the end of the head or an error.
std::optional<SectionEnd> read_fields(std::string_view buf, size_t pos, const ParserLimits& limits, HttpRequest* req) {
  const size_t start = pos;
  auto error = [&](const std::string& message) { return SectionEnd{0, fail(400, message, req->path)}; };
  for (;;) {
    Line field = read_line(buf, pos, limits.max_line);
    if (field.status == Line::Status::too_long) return error(kMalformed);
    if (field.status == Line::Status::more) return std::nullopt;
    pos = field.next;
    if (pos - start > limits.max_head) return error(kMalformed);
    std::string_view f = field.text;
    if (f.empty()) return SectionEnd{pos, std::nullopt};
    if (req->headers.size() >= limits.max_headers) return error(kMalformed);
    // §5.2: obs-fold is refused; §5.1: no whitespace between the name and the colon.
    if (f.front() == ' ' || f.front() == '\t') return error("obsolete line folding in a header");
    size_t colon = f.find(':');
    if (colon == std::string_view::npos || !is_token(f.substr(0, colon))) return error("malformed header line");
    std::string_view value = trim_ows(f.substr(colon + 1));
    if (!valid_field_value(value)) return error("control character in a header value");
    req->headers.emplace_back(std::string(f.substr(0, colon)), std::string(value));
  }
}

// How the body is framed, as the fields say.
struct Framing {
  bool chunked = false;
  std::optional<uint64_t> length; // neither: no body
};

// Host (RFC 9112 §3.2), framing (§6), Connection (§9.3), Expect (RFC 9110 §10.1.1): sets
// keep_alive and expects_continue and fills *framing; else an error.
std::optional<ParseResult> check_fields(ParsedRequest* parsed, bool http10, Framing* framing) {
  const std::string& path = parsed->request.path;
  size_t hosts = 0;
  bool has_te = false, bad_te = false, bad_length = false;
  bool& chunked = framing->chunked;
  std::optional<uint64_t>& length = framing->length;
  parsed->keep_alive = !http10;
  for (const auto& [name, value] : parsed->request.headers) {
    if (ieq(name, "Host")) {
      ++hosts;
      if (!valid_host(value)) return fail(400, "invalid Host header", path);
    } else if (ieq(name, "Transfer-Encoding")) {
      has_te = true;
      each_element(value, [&](std::string_view coding) {
        if (chunked || !ieq(coding, "chunked")) bad_te = true; // chunked, once and last, is all we take
        chunked = true;
      });
    } else if (ieq(name, "Content-Length")) {
      each_element(value, [&](std::string_view v) {
        auto n = parse_digits(v);
        if (!n || (length && *length != *n)) bad_length = true;
        if (n) length = n;
      });
    } else if (ieq(name, "Connection")) {
      each_element(value, [&](std::string_view option) {
        if (ieq(option, "close")) parsed->keep_alive = false;
        if (ieq(option, "keep-alive") && http10) parsed->keep_alive = true;
      });
    } else if (ieq(name, "Expect")) {
      parsed->expects_continue = ieq(value, "100-continue");
    }
  }
  if (hosts > 1 || (hosts == 0 && !http10)) return fail(400, "a request needs exactly one Host header", path);
  if (has_te && (length || bad_length)) return fail(400, "both Content-Length and Transfer-Encoding", path);
  if (has_te && http10) return fail(400, "Transfer-Encoding in an HTTP/1.0 request", path);
  if (has_te && bad_te) return fail(501, "only the chunked transfer coding is supported", path);
  if (bad_length) return fail(400, "malformed Content-Length", path);
  return std::nullopt;
}

} // namespace

std::string decode_path(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 2 < raw.size() && hex_value(raw[i + 1]) >= 0 && hex_value(raw[i + 2]) >= 0) {
      out += char(hex_value(raw[i + 1]) * 16 + hex_value(raw[i + 2]));
      i += 2;
    } else {
      out += raw[i];
    }
  }
  return out;
}

ParseResult parse_request(std::string_view buf, const ParserLimits& limits) {
  // RFC 9112 §2.2: empty lines before the request line are ignored.
  size_t pos = 0;
  while (pos < buf.size() && (buf[pos] == '\r' || buf[pos] == '\n')) {
    if (pos >= 64) return fail(400, kMalformed);
    ++pos;
  }
  Line request_line = read_line(buf, pos, limits.max_line);
  if (request_line.status == Line::Status::too_long) return fail(414, "request URI too long");
  if (request_line.status == Line::Status::more) return ParseResult{};

  ParseResult r;
  HttpRequest& req = r.parsed.request;
  std::string_view version;
  if (auto error = parse_request_line(request_line.text, &req, &version)) return *error;
  auto fields = read_fields(buf, request_line.next, limits, &req);
  if (!fields) return ParseResult{};
  if (fields->error) return *fields->error;
  size_t head_end = fields->end;
  Framing framing;
  if (auto error = check_fields(&r.parsed, version == "HTTP/1.0", &framing)) return *error;
  const std::string& path = req.path;

  size_t end = head_end;
  if (framing.chunked) {
    auto body = read_chunked(buf, head_end, limits, &req.body, path);
    if (!body) {
      r.head_complete = true;
      return r;
    }
    if (body->error) return *body->error;
    end = body->end;
  } else if (framing.length) {
    // RFC 9112 §6.3: a request with neither field has no body (a POST without Content-Length too).
    uint64_t length = *framing.length;
    if (length > limits.max_body) return fail(413, "request body too large", path);
    if (buf.size() - head_end < length) {
      r.head_complete = true;
      return r;
    }
    req.body = std::string(buf.substr(head_end, size_t(length)));
    end = head_end + size_t(length);
  }
  r.kind = ParseResult::Kind::complete;
  r.consumed = end;
  return r;
}

} // namespace authemu
