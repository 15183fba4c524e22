#include "oauth/dpop.h"

#include <cctype>

#include "base/base64.h"
#include "base/number.h"
#include "jose/crypto.h"
#include "jose/jwk.h"
#include "oauth/oauth_error.h"

namespace authemu {

namespace {

bool unreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 3986 §6.2.2.2: %XX of an unreserved character decoded, other escapes in upper case, and
// bytes that may not stand bare in a path escaped.
std::string normalize_escapes(const std::string& path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(path[i]);
    if (c == '%' && i + 2 < path.size() && hex_value(path[i + 1]) >= 0 && hex_value(path[i + 2]) >= 0) {
      unsigned char v = static_cast<unsigned char>(hex_value(path[i + 1]) * 16 + hex_value(path[i + 2]));
      if (unreserved(v)) {
        out += static_cast<char>(v);
      } else {
        out += '%';
        out += kHex[v >> 4];
        out += kHex[v & 15];
      }
      i += 2;
    } else if (unreserved(c) || std::string_view("/!$&'()*+,;=:@").find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// RFC 3986 §5.2.4.
std::string remove_dot_segments(const std::string& path) {
  std::vector<std::string> segments;
  size_t i = 0;
  while (i <= path.size()) {
    size_t slash = path.find('/', i);
    std::string seg = path.substr(i, slash == std::string::npos ? std::string::npos : slash - i);
    bool last = slash == std::string::npos;
    if (seg == "..") {
      if (segments.size() > 1) segments.pop_back();
      if (last) segments.emplace_back();
    } else if (seg == ".") {
      if (last) segments.emplace_back();
    } else {
      segments.push_back(seg);
    }
    if (last) break;
    i = slash + 1;
  }
  std::string out;
  for (size_t k = 0; k < segments.size(); ++k) out += (k == 0 ? "" : "/") + segments[k];
  return out.empty() || out[0] != '/' ? "/" + out : out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string be64(int64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
  return out;
}

std::optional<std::string> iat_rule(const JsonObject& claims, int64_t now, const void*) {
  int64_t iat = *find_int(claims, "iat");
  if (iat > now + kClientJwtSkew) return "DPoP proof iat " + format_utc(iat) + " is in the future";
  if (iat < now - kDpopProofLifetime - kClientJwtSkew) {
    return "DPoP proof iat " + format_utc(iat) + " is more than " + std::to_string(kDpopProofLifetime) +
           " seconds old";
  }
  return std::nullopt;
}

} // namespace

DpopCheck dpop_check(const HttpRequest& req, std::vector<std::string> urls) {
  DpopCheck check;
  for (const auto& [name, value] : req.headers)
    if (iequals(name, "DPoP")) check.proofs.push_back(value);
  check.method = req.method;
  check.urls = std::move(urls);
  return check;
}

std::optional<std::string> normalize_htu(const std::string& url) {
  size_t colon = url.find("://");
  if (colon == std::string::npos) return std::nullopt;
  std::string scheme = lower(url.substr(0, colon));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string rest = url.substr(colon + 3);
  rest = rest.substr(0, rest.find_first_of("?#"));
  size_t slash = rest.find('/');
  std::string authority = lower(rest.substr(0, slash));
  std::string path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.empty() || authority.find('@') != std::string::npos) return std::nullopt;
  // host [":" port] (RFC 3986 §3.2): an IPv6 host in brackets, else no colon in it; port digits.
  size_t host_end = authority[0] == '[' ? authority.find(']') : authority.find(':');
  if (authority[0] == '[' && host_end == std::string::npos) return std::nullopt;
  if (authority[0] == '[') ++host_end;
  std::string host = authority.substr(0, host_end == std::string::npos ? std::string::npos : host_end);
  if (host.empty() || host == "[]") return std::nullopt;
  std::string port;
  if (host_end != std::string::npos && host_end < authority.size()) {
    if (authority[host_end] != ':') return std::nullopt;
    port = authority.substr(host_end + 1);
    if (port.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  }
  bool default_port = (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
  authority = port.empty() || default_port ? host : host + ":" + port;
  return scheme + "://" + authority + remove_dot_segments(normalize_escapes(path));
}

Dpop::Dpop(const Clock& environment_clock, const Clock& real_clock, std::string label)
    : env_clock_(environment_clock), real_clock_(real_clock), secret_(random_bytes(32) + label),
      replays_(real_clock) {}

std::string Dpop::nonce_at(int64_t bucket) const {
  std::string b = be64(bucket);
  return base64url_encode(b + hmac_sha256(secret_, b).substr(0, 16));
}

std::string Dpop::nonce() const {
  return nonce_at(real_clock_.now() / kDpopNonceRotation);
}

bool Dpop::nonce_valid(const std::string& nonce) const {
  auto raw = base64url_decode(nonce);
  if (!raw || raw->size() != 24) return false;
  int64_t bucket = 0;
  for (int i = 0; i < 8; ++i) bucket = (bucket << 8) | static_cast<unsigned char>((*raw)[i]);
  int64_t now = real_clock_.now() / kDpopNonceRotation;
  if (bucket > now || bucket < now - kDpopNonceValidity / kDpopNonceRotation) return false;
  return constant_time_equal(nonce_at(bucket), nonce);
}

DpopProof Dpop::check(const DpopCheck& c) {
  auto bad = [](const std::string& d) { return oauth::invalid_dpop_proof(d); };
  if (c.proofs.empty()) throw bad("DPoP proof missing (the DPoP header)");
  if (c.proofs.size() > 1) throw bad("more than one DPoP header (RFC 9449 section 4.3)");
  std::string why;
  auto jwt = decode_client_jwt(c.proofs[0], "DPoP proof", &why);
  if (!jwt) throw bad(why);
  // RFC 9449 §4.2, §4.3 items 4-7.
  if (find_string(jwt->header, "typ") != std::optional<std::string>("dpop+jwt")) {
    throw bad("DPoP proof typ must be dpop+jwt, not " + find_string(jwt->header, "typ").value_or("(none)"));
  }
  const JwsAlgorithm* alg = client_jwt_algorithm(*jwt, "DPoP proof", &why);
  if (alg == nullptr) throw bad(why);
  if (alg->family == JwsFamily::hmac) {
    throw bad("DPoP proof alg " + std::string(alg->name) +
              " is symmetric: a proof is signed with an asymmetric algorithm (RFC 9449 section 4.2)");
  }
  const Json* jwk = find_member(jwt->header, "jwk");
  if (jwk == nullptr || !jwk->is<JsonObject>()) throw bad("DPoP proof header has no jwk (the public key)");
  for (const char* secret : {"d", "p", "q", "dp", "dq", "qi", "k"}) {
    if (find_member(jwk->get<JsonObject>(), secret)) {
      throw bad("DPoP proof jwk holds the private member \"" + std::string(secret) +
                "\": the header carries the public key only");
    }
  }
  auto key = PublicJwk::parse(jwk->get<JsonObject>(), &why);
  if (!key) throw bad("DPoP proof jwk: " + why);
  if (!key->fits(*alg)) throw bad("DPoP proof alg " + std::string(alg->name) + " does not fit its jwk (kty " + key->kty() + ")");
  if (!key->verify(*alg, jwt->signing_input, jwt->signature)) throw bad("DPoP proof signature does not verify with its jwk");
  // §4.2 claims.
  auto jti = find_string(jwt->claims, "jti");
  if (!jti || jti->empty()) throw bad("DPoP proof has no jti");
  if (jti->size() > 256) throw bad("DPoP proof jti longer than 256 characters");
  auto htm = find_string(jwt->claims, "htm");
  if (!htm) throw bad("DPoP proof has no htm");
  if (*htm != c.method) throw bad("DPoP proof htm " + *htm + " is not this request's method " + c.method);
  auto htu = find_string(jwt->claims, "htu");
  if (!htu) throw bad("DPoP proof has no htu");
  auto normalized = normalize_htu(*htu);
  bool url_ok = false;
  for (const auto& u : c.urls)
    if (normalized && normalize_htu(u) == normalized) url_ok = true;
  if (!url_ok) throw bad("DPoP proof htu " + *htu + " is not this request's URL " + (c.urls.empty() ? "" : c.urls[0]));
  if (!find_int(jwt->claims, "iat")) throw bad("DPoP proof has no iat (a number)");
  if (auto late = check_time_on_either(clocks(), jwt->claims, iat_rule)) throw bad(*late);
  if (c.access_token != nullptr) {
    auto ath = find_string(jwt->claims, "ath");
    if (!ath) throw bad("DPoP proof has no ath (the hash of the access token it comes with)");
    if (!constant_time_equal(*ath, sha256_base64url(*c.access_token))) {
      throw bad("DPoP proof ath is not the hash of this access token");
    }
  }
  // §8: the server's nonce, when it asks for one.
  if (c.nonce_required) {
    auto nonce = find_string(jwt->claims, "nonce");
    if (!nonce) throw oauth::use_dpop_nonce("a DPoP nonce is required: retry with the nonce of the DPoP-Nonce header", this->nonce());
    if (!nonce_valid(*nonce)) {
      throw oauth::use_dpop_nonce("DPoP proof nonce is not current: retry with the nonce of the DPoP-Nonce header", this->nonce());
    }
  }
  DpopProof out{key->thumbprint(), *jti, kDpopProofLifetime + 2 * kClientJwtSkew};
  if (c.record_jti) record(out);
  return out;
}

void Dpop::record(const DpopProof& p) {
  switch (replays_.use(p.jkt + '\n' + p.jti, p.lifetime)) {
  case ReplayCache::Outcome::fresh:
    return;
  case ReplayCache::Outcome::replayed:
    throw oauth::invalid_dpop_proof("DPoP proof replayed: its jti was used before");
  case ReplayCache::Outcome::full:
    throw oauth::invalid_dpop_proof("too many DPoP proofs alive (" + std::to_string(replays_.capacity()) +
                                    " jti kept); retry once some have expired");
  }
}

} // namespace authemu
