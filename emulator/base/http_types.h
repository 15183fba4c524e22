// Plain request and response values that the application works on (App::handle and its routes),
// so that it is tested without sockets: the transport reads them off the wire (http/request_parser)
// and writes them back (http/response_writer). No framing and no I/O here.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/client_certificate.h"

namespace authemu {

class EventWatch;

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method; // "GET", "POST", …
  std::string path;   // percent-decoded path, without the query
  std::string query;  // raw query string, without '?'
  Headers headers;
  std::string body;
  bool tls = false;   // it came over a TLS listener
  int local_port = 0; // the port of the listener it came to (0: not over a socket)
  // The certificate the TLS client presented on this connection (RFC 8705), or none.
  std::shared_ptr<const ClientCertificate> client_certificate{};

  // First value of a header, name compared case-insensitively.
  std::optional<std::string> header(std::string_view name) const;
  // True when Content-Type names application/x-www-form-urlencoded: case-insensitive, parameters
  // and spaces around the media type ignored (RFC 9110 §8.3.1). The one form Content-Type rule.
  bool is_form_urlencoded() const;
  // True when Content-Type is application/json or application/<subtype>+json (RFC 6839 §3.1),
  // by the same rule.
  bool is_json() const;
  // The value of a cookie of the Cookie header (RFC 6265 §5.4), the first if repeated.
  std::optional<std::string> cookie(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;
  // A long-lived answer (text/event-stream): the transport sends the head without a length and
  // the watch's preamble, then every event the watch receives, until the peer goes or falls behind.
  std::shared_ptr<EventWatch> stream{};

  void set_header(std::string name, std::string value);
  void add_header(std::string name, std::string value); // another line of the same name (Set-Cookie)
  std::optional<std::string> header(std::string_view name) const;
  // Sets status, body and Content-Type: application/json.
  void json(int status_code, std::string json_body);
  void text(int status_code, std::string text_body);
  void empty(int status_code); // no body; Content-Type application/json as Formance sends
};

bool iequals(std::string_view a, std::string_view b);
// RFC 9110 §5.6.3: s without the optional whitespace (spaces and tabs) at either end.
std::string_view trim_ows(std::string_view s);

} // namespace authemu
