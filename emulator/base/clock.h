// Time as the server sees it: whole Unix seconds from an injectable clock, adjustable per environment.
// Every expiry decision reads a Clock; nothing in emulator/ calls time() directly.
#pragma once
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace authemu {

// Microseconds of the monotonic clock (steady, never set back): for deadlines and latencies of
// the transport, never for token times.
int64_t monotonic_us();

// RFC 3339 UTC text: "2030-01-01T00:00:00Z"; or in another strftime format (X.509's "%Y%m%d%H%M%S").
std::string format_utc(int64_t unix_seconds, const char* format = "%Y-%m-%dT%H:%M:%SZ");
// "YYYY-MM-DDTHH:MM:SSZ" (or "+00:00"), years 1970-9999; nothing for anything else.
std::optional<int64_t> parse_utc(std::string_view text);

class Clock {
public:
  virtual ~Clock() = default;
  virtual int64_t now() const = 0; // Unix seconds
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

// An environment's clock: a base clock moved by an offset, or frozen at one instant. The admin
// API's time travel; reset() returns to the base clock. Thread-safe.
class AdjustableClock final : public Clock {
public:
  explicit AdjustableClock(const Clock& base) : base_(base) {}
  int64_t now() const override;
  // The clock it moves: real time in the server.
  const Clock& base() const { return base_; }

  void advance(int64_t seconds); // forward (or back, when negative); a frozen clock stays frozen
  void set(int64_t t);           // now() == t from here on, ticking on unless frozen
  void freeze();                 // stops at the current now()
  void unfreeze();               // ticks on from the frozen instant
  void reset();                  // back to the origin: the base clock, unless set_origin said otherwise
  // Where reset() returns to, applied at once: now() == start (when given), frozen there or ticking.
  void set_origin(std::optional<int64_t> start, bool frozen);

  struct State {
    int64_t now, offset;
    bool frozen;
  };
  State state() const;

private:
  const Clock& base_;
  mutable std::mutex mutex_;
  int64_t offset_ = 0;
  std::optional<int64_t> frozen_at_;
  std::optional<int64_t> origin_;
  bool origin_frozen_ = false;
  void reset_locked();
};

} // namespace authemu
