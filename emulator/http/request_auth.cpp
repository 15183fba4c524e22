#include "http/request_auth.h"

#include <stdexcept>

#include "http/bearer.h"
#include "http/protected_api.h"
#include "http/responses.h"
#include "oauth/bearer_auth.h"
#include "oauth/oauth_error.h"

namespace authemu {

namespace {

// Why a token's aud is another resource's, nothing when it may be this one's: audiences that are
// not URLs pass (client ids, ftl), as do this resource's URL and this server's issuers (Formance's
// platform tokens name the environments' issuers).
std::optional<std::string> foreign_audience(const VerifiedToken& t, const std::string& resource, const Environment& env) {
  size_t scheme = resource.find("://");
  std::string origin = resource.substr(0, resource.find('/', scheme + 3));
  bool any_url = false;
  for (const std::string& aud : t.aud) {
    if (aud.find("://") == std::string::npos) return std::nullopt;
    any_url = true;
    std::string a = aud;
    while (a.size() > 1 && a.back() == '/') a.pop_back();
    if (a == resource || env.trusts(a)) return std::nullopt;
    // Another issuer of this server (an environment's /api/auth, the platform), not a resource of it.
    if (a.compare(0, origin.size(), origin) == 0 && (a.size() == origin.size() || a[origin.size()] == '/') &&
        a.compare(origin.size(), 5, "/api/") != 0) {
      return std::nullopt;
    }
    if (a == origin + "/api/auth") return std::nullopt;
  }
  if (!any_url) return std::nullopt;
  std::string list;
  for (const auto& a : t.aud) list += (list.empty() ? "" : ", ") + a;
  return "the token is for another resource (aud " + list + "), not " + resource + " (RFC 8707)";
}

} // namespace

std::optional<HttpResponse> RequestAuth::verify(const Route& row, RouteCall& call) {
  const Needs& needs = row.needs;
  if (needs.form != Needs::Form::none) {
    if (!req_.body.empty() && !req_.is_form_urlencoded()) {
      throw oauth::invalid_request("Content-Type must be application/x-www-form-urlencoded");
    }
    call.form = needs.form == Needs::Form::body ? &form_.body() : &form_.merged();
  }
  if (needs.client != Needs::Client::none) {
    if (call.form == nullptr) throw std::logic_error(std::string("route ") + row.pattern + ": a client needs a form");
    // RFC 7523 §3, OIDC Core §9, RFC 9126 §2: a client assertion's aud is the issuer, the token
    // endpoint, or the endpoint called.
    std::vector<std::string> audiences = {call.issuer(), call.issuer() + "/oauth/token", call.target->url};
    client_.emplace(call.env().client_auth(), *call.form, req_.header("Authorization"), req_.client_certificate,
                    std::move(audiences));
    if (needs.client == Needs::Client::before) client_->get();
    call.client = &*client_;
  }
  // A CORS preflight carries no credentials (the stand-in answers it).
  if (needs.bearer != Needs::Bearer::none && req_.method != "OPTIONS") return verify_bearer(needs.bearer, call);
  return std::nullopt;
}

std::optional<HttpResponse> RequestAuth::verify_bearer(Needs::Bearer area, RouteCall& call) {
  using B = Needs::Bearer;
  Environment& env = call.env();
  std::string scope_service; // Formance's scope rule, with --auth-check-scopes
  if (env.settings().check_scopes && area == B::management) scope_service = "auth";
  if (env.settings().check_scopes && area == B::service) scope_service = call.params.at(0);
  BearerRequest request{req_, form_, area == B::userinfo};
  request.dpop = &env.dpop();
  request.urls = {call.target->url};
  request.dpop_nonce = env.settings().dpop_nonce;
  BearerResult r = authenticate_bearer(env.verifier(), request, scope_service);
  if (r.token && area == B::service) {
    // A token made for another resource (RFC 8707 aud) is not this one's.
    if (auto why = foreign_audience(*r.token, service_resource(*call.target), env)) {
      r.failure = BearerFailure{BearerFailure::Reason::invalid_token, *why, ""};
      r.token.reset();
    }
  }
  if (r.token) {
    token_ = std::move(r.token);
    call.token = &*token_;
    return std::nullopt;
  }
  if (area == B::management) return bearer_refusal(BearerShape::formance, r.failure);
  HttpResponse res;
  if (area == B::service) {
    cors(req_, res, call.cors_credentials); // before the error's headers
    return bearer_refusal(BearerShape::rfc6750, r.failure, std::move(res), service_resource_metadata_url(*call.target));
  }
  return bearer_refusal(BearerShape::rfc6750, r.failure, std::move(res));
}

} // namespace authemu
