// Start-up on the second core: at idle priority, the default key's signing slots are prepared
// (RsaKey::prepare_slot) while the fixture is read and the server starts, then the other
// environments' keys. Nothing here can fail start-up: a slot left unprepared is prepared by its
// first signature.
#pragma once
#include <memory>
#include <vector>

#include "jose/key_store.h"

namespace authemu {

class KeyPreparer {
public:
  explicit KeyPreparer(SigningKey key); // starts preparing key on its thread
  // Stops the preparing between two slots; does not wait for it (it holds what it uses).
  ~KeyPreparer();
  KeyPreparer(const KeyPreparer&) = delete;
  KeyPreparer& operator=(const KeyPreparer&) = delete;

  // Keys to prepare after the default key, when a core is idle. Once.
  void prepare_later(std::vector<SigningKey> keys);

private:
  struct State;
  std::shared_ptr<State> state_;
};

} // namespace authemu
