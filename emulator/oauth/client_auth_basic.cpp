// client_secret_basic (RFC 6749 §2.3.1): the client's id and secret in an HTTP Basic header, each
// form-encoded first (Appendix B); the raw values too, for clients that do not encode.
#include "base/base64.h"
#include "base/http_types.h"
#include "oauth/client_auth.h"
#include "oauth/oauth_error.h"

namespace authemu {

std::optional<BasicCredentials> parse_basic(const std::optional<std::string>& authorization) {
  if (!authorization) return std::nullopt;
  const std::string& h = *authorization;
  if (h.size() < 6 || !iequals(std::string_view(h).substr(0, 6), "Basic ")) return std::nullopt;
  size_t start = h.find_first_not_of(' ', 6);
  std::string encoded = start == std::string::npos ? "" : h.substr(start);
  while (!encoded.empty() && encoded.back() == ' ')
    encoded.pop_back();
  auto decoded = base64_decode(encoded);
  if (!decoded) throw oauth::invalid_client("malformed HTTP Basic credentials: not base64");
  size_t colon = decoded->find(':');
  if (colon == std::string::npos)
    throw oauth::invalid_client("malformed HTTP Basic credentials: no ':' between id and secret");
  BasicCredentials c;
  c.raw_id = decoded->substr(0, colon);
  c.raw_secret = decoded->substr(colon + 1);
  auto id = form_decode(c.raw_id);
  auto secret = form_decode(c.raw_secret);
  c.id = id ? *id : c.raw_id;
  c.secret = secret ? *secret : c.raw_secret;
  if (c.id.empty()) throw oauth::invalid_client("malformed HTTP Basic credentials: empty client id");
  return c;
}

namespace {

bool presented(const ClientCredentials& c) {
  return c.basic.has_value();
}

AuthenticatedClient authenticate(const ClientStore& clients, const ClientCredentials& c) {
  const BasicCredentials& basic = *c.basic;
  AuthenticatedClient out{clients.find(basic.id), "client_secret_basic"};
  bool raw = false;
  if (!out.client && basic.raw_id != basic.id) {
    out.client = clients.find(basic.raw_id);
    raw = true;
  }
  if (c.client_id && out.client && *c.client_id != out.client->id) {
    throw oauth::invalid_request("client_id differs from the HTTP Basic user");
  }
  if (!out.client) throw oauth::invalid_client("unknown client");
  if (out.client->is_public) {
    if (!basic.secret.empty()) throw oauth::invalid_client("public client " + out.client->id + " has no secret");
    return out;
  }
  // Appendix B decoding first; the raw value for clients that send secrets unencoded.
  bool ok = secret_matches(*out.client, raw ? basic.raw_secret : basic.secret);
  if (!ok && basic.raw_secret != basic.secret) ok = secret_matches(*out.client, basic.raw_secret);
  if (!ok) throw oauth::invalid_client("invalid client secret");
  out.proven = true;
  return out;
}

} // namespace

extern const ClientAuthMethod kClientSecretBasic = {"client_secret_basic", "HTTP Basic", true, true, presented,
                                                    authenticate};

} // namespace authemu
