#include "http/bearer.h"

#include "base/json.h"
#include "http/responses.h"
#include "jose/jwk.h"

namespace authemu {

std::string bearer_challenge(const std::string& code, const std::string& description, const std::string& extra) {
  std::string h = std::string("Bearer realm=") + quoted(kRealm);
  if (!code.empty()) h += ", error=" + quoted(code);
  if (!code.empty() && !description.empty()) h += ", error_description=" + quoted(description);
  return h + extra;
}

HttpResponse& bearer_error(HttpResponse& res, int status, const std::string& code, const std::string& description,
                           const std::string& extra) {
  JsonObject o;
  if (!code.empty()) o["error"] = json_string(code);
  o["error_description"] = json_string(description);
  res.json(status, dump_json(Json(o)));
  res.set_header("WWW-Authenticate", bearer_challenge(code, description, extra));
  return res;
}

std::string dpop_challenge(const std::string& code, const std::string& description) {
  std::string algs;
  for (const auto& a : asymmetric_jws_algorithm_names()) algs += (algs.empty() ? "" : " ") + a;
  std::string h = "DPoP ";
  if (!code.empty()) h += "error=" + quoted(code) + ", ";
  if (!code.empty() && !description.empty()) h += "error_description=" + quoted(description) + ", ";
  return h + "algs=" + quoted(algs);
}

namespace {

// RFC 6750 §3 and RFC 9449 §7.1: a 401 offers both schemes, Bearer first; the error goes on the
// scheme the request used, and only when it carried credentials.
std::string challenges(const BearerFailure& f, const std::string& code, const std::string& description,
                       const std::string& bearer_params) {
  if (f.dpop || code == "invalid_dpop_proof" || code == "use_dpop_nonce") {
    return bearer_challenge("", "", bearer_params) + ", " + dpop_challenge(code, description);
  }
  return bearer_challenge(code, description, bearer_params) + ", " + dpop_challenge("", "");
}

HttpResponse& unauthorized(HttpResponse& res, bool body, const BearerFailure& f, const std::string& code,
                           const std::string& description, const std::string& bearer_params) {
  if (body) {
    JsonObject o;
    if (!code.empty()) o["error"] = json_string(code);
    o["error_description"] = json_string(description);
    res.json(401, dump_json(Json(o)));
  } else {
    res.empty(401); // go-libs auth: every refusal is a 401 without a body
  }
  res.set_header("WWW-Authenticate", challenges(f, code, description, bearer_params));
  if (!f.nonce.empty()) res.set_header("DPoP-Nonce", f.nonce); // RFC 9449 §9
  return res;
}

} // namespace

HttpResponse bearer_refusal(BearerShape shape, const BearerFailure& f, HttpResponse res, const std::string& resource_metadata) {
  // RFC 9728 §5.1: where the resource's metadata is, on its 401s.
  std::string p = resource_metadata.empty() ? "" : ", resource_metadata=" + quoted(resource_metadata);
  using R = BearerFailure::Reason;
  bool body = shape == BearerShape::rfc6750;
  switch (f.reason) {
  case R::missing:
    return unauthorized(res, body, f, "", "a bearer token is required", p);
  case R::invalid_token:
    return unauthorized(res, body, f, "invalid_token", f.description, p);
  case R::invalid_dpop_proof:
    return unauthorized(res, body, f, "invalid_dpop_proof", f.description, p);
  case R::use_dpop_nonce:
    return unauthorized(res, body, f, "use_dpop_nonce", f.description, p);
  case R::malformed:
    if (!body) return unauthorized(res, body, f, "invalid_token", "malformed bearer token", p);
    return bearer_error(res, 400, "invalid_request", "malformed Authorization header", "");
  case R::invalid_request:
    if (!body) return unauthorized(res, body, f, "invalid_token", f.description, p);
    return bearer_error(res, 400, "invalid_request", f.description, "");
  case R::insufficient_scope:
    if (!body) {
      res.empty(401);
      res.set_header("WWW-Authenticate", bearer_challenge("insufficient_scope", "", ", scope=" + quoted(f.scope)));
      return res;
    }
    return bearer_error(res, 403, "insufficient_scope", "the token lacks scope " + f.scope,
                        ", scope=" + quoted(f.scope));
  }
  return res;
}

} // namespace authemu
