#include "http/oauth_routes.h"

#include "base/origin.h"
#include "http/app.h"
#include "http/bearer.h"
#include "http/oauth_json.h"
#include "http/responses.h"
#include "oauth/discovery.h"
#include "oauth/form.h"

namespace authemu {

namespace {

// RFC 6749 §3.2 (and RFC 7662 §2.1, RFC 7009 §2.1): form parameters; the query counts too, as
// Formance reads the merged form and its docs' httpie example sends them there.
template <typename Handler> HttpResponse form_endpoint(const HttpRequest& req, Handler handler) {
  if (!req.body.empty() && !req.is_form_urlencoded()) {
    throw oauth::invalid_request("Content-Type must be application/x-www-form-urlencoded");
  }
  Params params = Params::merge(Params::parse(req.query, "query string"), Params::parse(req.body, "body"));
  return handler(params, req.header("Authorization"));
}

HttpResponse json_ok(std::string body) {
  HttpResponse res;
  res.json(200, std::move(body));
  return res;
}

} // namespace

HttpResponse token_route(RouteCall& c) {
  return form_endpoint(c.req, [&](const Params& p, const std::optional<std::string>& a) {
    return json_ok(token_response_json(c.env().tokens().token(p, a, c.target->issuer())));
  });
}

HttpResponse introspect_route(RouteCall& c) {
  return form_endpoint(c.req, [&](const Params& p, const std::optional<std::string>& a) {
    return json_ok(introspection_json(c.env().tokens().introspect(p, a, c.target->issuer())));
  });
}

HttpResponse revoke_route(RouteCall& c) {
  return form_endpoint(c.req, [&](const Params& p, const std::optional<std::string>& a) {
    c.env().tokens().revoke(p, a);
    HttpResponse res;
    res.empty(200); // RFC 7009 §2.2: 200, body ignored
    return res;
  });
}

HttpResponse userinfo_route(RouteCall& c) {
  const HttpRequest& req = c.req;
  HttpResponse res;
  BearerHeader b = bearer_of(req);
  // RFC 6750 §2.2: a POST may carry the token as the access_token form parameter instead.
  if (req.method == "POST" && !req.body.empty() && req.is_form_urlencoded()) {
    try {
      if (auto t = Params::parse(req.body, "body").get("access_token")) {
        if (b.present)
          return bearer_error(res, 400, "invalid_request", "token sent both in the header and in the body", "");
        b.present = true;
        b.token = *t;
      }
    } catch (const OAuthError& e) {
      return bearer_error(res, 400, "invalid_request", e.description(), "");
    }
  }
  if (!b.present) return bearer_error(res, 401, "", "a bearer token is required", "");
  if (b.malformed) return bearer_error(res, 400, "invalid_request", "malformed Authorization header", "");
  VerifyResult v = c.env().verifier().verify_access_token(b.token);
  if (!v.token) return bearer_error(res, 401, "invalid_token", v.error, "");
  try {
    res.json(200, userinfo_json(c.env().tokens().userinfo(*v.token)));
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

HttpResponse discovery_route(RouteCall& c) {
  Environment& env = c.env();
  // --browser-url: the issuer is the browsers' URL; servers call the endpoints at the Host they used.
  std::string back;
  if (c.app.settings().back_channel_by_host) {
    auto host = c.req.header("Host");
    auto proto = c.req.header("X-Forwarded-Proto").value_or("http");
    if (proto != "https") proto = "http";
    if (auto authority = host ? normalize_authority(*host, proto) : std::nullopt) {
      back = proto + "://" + *authority + c.target->prefix;
    }
  }
  return json_ok(discovery_json(c.target->issuer(), env.settings().tokens.role_claim, env.tokens().grant_types(),
                                env.keys().active().alg(), back));
}

} // namespace authemu
