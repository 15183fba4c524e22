// Params::parse and form_decode on any bytes: an OAuthError (invalid_request) or parameters; a
// parsed set answers get() for every name in it without crashing (a repeat is invalid_request).
#include <cstdint>

#include "fuzz_support.h"
#include "oauth/form.h"
#include "oauth/oauth_error.h"

using namespace authemu;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  if (auto decoded = form_decode(text)) fuzz::require(decoded->size() <= text.size(), "form_decode grew its input");
  try {
    Params params = Params::parse(text, "body");
    // Every name the text holds (split on '&' and '=') can be asked for.
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('&', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view pair = text.substr(start, end - start);
      if (auto name = form_decode(pair.substr(0, pair.find('=')))) {
        try {
          params.get(*name);
        } catch (const OAuthError& e) {
          fuzz::require(e.code() == "invalid_request", "get() threw another OAuth error than invalid_request");
        }
      }
      start = end + 1;
    }
    Params both = Params::merge(params, params);
    both.get("grant_type");
  } catch (const OAuthError& e) {
    fuzz::require(e.code() == "invalid_request", "parse() threw another OAuth error than invalid_request");
    fuzz::require(e.status() == 400, "invalid_request without status 400");
  }
  return 0;
}
