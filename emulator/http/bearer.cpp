#include "http/bearer.h"

#include "base/json.h"
#include "http/responses.h"

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

HttpResponse bearer_refusal(BearerShape shape, const BearerFailure& f, HttpResponse res) {
  using R = BearerFailure::Reason;
  if (shape == BearerShape::formance) {
    // go-libs auth: every refusal is a 401 without a body.
    res.empty(401);
    std::string challenge = f.reason == R::missing ? bearer_challenge("", "", "")
                            : f.reason == R::insufficient_scope
                                ? bearer_challenge("insufficient_scope", "", ", scope=" + quoted(f.scope))
                            : f.reason == R::malformed ? bearer_challenge("invalid_token", "malformed bearer token", "")
                                                       : bearer_challenge("invalid_token", f.description, "");
    res.set_header("WWW-Authenticate", challenge);
    return res;
  }
  switch (f.reason) {
  case R::missing:
    return bearer_error(res, 401, "", "a bearer token is required", "");
  case R::invalid_request:
    return bearer_error(res, 400, "invalid_request", f.description, "");
  case R::malformed:
    return bearer_error(res, 400, "invalid_request", "malformed Authorization header", "");
  case R::invalid_token:
    return bearer_error(res, 401, "invalid_token", f.description, "");
  case R::insufficient_scope:
    return bearer_error(res, 403, "insufficient_scope", "the token lacks scope " + f.scope,
                        ", scope=" + quoted(f.scope));
  }
  return res;
}

} // namespace authemu
