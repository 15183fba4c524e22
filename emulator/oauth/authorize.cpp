#include "oauth/authorize.h"

#include <algorithm>
#include <cctype>

#include "base/number.h"
#include "base/origin.h"
#include "oauth/grant_registry.h"
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

bool redirect_uri_matches(const std::string& registered, const std::string& given) {
  if (registered == given) return true;
  std::string a, b;
  return is_loopback_http(registered, &a) && is_loopback_http(given, &b) && a == b;
}

ClientRedirect check_client_redirect(const ClientStore& clients, const std::optional<std::string>& client_id,
                                     const std::optional<std::string>& redirect_uri, const ExtraRedirect& extra) {
  if (!client_id) throw AuthorizePageError("client_id missing");
  if (client_id->size() > kMaxAuthorizeValue) throw AuthorizePageError("client_id too long");
  ClientRedirect out;
  out.client = clients.find(*client_id);
  if (out.client == nullptr) throw AuthorizePageError("unknown client " + *client_id);
  const auto& uris = out.client->redirect_uris;
  if (!redirect_uri) {
    // RFC 6749 §3.1.2.3: it may be left out when exactly one is registered.
    if (uris.size() != 1) {
      throw AuthorizePageError(uris.empty()
                                   ? "client " + *client_id + " has no redirectUris"
                                   : "redirect_uri missing (client " + *client_id + " has several redirectUris)");
    }
    out.redirect_uri = uris.front();
    return out;
  }
  if (redirect_uri->size() > kMaxAuthorizeValue) throw AuthorizePageError("redirect_uri too long");
  bool ok = std::any_of(uris.begin(), uris.end(),
                        [&](const std::string& r) { return redirect_uri_matches(r, *redirect_uri); }) ||
            (extra && extra(*out.client, *redirect_uri));
  if (!ok) throw AuthorizePageError("redirect_uri " + *redirect_uri + " is not registered for client " + *client_id);
  out.redirect_uri = *redirect_uri;
  out.sent = true;
  return out;
}

AuthorizationRequest parse_authorization_request(const Params& params, const ClientStore& clients,
                                                 const std::string& issuer, const ExtraRedirect& extra) {
  // A repeated client_id or redirect_uri is an error no redirect may carry.
  ClientRedirect cr;
  try {
    cr = check_client_redirect(clients, params.get("client_id"), params.get("redirect_uri"), extra);
  } catch (const OAuthError& e) {
    throw AuthorizePageError(e.description());
  }
  const Client& client = *cr.client;
  AuthorizationRequest r;
  r.client_id = client.id;
  r.redirect_uri = cr.redirect_uri;
  r.redirect_uri_sent = cr.sent;
  r.issuer = issuer;
  auto fail = [&](const OAuthError& e) { throw AuthorizeRedirectError(e, r); };
  auto get = [&](const char* name) -> std::optional<std::string> {
    try {
      auto v = params.get(name);
      if (v && v->size() > kMaxAuthorizeValue) {
        fail(oauth::invalid_request(std::string(name) + " longer than " + std::to_string(kMaxAuthorizeValue)));
      }
      return v;
    } catch (const AuthorizeRedirectError&) {
      throw;
    } catch (const OAuthError& e) {
      fail(e);
    }
    return std::nullopt;
  };

  // state and response_mode first: every later error carries them.
  try {
    r.state = params.get("state");
  } catch (const OAuthError& e) {
    fail(e);
  }
  if (auto mode = get("response_mode")) {
    if (*mode != "query" && *mode != "fragment" && *mode != "form_post") {
      fail(oauth::invalid_request("response_mode must be query, fragment or form_post"));
    }
    r.response_mode = *mode;
  }
  if (get("request")) fail(oauth::request_not_supported("request objects are not supported"));
  auto type = get("response_type");
  if (!type) fail(oauth::invalid_request("response_type missing"));
  if (*type != "code") {
    fail(oauth::unsupported_response_type("response_type must be code (" + *type + " is not supported)"));
  }
  if (!client_allows_grant(client, "authorization_code")) {
    fail(oauth::unauthorized_client("client " + client.id + " may not use the authorization_code grant"));
  }

  // OIDC Core §3.1.2.1: openid is required (Formance refuses requests without it).
  std::vector<std::string> scopes;
  try {
    scopes = parse_scope(get("scope").value_or(""));
  } catch (const AuthorizeRedirectError&) {
    throw;
  } catch (const OAuthError& e) {
    fail(e);
  }
  if (std::find(scopes.begin(), scopes.end(), "openid") == scopes.end()) {
    fail(oauth::invalid_scope("scope must contain openid"));
  }
  std::vector<std::string> allowed = kOidcScopes;
  allowed.insert(allowed.end(), client.scopes.begin(), client.scopes.end());
  r.scope = join_scope(intersect_scope(scopes, allowed));

  r.nonce = get("nonce");
  if (auto prompt = get("prompt")) {
    for (const auto& p : parse_scope(*prompt)) {
      // fctl's no-org and values of later specs (create) are accepted and ignored (OIDC Core
      // §3.1.2.1 lets an OP ignore values it does not know).
      if (std::find(kPromptValues.begin(), kPromptValues.end(), p) != kPromptValues.end()) r.prompt.push_back(p);
    }
    if (has_prompt(r, "none") && r.prompt.size() > 1) {
      fail(oauth::invalid_request("prompt=none cannot be combined with other prompt values"));
    }
  }
  if (auto max_age = get("max_age")) {
    auto n = parse_int64(*max_age);
    if (!n || *n < 0) fail(oauth::invalid_request("max_age must be a non-negative integer"));
    r.max_age = *n;
  }
  r.login_hint = get("login_hint").value_or("");
  get("id_token_hint"); // accepted; the session decides who is signed in
  get("ui_locales");
  get("acr_values");
  get("display");

  // RFC 7636 §4.3, §4.4.1; RFC 9700 §2.1.1: public clients must use PKCE.
  auto challenge = get("code_challenge");
  auto method = get("code_challenge_method");
  if (challenge) {
    if (!valid_challenge(*challenge)) {
      fail(oauth::invalid_request("code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~"));
    }
    std::string m = method.value_or("plain");
    if (m != "S256" && m != "plain") fail(oauth::invalid_request("code_challenge_method must be S256 or plain"));
    r.code_challenge = *challenge;
    r.code_challenge_method = m;
  } else if (method) {
    fail(oauth::invalid_request("code_challenge_method without code_challenge"));
  } else if (client.is_public) {
    fail(oauth::invalid_request("code_challenge required: client " + client.id + " is public (PKCE, RFC 7636)"));
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
