#include "base/cpu.h"

#include <sched.h>

#include <memory>
#include <optional>
#include <system_error>

namespace authemu {

namespace {

// Read while the process starts, before any thread could have narrowed its own mask.
cpu_set_t read_process_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) CPU_ZERO(&set);
  return set;
}

const cpu_set_t process_cpus = read_process_cpus();

// The process's CPUs but cpu; nothing when that leaves none (or cpu is not among them).
std::optional<cpu_set_t> cpus_without(int cpu) {
  cpu_set_t set = process_cpus;
  if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &set) || CPU_COUNT(&set) < 2) return std::nullopt;
  CPU_CLR(cpu, &set);
  return set;
}

} // namespace

int usable_cpus() {
  int n = CPU_COUNT(&process_cpus);
  return n > 0 ? n : 1;
}

int current_cpu() {
  return sched_getcpu();
}

bool keep_off_cpu(pthread_t thread, int cpu) {
  auto set = cpus_without(cpu);
  return set && pthread_setaffinity_np(thread, sizeof *set, &*set) == 0;
}

void allow_all_cpus(pthread_t thread) {
  if (CPU_COUNT(&process_cpus) > 0) pthread_setaffinity_np(thread, sizeof process_cpus, &process_cpus);
}

void start_beside(std::function<void()> work) {
  auto owned = std::make_unique<std::function<void()>>(std::move(work));
  auto body = [](void* arg) -> void* {
    std::unique_ptr<std::function<void()>> fn(static_cast<std::function<void()>*>(arg));
    (*fn)();
    return nullptr;
  };
  // With the affinity that leaves out this CPU, then (where a sandbox refuses affinities) without.
  for (bool beside : {true, false}) {
    pthread_attr_t attr;
    int ret = pthread_attr_init(&attr);
    if (ret != 0) throw std::system_error(ret, std::generic_category(), "pthread_attr_init");
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    auto set = beside ? cpus_without(current_cpu()) : std::nullopt;
    bool pinned = set && pthread_attr_setaffinity_np(&attr, sizeof *set, &*set) == 0;
    pthread_t thread;
    ret = pthread_create(&thread, &attr, body, owned.get());
    pthread_attr_destroy(&attr);
    if (ret == 0) {
      owned.release();
      return;
    }
    if (!pinned) throw std::system_error(ret, std::generic_category(), "pthread_create");
  }
}

} // namespace authemu
