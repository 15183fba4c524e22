// application/x-www-form-urlencoded parameters (RFC 6749 Appendix B): strict decoding, a cap on
// the count, RFC 6749 §3.2's rule that no parameter may appear twice, and a request's form parsed
// once for all its readers. Knows no route and no error shape.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/http_types.h"
#include "oauth/oauth_error.h"

namespace authemu {

constexpr size_t kMaxFormParams = 64;

// Percent-decoding with '+' as space; nothing for a '%' not followed by two hex digits.
std::optional<std::string> form_decode(std::string_view text);
// Percent-encodes everything but A-Z a-z 0-9 - . _ ~ (space as %20, valid in a query and a form).
std::string form_encode(std::string_view text);
// "a=1&b=2" from name/value pairs, each encoded by form_encode.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& params);

class Params {
public:
  // Parses "a=1&b=2". Throws OAuthError invalid_request on bad encoding or too many parameters.
  static Params parse(std::string_view text, const char* where);
  // The union of two sets (query string and body); a name in both counts as repeated.
  static Params merge(Params a, const Params& b);

  // RFC 6749 §3.2: empty values are treated as omitted; a repeated parameter is invalid_request.
  std::optional<std::string> get(const std::string& name) const;
  bool has(const std::string& name) const { return get(name).has_value(); }
  // Every non-empty value of a parameter that may repeat (RFC 8707 §2 resource), in order.
  std::vector<std::string> all(const std::string& name) const;
  void add(std::string name, std::string value) { items_.emplace_back(std::move(name), std::move(value)); }
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// One request's form parameters, each part parsed at most once and shared by all who read it (the
// journal, the route's needs, the handler). A part that failed throws the same OAuthError again.
class RequestForm {
public:
  explicit RequestForm(const HttpRequest& req) : req_(req) {}

  const Params& query() const; // the query string
  const Params& body() const;  // the body read as a form, whatever its Content-Type
  // Query and body together, as Formance reads its endpoints' form (a name in both is repeated).
  const Params& merged() const;

private:
  struct Part {
    std::optional<Params> params;
    std::optional<OAuthError> error;
  };
  template <typename Parse> const Params& once(Part& part, Parse parse) const;

  const HttpRequest& req_;
  mutable Part query_, body_, merged_;
};

} // namespace authemu
