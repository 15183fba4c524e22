#include "base/event_feed.h"

#include <algorithm>

namespace authemu {

EventFeed::EventFeed(size_t max_watchers) : max_(max_watchers) {}

std::unique_ptr<EventWatch> EventFeed::watch(std::string preamble) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (watches_.size() >= max_) return nullptr;
  std::unique_ptr<EventWatch> w(new EventWatch(*this, std::move(preamble)));
  watches_.push_back(w.get());
  return w;
}

void EventFeed::publish(const std::string& event) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (EventWatch* w : watches_) {
    if (w->sink_) w->sink_(event);
  }
}

bool EventFeed::has_watchers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return !watches_.empty();
}

size_t EventFeed::watchers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return watches_.size();
}

void EventWatch::attach(Sink sink) {
  std::lock_guard<std::mutex> lock(feed_.mutex_);
  sink_ = std::move(sink);
}

EventWatch::~EventWatch() {
  std::lock_guard<std::mutex> lock(feed_.mutex_);
  auto& v = feed_.watches_;
  v.erase(std::remove(v.begin(), v.end(), this), v.end());
}

} // namespace authemu
