// Start-up on the second core: the default signing key is loaded on another thread while the
// fixture is read, then, at idle priority, its signing slots are prepared (RsaKey::prepare) and
// after them the other environments' keys. Start-up errors stay start-up errors (get_key).
#pragma once
#include <memory>
#include <vector>

#include "cli/options.h"
#include "jose/key_store.h"

namespace authemu {

class KeyPreparer {
public:
  explicit KeyPreparer(Options options); // starts load_signing_key(options) on its thread
  // Stops the preparing between two slots; does not wait for it (it holds what it uses).
  ~KeyPreparer();
  KeyPreparer(const KeyPreparer&) = delete;
  KeyPreparer& operator=(const KeyPreparer&) = delete;

  // The default key, or the ConfigError that loading it threw. Once.
  SigningKey get_key();
  // Keys to prepare after the default key, when a core is idle. Once.
  void prepare_later(std::vector<SigningKey> keys);

private:
  struct State;
  std::shared_ptr<State> state_;
};

} // namespace authemu
