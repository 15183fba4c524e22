#include "http/browser_routes.h"

#include "http/app.h"
#include "http/delegation.h"
#include "http/pages.h"
#include "http/request_auth.h"
#include "http/sign_in.h"
#include "oauth/client_auth.h"
#include "oauth/par.h"

namespace authemu {

namespace {

// GET: the query; POST: a form body (and the query), from the request's one parse. Bad encoding
// or a repeated parameter is thrown as OAuthError invalid_request (the query's first).
const Params& browser_params(const RouteCall& c) {
  const Params& query = c.parsed->query();
  if (c.req.method != "POST") return query;
  if (!c.req.body.empty() && !c.req.is_form_urlencoded()) {
    throw oauth::invalid_request("Content-Type must be application/x-www-form-urlencoded");
  }
  c.parsed->body();
  return c.parsed->merged();
}

ExtraRedirect extra_redirect(RouteCall& c) {
  return c.is_delegation_callback;
}

// How to add a redirect URI to c, by where c comes from; prefix: its environment's auth routes.
std::string how_to_add_redirect_uri(const Client& c, const std::string& prefix) {
  if (c.from_metadata_document)
    return "To add one, list it in redirect_uris of the client's metadata document, " + c.id + ".";
  if (c.registered) {
    return "To add one: PUT " + prefix + "/register/" + c.id +
           " with its registration access token and its metadata, redirect_uris including it (RFC 7592).";
  }
  if (!c.is_static) {
    return "To add one: PUT " + prefix + "/clients/" + c.id +
           " (the management API) with the client's fields, redirectUris including it.";
  }
  std::string fixture = " in your fixture (the --config file, or the body that made this environment at run time)";
  std::string own = "make a client of your own, in a file with extends: default or by POST " + prefix + "/clients.";
  return "To add one, list it under redirectUris of client " + c.id + fixture +
         " and restart. The embedded default fixture's clients cannot change: " + own;
}

// RFC 6749 §4.1.2.1: not redirected; the page lists the client's redirect URIs and how to add one.
HttpResponse redirect_uri_refusal(RouteCall& c, const RedirectUriError& e) {
  RedirectUriHelp help;
  help.client_id = e.client().id;
  for (const auto& uri : e.client().redirect_uris)
    help.registered.push_back({uri, matches_any_port(uri)});
  help.how_to_add = e.missing() ? "Send one of them as redirect_uri. " : "";
  help.how_to_add += how_to_add_redirect_uri(e.client(), c.target->prefix);
  return browser_error(c.req, e.status(), e.code(), e.description(), redirect_uri_help_html(help));
}

} // namespace

BrowserContext context(RouteCall& c) {
  Environment& env = c.env();
  bool secure = c.issuer().rfind("https://", 0) == 0;
  auto delegation = c.delegation ? std::optional<Delegation>(*c.delegation) : std::nullopt;
  return BrowserContext{c.req, env, c.logins, secure, delegation, env.sign_in()};
}

HttpResponse authorize_callback_route(RouteCall& c) {
  BrowserContext b = context(c);
  return delegation_callback(b, browser_params(c)); // an OAuthError: the area's error page
}

// Errors that may not be redirected are OAuthErrors, shown by the area's error page.
HttpResponse authorize_route(RouteCall& c) {
  BrowserContext b = context(c);
  const Params& params = browser_params(c);
  const GrantContext& grants = b.env.tokens().context();
  AuthorizationRequest r;
  try {
    r = params.has("request_uri") ? redeem_request_uri(grants, params)
                                  : parse_authorization_request(b.env.tokens().context().authorize_rules, params, b.env.clients(),
                                                                c.issuer(), extra_redirect(c));
  } catch (const AuthorizeRedirectError& e) {
    return send_answer(e.where(), error_answer(e.where(), e));
  } catch (const RedirectUriError& e) {
    return redirect_uri_refusal(c, e);
  }
  return authorize_request(b, r);
}

HttpResponse login_route(RouteCall& c) {
  BrowserContext b = context(c);
  if (!c.req.is_form_urlencoded()) {
    return browser_error(c.req, 415, "invalid_request", "the login form posts application/x-www-form-urlencoded");
  }
  return login_submit(b, c.parsed->body());
}

HttpResponse end_session_route(RouteCall& c) {
  BrowserContext b = context(c);
  return end_session_answer(b, browser_params(c)); // an OAuthError: the area's error page
}

HttpResponse par_route(RouteCall& c) {
  Params params = *c.form;
  Environment& env = c.env();
  // RFC 9126 §2.1: the client authenticates as at the token endpoint (the row's form body and client).
  const Client& client = *c.client->get().client;
  // RFC 9449 §10.1: a DPoP proof on the pushed request binds the code to its key.
  std::string jkt;
  DpopCheck dpop = dpop_check(c.req, {c.target->url, c.issuer() + "/par"});
  if (!dpop.proofs.empty()) {
    dpop.nonce_required = client.dpop_nonce.value_or(env.settings().dpop_nonce);
    jkt = env.dpop().check(dpop).jkt;
  }
  PushedRequest pushed =
      push_authorization_request(env.tokens().context(), std::move(params), client, c.issuer(), extra_redirect(c), jkt);
  JsonObject o;
  o["request_uri"] = json_string(pushed.request_uri);
  o["expires_in"] = json_int(pushed.expires_in);
  HttpResponse res;
  res.json(201, dump_json(Json(o)));
  return res;
}

} // namespace authemu
