#include "base/base64.h"
#include "oauth/authorize.h"

#include <algorithm>
#include <cctype>

#include "base/number.h"
#include "base/origin.h"
#include "oauth/grant_registry.h"
#include "oauth/resource.h"
#include "oauth/scope.h"

namespace authemu {

namespace {

// Scopes any client may ask for at the authorization endpoint (OIDC Core §5.4, §11).
const std::vector<std::string> kOidcScopes = {"openid", "profile", "email", "address", "phone", "offline_access"};
const std::vector<std::string> kPromptValues = {"none", "login", "consent", "select_account"};

bool is_loopback_http(const std::string& uri, std::string* without_port) {
  for (const char* host : {"http://127.0.0.1", "http://[::1]"}) {
    std::string h = host;
    if (uri.compare(0, h.size(), h) != 0) continue;
    size_t i = h.size();
    if (i < uri.size() && uri[i] != ':' && uri[i] != '/' && uri[i] != '?') return false; // 127.0.0.10…
    if (i < uri.size() && uri[i] == ':') {
      size_t j = i + 1;
      while (j < uri.size() && std::isdigit(static_cast<unsigned char>(uri[j])))
        ++j;
      if (j == i + 1 || j - i > 6) return false;
      *without_port = h + uri.substr(j);
      return true;
    }
    *without_port = uri;
    return true;
  }
  return false;
}

// RFC 7636 §4.2: code_challenge is 43 to 128 characters of the verifier alphabet.
bool valid_challenge(const std::string& c) {
  if (c.size() < 43 || c.size() > 128) return false;
  return std::all_of(c.begin(), c.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '.' || ch == '_' || ch == '~';
  });
}

} // namespace

bool matches_any_port(const std::string& registered) {
  std::string without_port;
  return is_loopback_http(registered, &without_port);
}

bool redirect_uri_matches(const std::string& registered, const std::string& given) {
  if (registered == given) return true;
  std::string a, b;
  return is_loopback_http(registered, &a) && is_loopback_http(given, &b) && a == b;
}

ClientRedirect check_client_redirect(const ClientStore& clients, const std::optional<std::string>& client_id,
                                     const std::optional<std::string>& redirect_uri, const ExtraRedirect& extra) {
  if (!client_id) throw oauth::invalid_request("client_id missing");
  if (client_id->size() > kMaxAuthorizeValue) throw oauth::invalid_request("client_id too long");
  ClientRedirect out;
  out.client = clients.find(*client_id);
  if (out.client == nullptr) throw oauth::invalid_request("unknown client " + *client_id);
  const auto& uris = out.client->redirect_uris;
  if (!redirect_uri) {
    // RFC 6749 §3.1.2.3: it may be left out when exactly one is registered.
    if (uris.size() != 1) {
      throw RedirectUriError(oauth::invalid_request(uris.empty() ? "client " + *client_id + " has no redirectUris"
                                                                 : "redirect_uri missing (client " + *client_id +
                                                                       " has several redirectUris)"),
                             out.client, !uris.empty());
    }
    out.redirect_uri = uris.front();
    return out;
  }
  if (redirect_uri->size() > kMaxAuthorizeValue) throw oauth::invalid_request("redirect_uri too long");
  bool ok = std::any_of(uris.begin(), uris.end(),
                        [&](const std::string& r) { return redirect_uri_matches(r, *redirect_uri); }) ||
            (extra && extra(*out.client, *redirect_uri));
  if (!ok) {
    throw RedirectUriError(
        oauth::invalid_request("redirect_uri " + *redirect_uri + " is not registered for client " + *client_id),
        out.client);
  }
  out.redirect_uri = *redirect_uri;
  out.sent = true;
  return out;
}

namespace {

// A parameter at most kMaxAuthorizeValue long; a repeated one is invalid_request (form.h).
std::optional<std::string> bounded(const Params& params, const char* name) {
  auto v = params.get(name);
  if (v && v->size() > kMaxAuthorizeValue) {
    throw oauth::invalid_request(std::string(name) + " longer than " + std::to_string(kMaxAuthorizeValue));
  }
  return v;
}

// response_type, and the scope the client gets: openid is required (OIDC Core §3.1.2.1; Formance
// refuses requests without it); scopes outside OpenID Connect's are kept when the client lists them.
void read_type_and_scope(const AuthorizeRules& rules, const Params& params, const Client& client,
                         AuthorizationRequest& r) {
  if (bounded(params, "request")) throw oauth::request_not_supported("request objects are not supported");
  auto type = bounded(params, "response_type");
  if (!type) throw oauth::invalid_request("response_type missing");
  if (*type != "code") {
    throw oauth::unsupported_response_type("response_type must be code (" + *type + " is not supported)");
  }
  if (!client_allows_grant(client, "authorization_code")) {
    throw oauth::unauthorized_client("client " + client.id + " may not use the authorization_code grant");
  }
  std::vector<std::string> scopes = parse_scope(bounded(params, "scope").value_or(""));
  // Formance requires openid; a registered client (RFC 7591, a metadata document) is a plain OAuth
  // 2.0 client that may leave it out and gets no ID token (RFC 6749 §4.1).
  bool openid_required = client.require_openid.value_or(!client.registered && rules.require_openid);
  if (openid_required && std::find(scopes.begin(), scopes.end(), "openid") == scopes.end()) {
    throw oauth::invalid_scope("scope must contain openid");
  }
  std::vector<std::string> allowed = kOidcScopes;
  allowed.insert(allowed.end(), client.scopes.begin(), client.scopes.end());
  r.scope = join_scope(client.any_scope ? scopes : intersect_scope(scopes, allowed));
  r.resources = read_resources(params, client); // RFC 8707 §2
}

// OIDC Core §3.1.2.1: nonce, prompt, max_age, login_hint, and the parameters accepted and ignored.
void read_sign_in_options(const Params& params, AuthorizationRequest& r) {
  r.nonce = bounded(params, "nonce");
  if (auto prompt = bounded(params, "prompt")) {
    for (const auto& p : parse_scope(*prompt)) {
      // fctl's no-org and values of later specs (create) are accepted and ignored (OIDC Core
      // §3.1.2.1 lets an OP ignore values it does not know).
      if (std::find(kPromptValues.begin(), kPromptValues.end(), p) != kPromptValues.end()) r.prompt.push_back(p);
    }
    if (has_prompt(r, "none") && r.prompt.size() > 1) {
      throw oauth::invalid_request("prompt=none cannot be combined with other prompt values");
    }
  }
  if (auto max_age = bounded(params, "max_age")) {
    auto n = parse_int64(*max_age);
    if (!n || *n < 0) throw oauth::invalid_request("max_age must be a non-negative integer");
    r.max_age = *n;
  }
  r.login_hint = bounded(params, "login_hint").value_or("");
  // RFC 9449 §10: the code is bound to this DPoP key (a JWK thumbprint, RFC 7638: base64url of 32 bytes).
  if (auto jkt = bounded(params, "dpop_jkt")) {
    auto raw = base64url_decode(*jkt);
    if (!raw || raw->size() != 32) throw oauth::invalid_request("dpop_jkt must be a base64url SHA-256 JWK thumbprint (RFC 7638)");
    r.dpop_jkt = *jkt;
  }
  for (const char* ignored : {"id_token_hint", "ui_locales", "acr_values", "display"})
    bounded(params, ignored); // the session decides who is signed in
}

// RFC 7636 §4.3, §4.4.1; RFC 9700 §2.1.1: public clients must use PKCE.
void read_pkce(const AuthorizeRules& rules, const Params& params, const Client& client, AuthorizationRequest& r) {
  auto challenge = bounded(params, "code_challenge");
  auto method = bounded(params, "code_challenge_method");
  if (challenge) {
    if (!valid_challenge(*challenge)) {
      throw oauth::invalid_request("code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~");
    }
    std::string m = method.value_or("plain");
    if (m != "S256" && m != "plain") throw oauth::invalid_request("code_challenge_method must be S256 or plain");
    r.code_challenge = *challenge;
    r.code_challenge_method = m;
  } else if (method) {
    throw oauth::invalid_request("code_challenge_method without code_challenge");
  } else if (client.is_public) {
    throw oauth::invalid_request("code_challenge required: client " + client.id + " is public (PKCE, RFC 7636)");
  } else if (rules.require_pkce) {
    throw oauth::invalid_request("code_challenge required: this environment requires PKCE of every client (requirePkce)");
  }
}

} // namespace

AuthorizationRequest parse_authorization_request(const AuthorizeRules& rules, const Params& params,
                                                 const ClientStore& clients, const std::string& issuer,
                                                 const ExtraRedirect& extra) {
  // A repeated client_id or redirect_uri is an error no redirect may carry.
  ClientRedirect cr = check_client_redirect(clients, params.get("client_id"), params.get("redirect_uri"), extra);
  const Client& client = *cr.client;
  AuthorizationRequest r;
  r.client_id = client.id;
  r.redirect_uri = cr.redirect_uri;
  r.redirect_uri_sent = cr.sent;
  r.issuer = issuer;
  // From here every error is redirected, carrying what r holds when it is thrown: state and
  // response_mode are read first.
  try {
    r.state = params.get("state");
    if (auto mode = bounded(params, "response_mode")) {
      if (*mode != "query" && *mode != "fragment" && *mode != "form_post") {
        throw oauth::invalid_request("response_mode must be query, fragment or form_post");
      }
      r.response_mode = *mode;
    }
    read_type_and_scope(rules, params, client, r);
    read_sign_in_options(params, r);
    read_pkce(rules, params, client, r);
  } catch (const OAuthError& e) {
    throw AuthorizeRedirectError(e, r);
  }
  return r;
}

bool has_prompt(const AuthorizationRequest& r, const char* value) {
  return std::find(r.prompt.begin(), r.prompt.end(), value) != r.prompt.end();
}

namespace {
void add_state_iss(const AuthorizationRequest& r, AnswerParams& p) {
  if (r.state) p.emplace_back("state", *r.state);
  p.emplace_back("iss", r.issuer); // RFC 9207 §2
}
} // namespace

AnswerParams code_answer(const AuthorizationRequest& r, const std::string& code) {
  AnswerParams p{{"code", code}};
  add_state_iss(r, p);
  return p;
}

AnswerParams error_answer(const AuthorizationRequest& r, const OAuthError& e) {
  AnswerParams p{{"error", e.code()}, {"error_description", e.description()}};
  add_state_iss(r, p);
  return p;
}

std::string answer_location(const AuthorizationRequest& r, const AnswerParams& params) {
  std::string encoded = form_encode(params);
  if (r.response_mode == "fragment") {
    std::string base = r.redirect_uri.substr(0, r.redirect_uri.find('#'));
    return base + "#" + encoded;
  }
  std::string base = r.redirect_uri.substr(0, r.redirect_uri.find('#'));
  char sep = base.find('?') == std::string::npos ? '?' : (base.back() == '?' || base.back() == '&' ? '\0' : '&');
  return sep == '\0' ? base + encoded : base + sep + encoded;
}

} // namespace authemu
