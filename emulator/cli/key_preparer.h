// Start-up on the second core, on a thread started beside the main thread while that one reads the
// fixture: the default key is loaded (ahead of the main thread, which takes it from the same
// OnceTask and reports its errors), then the embedded keys the fixture will name, then the default
// key's first signing slot is prepared (what the first token needs). The rest (its other slots,
// then the other environments' keys) follows at idle priority. Nothing here can fail start-up: a
// slot left unprepared is prepared by its first signature.
#pragma once
#include <functional>
#include <future>
#include <memory>
#include <vector>

#include "base/once_task.h"
#include "jose/key_store.h"

namespace authemu {

class KeyPreparer {
public:
  // Starts the thread: key->try_run(), each of ahead, then key's preparation.
  KeyPreparer(std::shared_ptr<OnceTask<SigningKey>> key, std::vector<std::function<void()>> ahead);
  // Stops the preparing between two slots; does not wait for it (it holds what it uses).
  ~KeyPreparer();
  KeyPreparer(const KeyPreparer&) = delete;
  KeyPreparer& operator=(const KeyPreparer&) = delete;

  // Keys to prepare after the default key, when a core is idle. Once.
  void prepare_later(std::vector<SigningKey> keys);
  // Ready when the thread has ended: all prepared, or stopped (for tests).
  std::shared_future<void> finished() const;

private:
  struct State;
  std::shared_ptr<State> state_;
};

} // namespace authemu
