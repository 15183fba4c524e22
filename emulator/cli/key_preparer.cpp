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

  void run(SigningKey key, int starter_cpu);
};

KeyPreparer::KeyPreparer(SigningKey key) : state_(std::make_shared<State>()) {
  std::thread([state = state_, key = std::move(key), cpu = current_cpu()] { state->run(key, cpu); }).detach();
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

void KeyPreparer::State::run(SigningKey key, int starter_cpu) {
  std::vector<SigningKey> keys{std::move(key)};
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
    // Montgomery constants, ~0.3 ms) beside the starting thread, which reads the fixture meanwhile:
    // kept off its CPU, as a new thread may start there and wait (measured: ~1.2 ms).
    // The rest, and all of it with one usable CPU, only when a core is idle: never a slower start-up
    // or signature on a busy machine. A slot still unprepared when a signature takes it is prepared
    // by that signature, which reports any error.
    sched_param idle{};
    bool beside = keep_off_cpu(pthread_self(), starter_cpu);
    if (!beside) sched_setscheduler(0, SCHED_IDLE, &idle);
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
