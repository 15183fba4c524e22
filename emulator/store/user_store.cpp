#include "store/user_store.h"

namespace authemu {

const User* UserStore::find(std::string_view id) const {
  for (const auto& u : users_) {
    if (u.id == id) return &u;
  }
  return nullptr;
}

const User* UserStore::find_by_username(std::string_view username) const {
  for (const auto& u : users_) {
    if (u.username == username) return &u;
  }
  return nullptr;
}

} // namespace authemu
