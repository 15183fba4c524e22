// The CPUs this process may run on, and keeping a thread off one of them: for work that must run
// beside the thread that waits for it (start-up preparation, the second half of an RSA signature),
// not queued behind it on the same CPU until the scheduler moves it (~1 ms on this VM).
#pragma once
#include <pthread.h>

#include <functional>

namespace authemu {

// How many CPUs the process's affinity mask (as it was at start) holds; at least 1.
int usable_cpus();
// The CPU the calling thread runs on now; -1 if unknown.
int current_cpu();
// Lets thread run on the process's CPUs except cpu. False, and nothing changed, when that leaves
// no CPU (one usable CPU, or cpu not among them).
bool keep_off_cpu(pthread_t thread, int cpu);
// Lets thread run on all of the process's CPUs again.
void allow_all_cpus(pthread_t thread);
// Runs work on a new detached thread that starts on a CPU other than the caller's when there is
// one: a new thread left to the scheduler may start on the caller's CPU and wait there until the
// next tick (measured: ~0.9 ms). work may call allow_all_cpus(pthread_self()) once its urgent part
// is done. Throws std::system_error if no thread can be made.
void start_beside(std::function<void()> work);

} // namespace authemu
