// Users (resource owners): the fixture's, plus those added at run time (admin API, "sign in as
// anyone", delegated login). Thread-safe; readers get immutable snapshots. reset() goes back to
// the fixture's users.
#pragma once
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"

namespace authemu {

struct User {
  std::string id; // stable subject id, the token's sub
  std::string username;
  std::string password_hash; // base64(sha256(password)); never the clear password; empty: no password sign-in
  std::string email;
  std::string name;
  std::vector<std::string> groups;
  JsonObject claims;                     // extra claims, copied into the user's tokens
  std::vector<std::string> environments; // platform members: the environments they may access
  // Where the record came from: the fixture, the admin API, the login page's "sign in as anyone",
  // or a delegated login (then upstream is the upstream issuer's iss, and subject its sub).
  std::string origin = "fixture";
  std::string upstream, subject;
};

// Users one environment keeps, fixture users included.
constexpr size_t kMaxUsers = 10000;

class UserStore {
public:
  using Ptr = std::shared_ptr<const User>;

  explicit UserStore(std::vector<User> users);

  std::vector<Ptr> list() const; // in the order they were added
  Ptr find(std::string_view id) const;
  Ptr find_by_username(std::string_view username) const;
  // OIDC login_hint: the user whose id, username or email it is (in that order).
  Ptr find_by_hint(std::string_view hint) const;
  // The user whose username and password these are; nothing for an unknown user, a wrong password
  // or a user without one. Each failure takes the time of a hash and a compare.
  Ptr check_password(std::string_view username, std::string_view password) const;

  enum class AddOutcome { added, replaced, id_taken, username_taken, full };
  // Adds a user. With replace, a user of the same id is replaced (its username may then be
  // taken by that same user); otherwise an id or username already used is refused.
  AddOutcome add(User user, bool replace = false);
  bool remove(std::string_view id); // false when there is no such user
  void reset();                     // back to the fixture's users

private:
  std::vector<User> fixture_;
  mutable std::mutex mutex_;
  std::vector<Ptr> users_;
};

} // namespace authemu
