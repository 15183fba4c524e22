// Users (resource owners) from the fixtures: listed by the management API; read-only at run time.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"

namespace authemu {

struct User {
  std::string id; // stable subject id, the token's sub
  std::string username;
  std::string password_hash; // base64(sha256(password)); never the clear password
  std::string email;
  std::string name;
  std::vector<std::string> groups;
  JsonObject claims;                     // extra claims, copied into the user's tokens
  std::vector<std::string> environments; // platform members: the environments they may access
};

class UserStore {
public:
  explicit UserStore(std::vector<User> users) : users_(std::move(users)) {}

  const std::vector<User>& list() const { return users_; }
  const User* find(std::string_view id) const;
  const User* find_by_username(std::string_view username) const;

private:
  std::vector<User> users_;
};

} // namespace authemu
