// What every admin API operation shares: reading a request (query and JSON object body), its
// VALIDATION errors, the JSON answer, and choosing environments by name. No operations here.
#pragma once
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "base/http_types.h"
#include "base/json.h"
#include "jose/crypto.h"
#include "oauth/form.h"
#include "oauth/oauth_error.h"
#include "stack/environment.h"
#include "testkit/admin_error.h"

namespace authemu {

// Runs read and returns what it returns. A lower layer's refusal of the input it reads (an
// OAuthError of form parsing, a CryptoError of key text) becomes admin_api::validation with its text
// after prefix: the admin API's one translation of another layer's error.
template <typename Read> auto as_validation(const std::string& prefix, Read&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const OAuthError& e) {
    throw admin_api::validation(prefix + e.description());
  } catch (const CryptoError& e) {
    throw admin_api::validation(prefix + e.what());
  }
}

// A JSON answer with Cache-Control: no-store.
HttpResponse json_response(int status, const Json& body);

// The request's input: query parameters and, for writes, a JSON object body.
struct Input {
  Params query;
  JsonObject body;

  // A query parameter; a repeated one is the admin API's VALIDATION error, never an OAuth error.
  std::optional<std::string> param(const std::string& name) const;
  // environment from the query or the body.
  std::optional<std::string> environment() const;
  // A string member of the body; nothing when absent, VALIDATION when another type.
  std::optional<std::string> text(const char* name) const;
};

// Throws admin_api::unsupported_media_type for a body that is not JSON, admin_api::validation for one that is
// not an object.
Input read_input(const HttpRequest& req);

// Refuses members of body not in known.
void only_members(const JsonObject& body, std::initializer_list<const char*> known);

// A member that is a list of strings, each of at most max_length characters; empty when absent.
std::vector<std::string> string_list(const JsonObject& body, const char* name, size_t max_length = 255);

// Whole seconds or a duration such as 90s, 1h, -5m.
int64_t seconds_of(const Json& v, const std::string& name);

// The environments a request names: one by name ("default" is the default one), or all; 404 for
// an unknown name.
std::vector<Environment*> select(const std::vector<Environment*>& envs, const std::optional<std::string>& name);
// The one environment a request acts on: the named one, or the default one when it names none.
Environment& select_one(const std::vector<Environment*>& envs, const std::optional<std::string>& name);

} // namespace authemu
