#include "oauth/client_auth.h"

#include "base/base64.h"
#include "base/http_types.h"
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

AuthenticatedClient authenticate_client(const ClientStore& clients, const Params& params,
                                        const std::optional<BasicCredentials>& basic) {
  auto body_id = params.get("client_id");
  auto body_secret = params.get("client_secret");
  AuthenticatedClient out;
  if (basic) {
    // RFC 6749 §2.3: a client uses one authentication method per request.
    if (body_secret)
      throw oauth::invalid_request("client authenticated both by HTTP Basic and by client_secret; use one");
    out.via_basic = true;
    out.client = clients.find(basic->id);
    bool raw = false;
    if (!out.client && basic->raw_id != basic->id) {
      out.client = clients.find(basic->raw_id);
      raw = true;
    }
    if (body_id && out.client && *body_id != out.client->id) {
      throw oauth::invalid_request("client_id differs from the HTTP Basic user");
    }
    if (!out.client) throw oauth::invalid_client("unknown client");
    if (out.client->is_public) {
      if (!basic->secret.empty()) throw oauth::invalid_client("public client " + out.client->id + " has no secret");
      return out;
    }
    // Appendix B decoding first; the raw value for clients that send secrets unencoded.
    bool ok = secret_matches(*out.client, raw ? basic->raw_secret : basic->secret);
    if (!ok && basic->raw_secret != basic->secret) ok = secret_matches(*out.client, basic->raw_secret);
    if (!ok) throw oauth::invalid_client("invalid client secret");
    out.with_secret = true;
    return out;
  }
  if (!body_id)
    throw oauth::invalid_client("client authentication required: HTTP Basic or client_id and client_secret");
  out.client = clients.find(*body_id);
  if (!out.client) throw oauth::invalid_client("unknown client");
  if (out.client->is_public) {
    if (body_secret) throw oauth::invalid_client("public client " + out.client->id + " has no secret");
    return out;
  }
  if (!body_secret) throw oauth::invalid_client("client_secret required for confidential client " + out.client->id);
  if (!secret_matches(*out.client, *body_secret)) throw oauth::invalid_client("invalid client secret");
  out.with_secret = true;
  return out;
}

} // namespace authemu
