#include "oauth/bearer_auth.h"

#include <cctype>

#include "jose/crypto.h"
#include "oauth/oauth_error.h"

namespace authemu {

// Each defined in its bearer_<name>.cpp.
extern const BearerKind kBearerHeader;
extern const BearerKind kBearerForm;
extern const BearerKind kBearerDpop;

const std::vector<const BearerKind*>& all_bearer_kinds() {
  static const std::vector<const BearerKind*> kinds = {&kBearerHeader, &kBearerDpop, &kBearerForm};
  return kinds;
}

namespace {

BearerResult refused(BearerFailure::Reason reason, std::string description, std::string scope = "",
                     const BearerKind* kind = nullptr) {
  BearerResult r;
  r.failure = BearerFailure{reason, std::move(description), std::move(scope)};
  r.failure.dpop = kind != nullptr && kind->dpop;
  return r;
}

} // namespace

std::optional<PresentedToken> authorization_token(const HttpRequest& req, std::string_view scheme) {
  auto h = req.header("Authorization");
  size_t n = scheme.size();
  if (!h || h->size() < n || !iequals(std::string_view(*h).substr(0, n), scheme)) return std::nullopt;
  if (h->size() > n && (*h)[n] != ' ') return std::nullopt; // "Bearerx…" is another scheme
  PresentedToken t;
  size_t start = h->find_first_not_of(' ', n);
  if (start == std::string::npos) {
    t.malformed = true;
    return t;
  }
  size_t end = h->find_last_not_of(' ');
  t.token = h->substr(start, end - start + 1);
  for (char c : t.token) {
    bool token68 = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~' ||
                   c == '+' || c == '/' || c == '=';
    if (!token68) t.malformed = true;
  }
  return t;
}

std::optional<std::string> certificate_mismatch(const HttpRequest& req, const VerifiedToken& t) {
  const Json* cnf = find_member(t.claims, "cnf");
  if (cnf == nullptr || !cnf->is<JsonObject>()) return std::nullopt;
  const Json* x5t = find_member(cnf->get<JsonObject>(), "x5t#S256");
  if (x5t == nullptr) return std::nullopt;
  // RFC 8705 §3: the token goes with the certificate of this connection, compared by its hash.
  if (!req.client_certificate) {
    return std::string("the token is bound to a client certificate (cnf x5t#S256): present it over HTTPS");
  }
  if (!x5t->is<std::string>() || !constant_time_equal(x5t->get<std::string>(), req.client_certificate->thumbprint)) {
    return std::string("the token is bound to another client certificate than this connection's (cnf x5t#S256)");
  }
  return std::nullopt;
}

BearerResult authenticate_bearer(const TokenVerifier& verifier, const BearerRequest& r,
                                 const std::string& scope_service) {
  using R = BearerFailure::Reason;
  std::optional<PresentedToken> found;
  const BearerKind* found_by = nullptr;
  for (const BearerKind* kind : all_bearer_kinds()) {
    std::optional<PresentedToken> t;
    try {
      t = kind->find(r);
    } catch (const OAuthError& e) {
      return refused(R::invalid_request, e.description());
    }
    if (!t) continue;
    // RFC 6750 §2: a client uses one method to send its token.
    if (found) {
      return refused(R::invalid_request,
                     "token sent both " + std::string(found_by->where) + " and " + std::string(kind->where));
    }
    found = std::move(t);
    found_by = kind;
  }
  if (!found) return refused(R::missing, "");
  if (found->malformed) return refused(R::malformed, "", "", found_by);
  VerifyResult v = verifier.verify_access_token(found->token);
  if (!v.token) return refused(R::invalid_token, v.error, "", found_by);
  if (found_by->unbound != nullptr) {
    try {
      if (auto why = found_by->unbound(r, found->token, *v.token)) return refused(R::invalid_token, *why, "", found_by);
    } catch (const OAuthError& e) {
      if (e.code() == "invalid_request") return refused(R::invalid_request, e.description(), "", found_by);
      if (e.code() != "use_dpop_nonce") return refused(R::invalid_dpop_proof, e.description(), "", found_by);
      BearerResult nonce = refused(R::use_dpop_nonce, e.description(), "", found_by);
      nonce.failure.nonce = e.dpop_nonce();
      return nonce;
    }
  }
  if (auto why = certificate_mismatch(r.req, *v.token)) return refused(R::invalid_token, *why, "", found_by);
  if (!scope_service.empty()) {
    if (auto need = missing_scope(*v.token, scope_service, r.req.method))
      return refused(R::insufficient_scope, "", *need);
  }
  BearerResult ok;
  ok.token = std::move(v.token);
  return ok;
}

std::optional<std::string> missing_scope(const VerifiedToken& t, const std::string& service,
                                         const std::string& method) {
  bool read = method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE";
  if (t.has_scope(service + ":write") || (read && t.has_scope(service + ":read"))) return std::nullopt;
  return service + (read ? ":read" : ":write");
}

} // namespace authemu
