// Server-side token state: refresh tokens (kept as SHA-256 hashes) grouped in families, one per
// password grant; the access tokens issued from each family; and revoked access tokens. Records
// leave once expired, so memory follows the issuance rate times the lifetimes. Thread-safe.
// Access tokens themselves are not stored: a JWT is live when it verifies and is not revoked.
#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace authemu {

struct RefreshGrant {
  std::string client_id;
  std::string user_id;
  std::string scope;     // the scope of the original grant: the ceiling of every refresh
  int64_t auth_time = 0; // when the user authenticated (OIDC Core §12.2 keeps it)
  int64_t exp = 0;       // of this refresh token
  int64_t iat = 0;
  std::string family;
  std::string sid;                   // the browser session it came from, for the ID token's sid
  std::vector<std::string> amr;      // how the user authenticated
  std::vector<std::string> audience; // aud of its access tokens; empty: the client's (GrantContext::audience_for)
  std::string x5t;                   // RFC 8705 §4: the certificate a public client's token is bound to
  std::string jkt;                   // RFC 9449 §5: the DPoP key a public client's token is bound to
};

class TokenStore {
public:
  // A new refresh token (opaque, 256 random bits) for grant, in grant.family (a new family is
  // made on first use of its id). Into a revoked family the token is born revoked (unknown).
  std::string issue_refresh(RefreshGrant grant, int64_t now);
  // Opens grant.family (client and user of grant, until grant.exp) without a refresh token: the
  // access tokens of a grant that has none are still recorded, for revocation.
  void open_family(const RefreshGrant& grant, int64_t now);
  // Records that the access token jti (expiring at exp) was issued from family; into a revoked
  // family it is revoked at once.
  void record_access(const std::string& family, const std::string& jti, int64_t exp, int64_t now);

  // unknown covers expired and revoked tokens too: both are erased (purge, revoke_family_locked).
  enum class Use { ok, unknown, reused, other_client };
  // RFC 6749 §6 with rotation: takes the refresh token out of use and returns its grant. Reuse
  // of a rotated token revokes its whole family (access tokens included).
  Use use_refresh(std::string_view token, const std::string& client_id, int64_t now, RefreshGrant* out);

  // The grant of a live refresh token, for introspection.
  std::optional<RefreshGrant> find_refresh(std::string_view token, int64_t now) const;

  // RFC 7009: revokes the refresh token's family. unknown covers expired and revoked tokens;
  // other_client changes nothing.
  enum class Revoke { done, unknown, other_client };
  Revoke revoke_refresh(std::string_view token, const std::string& client_id, int64_t now);
  // Revokes a family: its refresh tokens and access tokens (a reused authorization code).
  void revoke_family(const std::string& family, int64_t now);
  // Revokes the access tokens (not the refresh tokens) of every family of this client and user,
  // as Formance's logout does; returns how many.
  size_t revoke_user_access(const std::string& client_id, const std::string& user_id, int64_t now);
  // Revokes one access token until its expiry.
  void revoke_access(const std::string& jti, int64_t exp, int64_t now);
  bool is_access_revoked(const std::string& jti) const;

  struct Counts {
    size_t refresh_tokens, families, revoked_access;
  };
  Counts counts() const;
  void clear(); // forgets every refresh token, family and revocation

private:
  struct Refresh {
    RefreshGrant grant;
    bool used = false;
  };
  struct Family {
    std::string client_id, user_id;
    std::vector<std::string> refresh_keys;
    std::vector<std::pair<std::string, int64_t>> access; // jti, exp
    int64_t exp = 0;                                     // latest expiry of anything in it
    // Revoked families stay until exp, so tokens issued into them by requests in flight die too.
    bool revoked = false;
  };
  void purge_locked(int64_t now);
  Family& family_locked(const RefreshGrant& grant);
  void revoke_family_locked(const std::string& family, int64_t now);
  void revoke_access_locked(const std::string& jti, int64_t exp, int64_t now);
  void expire_at_locked(int64_t exp, char kind, const std::string& key);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Refresh> refresh_; // by sha256(token)
  std::unordered_map<std::string, Family> families_;
  std::unordered_map<std::string, int64_t> revoked_access_;     // jti -> exp
  std::multimap<int64_t, std::pair<char, std::string>> expiry_; // exp -> (kind, key)
};

} // namespace authemu
