#include "oauth/resource.h"

#include <algorithm>
#include <cctype>

#include "oauth/oauth_error.h"

namespace authemu {

namespace {

constexpr size_t kMaxResourceLength = 2048;

// RFC 3986 §4.3: scheme ":" hier-part; a scheme is a letter then letters, digits, + - .
bool absolute_uri(const std::string& s) {
  size_t colon = s.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == s.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (size_t i = 1; i < colon; ++i) {
    char c = s[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  for (char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return true;
}

} // namespace

std::vector<std::string> read_resources(const Params& params, const Client& client) {
  std::vector<std::string> out = params.all("resource");
  if (out.size() > kMaxResources) throw oauth::invalid_target("more than " + std::to_string(kMaxResources) + " resource parameters");
  for (const auto& r : out) {
    // RFC 8707 §2: an absolute URI without a fragment.
    if (r.size() > kMaxResourceLength) throw oauth::invalid_target("resource longer than " + std::to_string(kMaxResourceLength));
    if (!absolute_uri(r)) throw oauth::invalid_target("resource " + r + " is not an absolute URI (RFC 8707 section 2)");
    if (r.find('#') != std::string::npos) throw oauth::invalid_target("resource " + r + " has a fragment (RFC 8707 section 2)");
    if (!client.resources.empty() && std::find(client.resources.begin(), client.resources.end(), r) == client.resources.end()) {
      throw oauth::invalid_target("resource " + r + " is not one client " + client.id + " may ask for (resources)");
    }
  }
  return out;
}

void check_within(const std::vector<std::string>& requested, const std::vector<std::string>& granted) {
  if (granted.empty()) return;
  for (const auto& r : requested) {
    if (std::find(granted.begin(), granted.end(), r) == granted.end()) {
      throw oauth::invalid_target("resource " + r + " was not granted; a token request may narrow the resources, not widen "
                                  "them (RFC 8707 section 2.2)");
    }
  }
}

} // namespace authemu
