#include "oauth/registration.h"

#include <algorithm>
#include <cctype>

#include "jose/jwk.h"
#include "oauth/client_auth.h"
#include "oauth/client_claims.h"
#include "oauth/grant_registry.h"
#include "oauth/oauth_error.h"
#include "oauth/scope.h"

namespace authemu {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::optional<std::string> text(const JsonObject& m, const char* name) {
  const Json* v = find_member(m, name);
  if (v == nullptr || v->is<picojson::null>()) return std::nullopt;
  if (!v->is<std::string>()) throw oauth::invalid_client_metadata(std::string(name) + ": expected a string");
  if (v->get<std::string>().size() > kMaxRegistrationValue) {
    throw oauth::invalid_client_metadata(std::string(name) + ": longer than " + std::to_string(kMaxRegistrationValue) +
                                         " characters");
  }
  return v->get<std::string>();
}

std::optional<std::vector<std::string>> list(const JsonObject& m, const char* name, bool redirect = false) {
  const Json* v = find_member(m, name);
  if (v == nullptr || v->is<picojson::null>()) return std::nullopt;
  auto bad = [&](const std::string& why) {
    return redirect ? oauth::invalid_redirect_uri(std::string(name) + ": " + why)
                    : oauth::invalid_client_metadata(std::string(name) + ": " + why);
  };
  if (!v->is<JsonArray>()) throw bad("expected an array of strings");
  const JsonArray& a = v->get<JsonArray>();
  if (a.size() > kMaxRegistrationList) throw bad("more than " + std::to_string(kMaxRegistrationList) + " entries");
  std::vector<std::string> out;
  for (const Json& e : a) {
    if (!e.is<std::string>() || e.get<std::string>().empty()) throw bad("expected an array of strings");
    if (e.get<std::string>().size() > kMaxRegistrationValue) {
      throw bad("an entry longer than " + std::to_string(kMaxRegistrationValue) + " characters");
    }
    out.push_back(e.get<std::string>());
  }
  return out;
}

std::string scheme_of(const std::string& uri) {
  size_t colon = uri.find(':');
  if (colon == std::string::npos || colon == 0) return "";
  for (size_t i = 0; i < colon; ++i) {
    char c = uri[i];
    bool ok = std::isalpha(static_cast<unsigned char>(c)) ||
              (i > 0 && (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'));
    if (!ok) return "";
  }
  std::string s = uri.substr(0, colon);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// host of an http(s) URL, lower-cased, without port and brackets.
std::string host_of(const std::string& uri) {
  size_t start = uri.find("://") + 3;
  size_t end = uri.find_first_of("/?#", start);
  std::string authority = uri.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!authority.empty() && authority[0] == '[') return authority.substr(1, authority.find(']') - 1);
  std::string host = authority.substr(0, authority.find(':'));
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

bool absolute_http(const std::string& uri) {
  std::string s = scheme_of(uri);
  return (s == "http" || s == "https") && uri.size() > s.size() + 3 && uri.compare(s.size(), 3, "://") == 0 &&
         !host_of(uri).empty();
}

// RFC 7591 §2, RFC 8252 §7, OAuth 2.0 Security BCP §4.1: where a code may go.
void check_redirect_uri(const std::string& uri, size_t i) {
  std::string where = "redirect_uris[" + std::to_string(i) + "]: ";
  if (uri.find('#') != std::string::npos) throw oauth::invalid_redirect_uri(where + uri + " has a fragment");
  std::string scheme = scheme_of(uri);
  if (scheme.empty()) throw oauth::invalid_redirect_uri(where + uri + " is not an absolute URI");
  if (scheme == "https") {
    if (!absolute_http(uri)) throw oauth::invalid_redirect_uri(where + uri + " has no host");
    return;
  }
  if (scheme == "http") {
    std::string host = absolute_http(uri) ? host_of(uri) : "";
    if (host == "127.0.0.1" || host == "::1" || host == "localhost") return; // RFC 8252 §7.3
    throw oauth::invalid_redirect_uri(where + uri + ": http is for loopback hosts only (127.0.0.1, [::1], "
                                                    "localhost; RFC 8252 section 7.3); use https");
  }
  if (scheme == "javascript" || scheme == "data" || scheme == "file" || scheme == "vbscript") {
    throw oauth::invalid_redirect_uri(where + uri + ": the " + scheme + " scheme cannot receive a code");
  }
  // RFC 8252 §7.1: a native app's private-use scheme (com.example.app:/callback).
}

const std::vector<std::string> kRegistrableGrants = {
    "authorization_code", "refresh_token", "client_credentials", "password",
    "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:token-exchange"};

// The client-authentication problem, in RFC 7591's member names.
std::string snake(std::string problem) {
  const std::pair<const char*, const char*> names[] = {
      {"tokenEndpointAuthMethod", "token_endpoint_auth_method"},
      {"tokenEndpointAuthSigningAlg", "token_endpoint_auth_signing_alg"},
      {"tlsClientAuthSubjectDn", "tls_client_auth_subject_dn"},
      {"tlsClientAuthSanDns", "tls_client_auth_san_dns"},
      {"tlsClientAuthSanUri", "tls_client_auth_san_uri"},
      {"tlsClientAuthSanIp", "tls_client_auth_san_ip"},
      {"tlsClientAuthSanEmail", "tls_client_auth_san_email"},
      {"jwksUri", "jwks_uri"},
      {"public: true", "token_endpoint_auth_method none"}};
  for (const auto& [from, to] : names) {
    for (size_t at; (at = problem.find(from)) != std::string::npos;) problem.replace(at, std::string(from).size(), to);
  }
  return problem;
}

} // namespace

bool gets_client_secret(const Client& c) {
  const auto& m = c.token_endpoint_auth_method;
  return !c.is_public && (!m || *m == "client_secret_basic" || *m == "client_secret_post" || *m == "client_secret_jwt");
}

Client client_from_metadata(const JsonObject& m, const std::string& client_id) {
  Client c;
  c.id = client_id;
  c.registered = true;
  c.require_openid = false;
  JsonObject accepted;
  auto keep_text = [&](const char* name) {
    auto v = text(m, name);
    if (v) accepted[name] = json_string(*v);
    return v;
  };
  auto keep_url = [&](const char* name) {
    auto v = keep_text(name);
    if (v && !absolute_http(*v)) throw oauth::invalid_client_metadata(std::string(name) + ": expected an absolute http or https URL");
    return v;
  };

  // grant_types and response_types (§2, §2.1).
  std::vector<std::string> grants = list(m, "grant_types").value_or(std::vector<std::string>{"authorization_code"});
  for (const auto& g : grants) {
    if (!contains(kRegistrableGrants, g)) {
      std::string known;
      for (const auto& k : kRegistrableGrants) known += (known.empty() ? "" : ", ") + k;
      throw oauth::invalid_client_metadata("grant_types: " + g + " is not supported (" + known + ")");
    }
  }
  bool code = contains(grants, "authorization_code");
  std::vector<std::string> responses =
      list(m, "response_types").value_or(code ? std::vector<std::string>{"code"} : std::vector<std::string>{});
  for (const auto& r : responses) {
    if (r != "code") throw oauth::invalid_client_metadata("response_types: " + r + " is not supported (code)");
  }
  if (contains(responses, "code") != code) {
    throw oauth::invalid_client_metadata(code ? "response_types: the authorization_code grant goes with response type code"
                                              : "grant_types: response type code needs the authorization_code grant");
  }
  c.grant_types = grants;
  accepted["grant_types"] = json_string_array(grants);
  accepted["response_types"] = json_string_array(responses);

  // redirect_uris: required for the code grant.
  auto redirects = list(m, "redirect_uris", true);
  if (code && (!redirects || redirects->empty())) {
    throw oauth::invalid_redirect_uri("redirect_uris: required with the authorization_code grant");
  }
  if (redirects) {
    for (size_t i = 0; i < redirects->size(); ++i) check_redirect_uri((*redirects)[i], i);
    c.redirect_uris = *redirects;
    accepted["redirect_uris"] = json_string_array(*redirects);
  }
  if (auto post = list(m, "post_logout_redirect_uris")) {
    for (const auto& u : *post) {
      if (!absolute_http(u) && scheme_of(u).empty()) {
        throw oauth::invalid_client_metadata("post_logout_redirect_uris: " + u + " is not an absolute URI");
      }
    }
    c.post_logout_redirect_uris = *post;
    accepted["post_logout_redirect_uris"] = json_string_array(*post);
  }

  // token_endpoint_auth_method (§2): client_secret_basic by default; none makes a public client.
  std::string method = keep_text("token_endpoint_auth_method").value_or("client_secret_basic");
  accepted["token_endpoint_auth_method"] = json_string(method);
  c.token_endpoint_auth_method = method;
  c.is_public = method == "none";
  c.token_endpoint_auth_signing_alg = keep_text("token_endpoint_auth_signing_alg");
  c.tls_client_auth_subject_dn = keep_text("tls_client_auth_subject_dn");
  c.tls_client_auth_san_dns = keep_text("tls_client_auth_san_dns");
  c.tls_client_auth_san_uri = keep_text("tls_client_auth_san_uri");
  c.tls_client_auth_san_ip = keep_text("tls_client_auth_san_ip");
  c.tls_client_auth_san_email = keep_text("tls_client_auth_san_email");
  if (const Json* jwks = find_member(m, "jwks"); jwks && !jwks->is<picojson::null>()) {
    c.jwks = *jwks;
    accepted["jwks"] = *jwks;
  }
  c.jwks_uri = keep_url("jwks_uri");
  if (c.jwks && c.jwks_uri) throw oauth::invalid_client_metadata("jwks: give jwks or jwks_uri, not both (RFC 7591 section 2)");
  for (const char* flag : {"tls_client_certificate_bound_access_tokens", "dpop_bound_access_tokens"}) {
    const Json* v = find_member(m, flag);
    if (v == nullptr || v->is<picojson::null>()) continue;
    if (!v->is<bool>()) throw oauth::invalid_client_metadata(std::string(flag) + ": expected true or false");
    accepted[flag] = *v;
    (std::string(flag) == "dpop_bound_access_tokens" ? c.dpop_bound_access_tokens
                                                      : c.tls_client_certificate_bound_access_tokens) = v->get<bool>();
  }
  if (auto problem = client_auth_fields_problem(c)) throw oauth::invalid_client_metadata(snake(*problem));
  if (c.is_public && contains(grants, "client_credentials")) {
    throw oauth::invalid_client_metadata("grant_types: client_credentials needs a confidential client (not "
                                         "token_endpoint_auth_method none)");
  }

  // What people see, and the scope ceiling (none given: any scope the environment allows).
  auto name = keep_text("client_name");
  c.name = name.value_or(client_id);
  for (const char* url : {"client_uri", "logo_uri", "tos_uri", "policy_uri"}) keep_url(url);
  for (const char* plain : {"software_id", "software_version"}) keep_text(plain);
  if (auto contacts = list(m, "contacts")) accepted["contacts"] = json_string_array(*contacts);
  // authemu's own: what its tokens without a user say about it (an FTL machine client's role and name).
  if (auto groups = list(m, "groups")) {
    c.groups = *groups;
    accepted["groups"] = json_string_array(*groups);
  }
  c.username = keep_text("username");
  if (const Json* claims = find_member(m, "claims"); claims && !claims->is<picojson::null>()) {
    if (!claims->is<JsonObject>()) throw oauth::invalid_client_metadata("claims: expected an object");
    c.claims = claims->get<JsonObject>();
    accepted["claims"] = *claims;
  }
  if (auto problem = client_claims_problem(c)) throw oauth::invalid_client_metadata(*problem);
  if (auto scope = keep_text("scope")) {
    c.scopes = parse_scope(*scope);
  } else {
    c.any_scope = true;
  }
  c.metadata_document = Json(accepted);
  return c;
}

JsonObject registration_answer(const Client& c, const std::optional<std::string>& clear_secret,
                               const std::string& access_token, const std::string& client_uri) {
  JsonObject o = c.metadata_document && c.metadata_document->is<JsonObject>() ? c.metadata_document->get<JsonObject>()
                                                                             : JsonObject{};
  o["client_id"] = json_string(c.id);
  o["client_id_issued_at"] = json_int(c.issued_at);
  if (clear_secret) {
    o["client_secret"] = json_string(*clear_secret);
    o["client_secret_expires_at"] = json_int(0); // §3.2.1: never
  }
  if (!access_token.empty()) o["registration_access_token"] = json_string(access_token);
  if (!client_uri.empty()) o["registration_client_uri"] = json_string(client_uri);
  return o;
}

} // namespace authemu
