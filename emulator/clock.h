// Time as the server sees it: whole Unix seconds from an injectable clock.
// Every expiry decision reads a Clock; nothing in emulator/ calls time() directly.
#pragma once
#include <atomic>
#include <cstdint>

namespace authemu {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now() const = 0;  // Unix seconds
};

class SystemClock final : public Clock {
 public:
  int64_t now() const override;
};

// A clock that moves only when told to: for tests of expiry without sleeping.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start) : now_(start) {}
  int64_t now() const override { return now_.load(); }
  void set(int64_t t) { now_.store(t); }
  void advance(int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace authemu
