#include "oauth/client_claims.h"

#include <algorithm>
#include <iterator>

namespace authemu {

namespace {

// RFC 9068 §2.2's claims, RFC 8705 §3.1's cnf, and Formance's nbf and scope: the token's own.
constexpr const char* kReserved[] = {"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "cnf"};

} // namespace

bool is_reserved_claim(const std::string& name) {
  return std::find(std::begin(kReserved), std::end(kReserved), name) != std::end(kReserved);
}

std::optional<std::string> client_claims_problem(const Client& client) {
  for (const auto& [name, value] : client.claims) {
    if (is_reserved_claim(name)) return "claims." + name + ": reserved: authemu sets " + name + " itself";
  }
  return std::nullopt;
}

JsonObject client_claims(const Client& client, const std::string& role_claim) {
  JsonObject c = client.claims; // the extras first: username and groups below win, as for users
  if (client.username) c["preferred_username"] = json_string(*client.username);
  if (!client.groups.empty()) c[role_claim] = json_string_array(client.groups); // FTL reads an array
  return c;
}

} // namespace authemu
