// Tests that hold threads in a fault's delay on a fake monotonic clock.
#pragma once
#include "base/monotonic_clock.h"
#include "testkit/fault_queue.h"

namespace authemu::test {

// Ends the delays of a queue when it leaves scope, before the futures declared ahead of it wait
// for their threads: stops the queue and moves the fake clock past any delay, so that a test that
// fails while a thread is held by a delay (which, on a fake clock, never ends by itself) ends
// instead of hanging, even when what it found broken is stop_waiting.
struct ReleaseWaiters {
  FaultQueue& queue;
  FakeMonotonicClock& clock;
  ~ReleaseWaiters() {
    queue.stop_waiting();
    clock.advance_ms(kMaxFaultDelayMs);
  }
};

} // namespace authemu::test
