#include "cli/key_preparer.h"

#include <sched.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace authemu {

struct KeyPreparer::State {
  std::mutex mutex;
  std::condition_variable changed;
  std::optional<std::vector<SigningKey>> later; // set by prepare_later or the destructor
  bool stop = false;

  void run(SigningKey key);
};

KeyPreparer::KeyPreparer(SigningKey key) : state_(std::make_shared<State>()) {
  std::thread([state = state_, key = std::move(key)] { state->run(key); }).detach();
}

KeyPreparer::~KeyPreparer() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stop = true;
    if (!state_->later) state_->later.emplace();
  }
  state_->changed.notify_all();
}

void KeyPreparer::prepare_later(std::vector<SigningKey> keys) {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->later = std::move(keys);
  }
  state_->changed.notify_all();
}

void KeyPreparer::State::run(SigningKey key) {
  std::vector<SigningKey> keys{std::move(key)};
  // Only on an idle core: never a slower start-up or signature on a busy machine. A slot still
  // unprepared when a signature takes it is prepared by that signature, which reports any error.
  sched_param idle{};
  sched_setscheduler(0, SCHED_IDLE, &idle);
  // A new thread may start on the main thread's core, which the policy change alone does not give
  // back until the next scheduler tick (measured: the main thread stalled ~1.2 ms).
  sched_yield();
  auto prepare = [this](const SigningKey& k) {
    for (size_t slot = 0;; ++slot) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (stop) return false;
      }
      if (!k.prepare_slot(slot)) return true;
    }
  };
  try {
    if (!prepare(keys.front())) return;
    {
      std::unique_lock<std::mutex> lock(mutex);
      changed.wait(lock, [this] { return later.has_value(); });
      keys = *later;
    }
    for (const auto& k : keys) {
      if (!prepare(k)) return;
    }
  } catch (const std::exception&) {
  }
}

} // namespace authemu
