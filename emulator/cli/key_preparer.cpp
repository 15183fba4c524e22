#include "cli/key_preparer.h"

#include <pthread.h>
#include <sched.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "base/cpu.h"

namespace authemu {

struct KeyPreparer::State {
  std::mutex mutex;
  std::condition_variable changed;
  std::optional<std::vector<SigningKey>> later; // set by prepare_later or the destructor
  bool stop = false;
  std::promise<void> ended;
  std::shared_future<void> finished = ended.get_future().share();

  void run(const std::shared_ptr<OnceTask<SigningKey>>& key, const std::vector<std::function<void()>>& ahead);
};

KeyPreparer::KeyPreparer(std::shared_ptr<OnceTask<SigningKey>> key, std::vector<std::function<void()>> ahead)
    : state_(std::make_shared<State>()) {
  start_beside([state = state_, key = std::move(key), ahead = std::move(ahead)] {
    state->run(key, ahead);
    state->ended.set_value();
  });
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

std::shared_future<void> KeyPreparer::finished() const {
  return state_->finished;
}

void KeyPreparer::State::run(const std::shared_ptr<OnceTask<SigningKey>>& key,
                             const std::vector<std::function<void()>>& ahead) {
  // With one usable CPU, only what the main thread has not begun when that CPU is idle.
  sched_param idle{};
  bool beside = usable_cpus() >= 2;
  if (!beside) sched_setscheduler(0, SCHED_IDLE, &idle);
  key->try_run();
  for (const auto& load : ahead)
    load();
  std::vector<SigningKey> keys;
  try {
    keys.push_back(key->get());
  } catch (const std::exception&) {
    return; // the main thread reports it
  }
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
    // The default key's first slot (what the first token needs: for the embedded TEST key its
    // Montgomery constants, ~0.1 ms; for ES256 a nonce, ~0.2 ms) beside the starting thread. The
    // rest only when a core is idle: never a slower start-up or signature on a busy machine. A slot
    // still unprepared when a signature takes it is prepared by that signature, which reports any
    // error.
    bool more = keys.front().prepare_slot(0);
    if (beside) {
      allow_all_cpus(pthread_self());
      sched_setscheduler(0, SCHED_IDLE, &idle);
    }
    if (more && !prepare(keys.front())) return;
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
