#include "http/delegation.h"

#include <map>
#include <mutex>

#include "base/base64.h"
#include "base/log.h"
#include "jose/crypto.h"

namespace authemu {

namespace {

// The user data a delegated login needs from the upstream's UserInfo (OIDC Core §5.3).
struct Upstream {
  std::string sub, email, name, username;
};

struct Endpoints {
  std::string authorization, token, userinfo;
};

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what);
}

// A GET or POST to the upstream through the fetcher: the answer's body, or an error naming what
// (its discovery document, its token endpoint, …) did not answer with 200.
std::string fetch_ok(Fetcher& fetcher, const FetchRequest& request, const std::string& what) {
  FetchResponse res;
  try {
    res = fetcher.fetch(request);
  } catch (const FetchError& e) {
    fail(what + " did not answer: " + e.what());
  }
  if (res.status != 200) fail(what + " answered " + std::to_string(res.status));
  return res.body;
}

// The discovery document of an external issuer, fetched once per process.
Endpoints external_endpoints(Fetcher& fetcher, const std::string& issuer) {
  static std::mutex mutex;
  static std::map<std::string, Endpoints> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache.find(issuer); it != cache.end()) return it->second;
  }
  FetchRequest get;
  get.url = issuer + "/.well-known/openid-configuration";
  std::string body = fetch_ok(fetcher, get, "its discovery document");
  std::string error;
  auto doc = parse_json(body, &error);
  if (!doc || !doc->is<JsonObject>()) fail("its discovery document is not JSON");
  const JsonObject& d = doc->get<JsonObject>();
  Endpoints e{find_string(d, "authorization_endpoint").value_or(""), find_string(d, "token_endpoint").value_or(""),
              find_string(d, "userinfo_endpoint").value_or("")};
  if (e.authorization.empty() || e.token.empty() || e.userinfo.empty()) {
    fail("its discovery document lacks authorization, token or userinfo endpoints");
  }
  std::lock_guard<std::mutex> lock(mutex);
  cache[issuer] = e;
  return e;
}

Upstream from_userinfo(const JsonObject& o) {
  Upstream u;
  u.sub = find_string(o, "sub").value_or("");
  if (u.sub.empty()) fail("its UserInfo has no sub");
  u.email = find_string(o, "email").value_or("");
  u.name = find_string(o, "name").value_or("");
  u.username = find_string(o, "preferred_username").value_or("");
  return u;
}

JsonObject json_object(const std::string& body, const char* what) {
  std::string error;
  auto v = parse_json(body, &error);
  if (!v || !v->is<JsonObject>()) fail(std::string(what) + " is not a JSON object");
  return v->get<JsonObject>();
}

// RFC 6749 §4.1.3 at the upstream, then its UserInfo, in this process or over HTTP.
Upstream redeem_upstream(const Delegation& d, const std::string& code) {
  if (d.upstream != nullptr) {
    Params p;
    p.add("grant_type", "authorization_code");
    p.add("code", code);
    p.add("redirect_uri", d.callback);
    p.add("client_id", d.client_id);
    p.add("client_secret", d.client_secret);
    TokenResponse tokens =
        d.upstream->tokens().token(p, RequestClient(d.upstream->client_auth(), p, std::nullopt), d.issuer);
    VerifyResult v = d.upstream->verifier().verify_access_token(tokens.access_token);
    if (!v.token) fail("its access token did not verify: " + v.error);
    return from_userinfo(d.upstream->tokens().userinfo(*v.token));
  }
  Endpoints e = external_endpoints(*d.fetcher, d.issuer);
  FetchRequest token;
  token.method = "POST";
  token.url = e.token;
  token.headers = {{"Authorization", "Basic " + base64_encode(d.client_id + ":" + d.client_secret)},
                   {"Content-Type", "application/x-www-form-urlencoded"}};
  token.body = form_encode({{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", d.callback}});
  std::string tokens = fetch_ok(*d.fetcher, token, "its token endpoint");
  std::string access = find_string(json_object(tokens, "its token response"), "access_token").value_or("");
  FetchRequest info;
  info.url = e.userinfo;
  info.headers = {{"Authorization", "Bearer " + access}};
  return from_userinfo(json_object(fetch_ok(*d.fetcher, info, "its UserInfo endpoint"), "its UserInfo"));
}

} // namespace

HttpResponse start_delegation(BrowserContext& b, const AuthorizationRequest& r) {
  const Delegation& d = *b.delegation;
  std::string authorize;
  if (d.upstream != nullptr) {
    authorize = d.issuer + "/authorize";
  } else {
    try {
      authorize = external_endpoints(*d.fetcher, d.issuer).authorization;
    } catch (const std::exception& e) {
      std::string why = "The delegated issuer " + d.issuer + " cannot be used: " + e.what();
      log_line("warning: " + why); // the operator's side of the browser's 502 page
      return browser_error(b.req, 502, "temporarily_unavailable", why);
    }
  }
  HttpResponse res;
  std::string id = park_request(b, r, res, nullptr);
  std::vector<std::pair<std::string, std::string>> q{{"client_id", d.client_id},
                                                     {"redirect_uri", d.callback},
                                                     {"response_type", "code"},
                                                     {"scope", "openid email profile"},
                                                     {"state", id}};
  if (!r.login_hint.empty()) q.emplace_back("login_hint", r.login_hint);
  res.status = 302;
  res.set_header("Location", authorize + (authorize.find('?') == std::string::npos ? "?" : "&") + form_encode(q));
  res.set_header("Cache-Control", "no-store");
  return res;
}

HttpResponse delegation_callback(BrowserContext& b, const Params& params) {
  if (!b.delegation) return browser_error(b.req, 404, "invalid_request", "this environment does not delegate sign-in");
  HttpResponse refusal;
  std::string id = params.get("state").value_or("");
  auto pending = bound_request(b, id, &refusal);
  if (!pending) return refusal;
  int64_t now = b.env.clock().now();
  const AuthorizationRequest& r = pending->request;
  if (auto error = params.get("error")) {
    b.env.authorizations().take_pending(id, now);
    std::string what = "the delegated issuer answered " + *error;
    if (auto d = params.get("error_description")) what += ": " + *d;
    return respond(
        b, r,
        answer_with_error(r, *error == "login_required" ? oauth::login_required(what) : oauth::access_denied(what)));
  }
  auto code = params.get("code");
  if (!code) return browser_error(b.req, 400, "invalid_request", "code missing");
  std::string user_id;
  try {
    Upstream up = redeem_upstream(*b.delegation, *code);
    user_id = delegated_user(b.sign_in, b.delegation->issuer, up.sub, up.email, up.name, up.username);
  } catch (const OAuthError& e) { // the upstream refused what the browser brought (a forged or used code)
    return browser_error(b.req, 400, "invalid_request",
                         "The delegated issuer refused the sign-in: " + e.code() + ": " + e.description());
  } catch (const std::exception& e) {
    std::string why = "The delegated issuer " + b.delegation->issuer + " failed: " + e.what();
    log_line("warning: " + why);
    return browser_error(b.req, 502, "temporarily_unavailable", why);
  }
  if (!b.env.authorizations().take_pending(id, now)) {
    return browser_error(b.req, 400, "invalid_request", "This sign-in was already finished: start again");
  }
  return respond(b, r, complete_sign_in(b.sign_in, r, b.session_cookie(), user_id, {"fed"}));
}

} // namespace authemu
