#include "http/browser_routes.h"

#include "http/app.h"
#include "http/delegation.h"
#include "http/pages.h"
#include "http/sign_in.h"
#include "oauth/client_auth.h"

namespace authemu {

namespace {

constexpr char kRequestUriPrefix[] = "urn:ietf:params:oauth:request_uri:";
constexpr int64_t kPushedLifetime = 60;

// GET: the query; POST: a form body (and the query). Bad encoding or a repeated parameter is
// thrown as OAuthError invalid_request.
Params browser_params(const HttpRequest& req) {
  Params query = Params::parse(req.query, "query string");
  if (req.method != "POST") return query;
  if (!req.body.empty() && !req.is_form_urlencoded()) {
    throw oauth::invalid_request("Content-Type must be application/x-www-form-urlencoded");
  }
  return Params::merge(std::move(query), Params::parse(req.body, "body"));
}

ExtraRedirect extra_redirect(RouteCall& c) {
  return c.is_delegation_callback;
}

} // namespace

BrowserContext context(RouteCall& c) {
  Environment& env = c.env();
  std::string label = env.name().empty() ? "default" : env.name();
  bool secure = c.target->issuer().rfind("https://", 0) == 0;
  auto delegation = c.delegation ? std::optional<Delegation>(*c.delegation) : std::nullopt;
  return BrowserContext{c.req, env, c.logins, label, secure, delegation};
}

HttpResponse authorize_callback_route(RouteCall& c) {
  BrowserContext b = context(c);
  return delegation_callback(b, browser_params(c.req)); // an OAuthError: the area's error page
}

HttpResponse authorize_route(RouteCall& c) {
  BrowserContext b = context(c);
  Params params = browser_params(c.req);
  std::string issuer = c.target->issuer();
  AuthorizationRequest r;
  try {
    if (auto uri = params.get("request_uri")) {
      // RFC 9126 §4: only the pushed parameters count; client_id must repeat the pusher's.
      auto client_id = params.get("client_id");
      if (!client_id) return browser_error(c.req, 400, "invalid_request", "client_id missing");
      std::string prefix = kRequestUriPrefix;
      auto pushed =
          uri->compare(0, prefix.size(), prefix) == 0
              ? b.env.authorizations().take_pushed(uri->substr(prefix.size()), *client_id, b.env.clock().now())
              : std::nullopt;
      if (!pushed) {
        return browser_error(c.req, 400, "invalid_request_uri",
                             "request_uri unknown, expired, used or another client's");
      }
      r = *pushed;
    } else {
      r = parse_authorization_request(params, b.env.clients(), issuer, extra_redirect(c));
    }
  } catch (const AuthorizePageError& e) {
    return browser_error(c.req, 400, "invalid_request", e.what());
  } catch (const AuthorizeRedirectError& e) {
    return send_answer(e.where(), error_answer(e.where(), e));
  } catch (const OAuthError& e) {
    return browser_error(c.req, 400, e.code(), e.description());
  }
  return authorize_request(b, r);
}

HttpResponse login_route(RouteCall& c) {
  BrowserContext b = context(c);
  if (!c.req.is_form_urlencoded()) {
    return browser_error(c.req, 415, "invalid_request", "the login form posts application/x-www-form-urlencoded");
  }
  return login_submit(b, Params::parse(c.req.body, "body"));
}

HttpResponse end_session_route(RouteCall& c) {
  BrowserContext b = context(c);
  return end_session(b, browser_params(c.req)); // an OAuthError: the area's error page
}

HttpResponse par_route(RouteCall& c) {
  Params params = *c.form;
  Environment& env = c.env();
  // RFC 9126 §2.1: the client authenticates as at the token endpoint (the row's form body and client).
  const AuthenticatedClient& auth = c.client->get();
  if (params.has("request_uri")) throw oauth::invalid_request("request_uri is not allowed in a pushed request");
  if (auto id = params.get("client_id"); !id) {
    params.add("client_id", auth.client->id);
  } else if (*id != auth.client->id) {
    throw oauth::invalid_request("client_id is not the authenticated client");
  }
  AuthorizationRequest r;
  try {
    r = parse_authorization_request(params, env.clients(), c.target->issuer(), extra_redirect(c));
  } catch (const AuthorizePageError& e) {
    throw oauth::invalid_request(e.what());
  } catch (const AuthorizeRedirectError& e) {
    throw static_cast<const OAuthError&>(e);
  }
  int64_t now = env.clock().now();
  std::string id = env.authorizations().push(r, now + kPushedLifetime, now);
  JsonObject o;
  o["request_uri"] = json_string(kRequestUriPrefix + id);
  o["expires_in"] = json_int(kPushedLifetime);
  HttpResponse res;
  res.json(201, dump_json(Json(o)));
  return res;
}

} // namespace authemu
