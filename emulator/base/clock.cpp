#include "base/clock.h"

#include <chrono>

#include <ctime>

namespace authemu {

int64_t monotonic_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string format_utc(int64_t unix_seconds, const char* format) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, format, &tm);
  return out;
}

std::optional<int64_t> parse_utc(std::string_view text) {
  if (text.size() == 25 && text.substr(19) == "+00:00")
    text = text.substr(0, 19);
  else if (text.size() == 20 && (text[19] == 'Z' || text[19] == 'z'))
    text = text.substr(0, 19);
  else
    return std::nullopt;
  // YYYY-MM-DDTHH:MM:SS
  static const char kShape[] = "dddd-dd-ddTdd:dd:dd";
  for (size_t i = 0; i < 19; ++i) {
    bool digit = text[i] >= '0' && text[i] <= '9';
    if (kShape[i] == 'd' ? !digit : (text[i] != kShape[i] && !(i == 10 && (text[i] == 't' || text[i] == ' ')))) {
      return std::nullopt;
    }
  }
  auto num = [&](size_t pos, size_t len) {
    int n = 0;
    for (size_t i = pos; i < pos + len; ++i)
      n = n * 10 + (text[i] - '0');
    return n;
  };
  int year = num(0, 4), month = num(5, 2), day = num(8, 2), hour = num(11, 2), minute = num(14, 2), second = num(17, 2);
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > kDays[month - 1] ||
      (month == 2 && day == 29 && !leap) || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  // Days since 1970-01-01 (civil calendar).
  int64_t days = 0;
  for (int y = 1970; y < year; ++y)
    days += ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 366 : 365;
  static const int kBefore[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  days += kBefore[month - 1] + (month > 2 && leap ? 1 : 0) + day - 1;
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

int64_t SystemClock::now() const {
  return static_cast<int64_t>(std::time(nullptr));
}

int64_t AdjustableClock::now() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return frozen_at_ ? *frozen_at_ : base_.now() + offset_;
}

void AdjustableClock::advance(int64_t seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (frozen_at_) *frozen_at_ += seconds;
  offset_ += seconds;
}

void AdjustableClock::set(int64_t t) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (frozen_at_) frozen_at_ = t;
  offset_ = t - base_.now();
}

void AdjustableClock::freeze() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!frozen_at_) frozen_at_ = base_.now() + offset_;
}

void AdjustableClock::unfreeze() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!frozen_at_) return;
  offset_ = *frozen_at_ - base_.now();
  frozen_at_.reset();
}

void AdjustableClock::reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  reset_locked();
}

void AdjustableClock::set_origin(std::optional<int64_t> start, bool frozen) {
  std::lock_guard<std::mutex> lock(mutex_);
  origin_ = start;
  origin_frozen_ = frozen;
  reset_locked();
}

void AdjustableClock::reset_locked() {
  int64_t base = base_.now();
  offset_ = origin_ ? *origin_ - base : 0;
  frozen_at_.reset();
  if (origin_frozen_) frozen_at_ = base + offset_;
}

AdjustableClock::State AdjustableClock::state() const {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t base = base_.now();
  int64_t now = frozen_at_ ? *frozen_at_ : base + offset_;
  return State{now, now - base, frozen_at_.has_value()};
}

} // namespace authemu
