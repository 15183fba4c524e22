// The state of browser sign-in between requests: authorization requests parked while the login
// page is shown, pushed requests (RFC 9126), and authorization codes (RFC 6749 §4.1.2). Secrets
// (codes, request ids, request_uris) are kept as SHA-256 hashes. Every record expires by the
// environment clock; each kind holds at most kMaxAuthorizations (the oldest leave first).
// Thread-safe. Knows no HTTP and checks no protocol rule: oauth/authorize does.
#pragma once
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace authemu {

// A validated authorization request (OIDC Core §3.1.2.1).
struct AuthorizationRequest {
  std::string client_id;
  std::string redirect_uri;            // where the answer goes
  bool redirect_uri_sent = false;      // RFC 6749 §4.1.3: then the token request must repeat it
  std::string response_mode = "query"; // query, fragment or form_post
  std::optional<std::string> state;
  std::optional<std::string> nonce;
  std::string scope;                                 // granted: openid plus what the client may have
  std::string code_challenge, code_challenge_method; // empty: no PKCE
  std::string dpop_jkt;                              // RFC 9449 §10: the DPoP key the code is bound to
  std::vector<std::string> resources;                // RFC 8707: what the tokens are for (their aud)
  std::vector<std::string> prompt;
  std::optional<int64_t> max_age;
  std::string login_hint;
  std::string issuer; // the iss of this request's answers (RFC 9207) and tokens
};

// The user a code or session stands for.
struct SignIn {
  std::string user_id;
  int64_t auth_time = 0;
  std::vector<std::string> amr; // OIDC Core §2: how they authenticated ("pwd", …)
  std::string sid;              // the session, when the browser has one
};

struct AuthorizationCode {
  AuthorizationRequest request;
  SignIn sign_in;
  std::string family; // the token family its redemption opened, to revoke on reuse
};

// A request waiting on the login page (or on the delegated issuer).
struct PendingLogin {
  AuthorizationRequest request;
  std::string csrf;             // the form's anti-CSRF value
  std::string browser;          // sha256 of the cookie that binds the page to the browser it was shown to
  std::string error;            // the last sign-in failure, shown on the page
  std::string device_user_code; // a device request's (RFC 8628): signing in returns to its verification page
};

constexpr size_t kMaxAuthorizations = 10000;

class AuthorizationStore {
public:
  // A new code for c, valid until exp.
  std::string issue_code(AuthorizationCode c, int64_t exp, int64_t now);
  // The code's record without using it.
  std::optional<AuthorizationCode> peek_code(std::string_view code, int64_t now) const;
  enum class Redeem { ok, unknown, reused };
  // RFC 6749 §4.1.2: single use. ok marks it used and records family; reused returns (in out)
  // the family of the first redemption, whose tokens the caller revokes.
  Redeem redeem_code(std::string_view code, const std::string& family, int64_t now, AuthorizationCode* out);

  std::string park(PendingLogin p, int64_t exp, int64_t now); // returns the request's id
  std::optional<PendingLogin> find_pending(std::string_view id, int64_t now) const;
  void update_pending(std::string_view id, const PendingLogin& p);
  std::optional<PendingLogin> take_pending(std::string_view id, int64_t now); // removes it

  // RFC 9126: returns the request_uri's random part.
  std::string push(AuthorizationRequest r, int64_t exp, int64_t now);
  // Single use, and only by the client that pushed it (another client's try changes nothing).
  std::optional<AuthorizationRequest> take_pushed(std::string_view id, const std::string& client_id, int64_t now);

  struct Counts {
    size_t codes, pending, pushed;
  };
  Counts counts() const;
  void clear();

private:
  template <typename V> struct Table {
    struct Entry {
      V value;
      int64_t exp;
      bool used = false;
    };
    std::unordered_map<std::string, Entry> rows; // by sha256 of the secret
    std::deque<std::string> order;               // insertion order, for expiry and the cap
    std::string put(V v, int64_t exp, int64_t now);
    Entry* find(std::string_view secret, int64_t now);
    void purge(int64_t now);
  };
  mutable std::mutex mutex_;
  mutable Table<AuthorizationCode> codes_;
  mutable Table<PendingLogin> pending_;
  mutable Table<AuthorizationRequest> pushed_;
};

} // namespace authemu
