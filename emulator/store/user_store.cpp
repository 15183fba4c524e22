#include "store/user_store.h"

#include <algorithm>

#include "jose/crypto.h"
#include "store/client_store.h"

namespace authemu {

UserStore::UserStore(std::vector<User> users) : fixture_(std::move(users)) {
  reset();
}

void UserStore::reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  users_.clear();
  for (const auto& u : fixture_)
    users_.push_back(std::make_shared<const User>(u));
}

std::vector<UserStore::Ptr> UserStore::list() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return users_;
}

UserStore::Ptr UserStore::find(std::string_view id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& u : users_) {
    if (u->id == id) return u;
  }
  return nullptr;
}

UserStore::Ptr UserStore::find_by_username(std::string_view username) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& u : users_) {
    if (u->username == username) return u;
  }
  return nullptr;
}

UserStore::Ptr UserStore::check_password(std::string_view username, std::string_view password) const {
  Ptr user = find_by_username(username);
  std::string hash = hash_secret(password);
  // Compared even for an unknown user (against a value of the same length), so both fail alike.
  bool ok = constant_time_equal(hash, user != nullptr ? user->password_hash : std::string(hash.size(), '\0'));
  return ok && user != nullptr && !user->password_hash.empty() ? user : nullptr;
}

UserStore::Ptr UserStore::find_by_hint(std::string_view hint) const {
  if (hint.empty()) return nullptr;
  if (auto u = find(hint)) return u;
  if (auto u = find_by_username(hint)) return u;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& u : users_) {
    if (!u->email.empty() && u->email == hint) return u;
  }
  return nullptr;
}

UserStore::AddOutcome UserStore::add(User user, bool replace) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto same_id = std::find_if(users_.begin(), users_.end(), [&](const Ptr& u) { return u->id == user.id; });
  if (same_id != users_.end() && !replace) return AddOutcome::id_taken;
  for (const auto& u : users_) {
    if (u->id != user.id && !user.username.empty() && u->username == user.username) return AddOutcome::username_taken;
  }
  if (same_id != users_.end()) {
    *same_id = std::make_shared<const User>(std::move(user));
    return AddOutcome::replaced;
  }
  if (users_.size() >= kMaxUsers) return AddOutcome::full;
  users_.push_back(std::make_shared<const User>(std::move(user)));
  return AddOutcome::added;
}

bool UserStore::remove(std::string_view id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::find_if(users_.begin(), users_.end(), [&](const Ptr& u) { return u->id == id; });
  if (it == users_.end()) return false;
  users_.erase(it);
  return true;
}

} // namespace authemu
