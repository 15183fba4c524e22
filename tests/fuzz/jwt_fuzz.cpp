// decode_jwt and the base64/base64url decoders on any bytes, then TokenVerifier::verify on the same
// text with RS256, ES256 and HS256 key stores (a revocation store and an audience check on one).
// The strict decoders are canonical: what decodes encodes back to the same text.
#include <cstdint>
#include <memory>

#include "../test_support.h"
#include "base/base64.h"
#include "fuzz_support.h"
#include "jose/jwt.h"
#include "oauth/token_verifier.h"

using namespace authemu;

namespace {

struct Verifiers {
  FakeClock clock{test::kStart};
  TokenStore revocations;
  KeyStore rsa{test::test_key(), clock, 3600};
  KeyStore ec{SigningKey::generate(Algorithm::ES256), clock, 3600};
  KeyStore hmac{SigningKey::from_secret(std::string(32, 'k')), clock, 3600};
  TokenVerifier by_rsa{rsa, {test::kIssuer}, clock, &revocations};
  TokenVerifier by_ec{ec, [](const std::string& iss) { return iss.rfind("http://", 0) == 0; }, clock, nullptr,
                      [](const std::string& aud) { return aud == "sandbox"; }};
  TokenVerifier by_hmac{hmac, {test::kIssuer}, clock};
};

void check(const VerifyResult& r) {
  fuzz::require(r.token.has_value() == (r.code == VerifyCode::ok), "verify: token set but a check failed, or not set but ok");
  fuzz::require(r.token.has_value() == r.failed.empty(), "verify: failed checks listed for an accepted token");
  fuzz::require(r.token.has_value() || !r.error.empty(), "verify: refused without an error");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Verifiers* v = new Verifiers();
  std::string_view text = fuzz::as_text(data, size);

  if (auto raw = base64url_decode(text)) fuzz::require(base64url_encode(*raw) == text, "base64url_decode is not canonical");
  if (auto raw = base64_decode(text)) fuzz::require(base64_encode(*raw) == text, "base64_decode is not canonical");
  fuzz::require(base64url_decode(base64url_encode(text)) == std::string(text), "base64url does not round-trip");
  fuzz::require(base64_decode(base64_encode(text)) == std::string(text), "base64 does not round-trip");

  std::string reason;
  auto jwt = decode_jwt(text, &reason);
  if (jwt) {
    fuzz::require(text.substr(0, jwt->signing_input.size()) == jwt->signing_input, "signing_input is not the token's start");
  } else {
    fuzz::require(!reason.empty(), "decode_jwt failed without a reason");
  }
  check(v->by_rsa.verify(text));
  check(v->by_ec.verify(text));
  check(v->by_hmac.verify(text));
  return 0;
}
