#include "http/oauth_routes.h"

#include "base/origin.h"
#include "http/app.h"
#include "http/bearer.h"
#include "http/oauth_json.h"
#include "http/request_auth.h"
#include "http/responses.h"
#include "jose/public_key_pem.h"
#include "oauth/discovery.h"

namespace authemu {

namespace {

HttpResponse json_ok(std::string body) {
  HttpResponse res;
  res.json(200, std::move(body));
  return res;
}

} // namespace

// The form (RFC 6749 §3.2, RFC 7662 §2.1, RFC 7009 §2.1: the query counts too, as Formance reads
// the merged form and its docs' httpie example sends them there) and the client are the row's.

HttpResponse token_route(RouteCall& c) {
  // RFC 9449 §4.3 item 9: htu is this URL, or discovery's token_endpoint.
  DpopCheck dpop = dpop_check(c.req, {c.target->url, c.issuer() + "/oauth/token"});
  return json_ok(token_response_json(c.env().tokens().token(*c.form, *c.client, c.issuer(), &dpop)));
}

HttpResponse introspect_route(RouteCall& c) {
  return json_ok(introspection_json(c.env().tokens().introspect(*c.form, c.client->get(), c.issuer())));
}

HttpResponse revoke_route(RouteCall& c) {
  c.env().tokens().revoke(*c.form, c.client->get());
  HttpResponse res;
  res.empty(200); // RFC 7009 §2.2: 200, body ignored
  return res;
}

// The bearer token (header, or RFC 6750 §2.2 form body) is the row's.
HttpResponse userinfo_route(RouteCall& c) {
  HttpResponse res;
  try {
    res.json(200, userinfo_json(c.env().tokens().userinfo(*c.token)));
  } catch (const OAuthError& e) {
    return bearer_error(res, e.status(), e.code(), e.description(),
                        e.code() == "insufficient_scope" ? ", scope=\"openid\"" : "");
  }
  return res;
}

HttpResponse jwks_route(RouteCall& c) {
  HttpResponse res = json_ok(c.env().keys().jwks_json());
  // FTL/EMS and jose refresh JWKS by Cache-Control max-age.
  res.set_header("Cache-Control", "public, max-age=300");
  return res;
}

HttpResponse keys_pem_route(RouteCall& c) {
  HttpResponse res;
  res.status = 200;
  res.body = jwks_pem(c.env().keys().jwks_json()); // the JWKS's keys, as EMS and others read them
  res.set_header("Content-Type", "application/x-pem-file");
  res.set_header("Cache-Control", "public, max-age=300");
  return res;
}

HttpResponse discovery_route(RouteCall& c) {
  Environment& env = c.env();
  // --browser-url: the issuer is the browsers' URL; servers call the endpoints at the Host they used.
  std::string back;
  if (c.settings.back_channel_by_host) {
    auto host = c.req.header("Host");
    // The scheme the caller used: a proxy's X-Forwarded-Proto, else the connection's own.
    std::string proto = c.req.header("X-Forwarded-Proto").value_or(c.req.tls ? "https" : "http");
    if (proto != "https") proto = "http";
    if (auto authority = host ? normalize_authority(*host, proto) : std::nullopt) {
      back = proto + "://" + *authority + c.target->prefix;
    }
  }
  DiscoveryFacts f;
  f.issuer = c.issuer();
  f.role_claim = env.settings().tokens.role_claim;
  f.grant_types = env.tokens().grant_types();
  f.signing_alg = env.keys().active().alg();
  f.back_channel = back;
  f.mtls = c.settings.tls_client_certs;
  f.registration = env.settings().registration != "off";
  f.metadata_documents = true;
  return json_ok(discovery_json(f));
}

} // namespace authemu
