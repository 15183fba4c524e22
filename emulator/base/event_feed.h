// A broadcast of text events to a bounded number of watchers (the journal's live stream): a
// watcher takes one of max slots, and while attached receives every event published. Publishing
// never waits for a watcher: each sink decides what to do with the bytes (the transport queues
// them under a byte cap). Thread-safe. No I/O here.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace authemu {

constexpr size_t kMaxEventWatchers = 50;

class EventFeed;

// One watcher's slot. Until attach(), events pass it by; destroying it frees the slot, and once
// the destructor returns its sink is never called again. The feed must outlive it.
class EventWatch {
public:
  using Sink = std::function<void(const std::string& event)>;
  ~EventWatch();
  EventWatch(const EventWatch&) = delete;
  EventWatch& operator=(const EventWatch&) = delete;

  // From now on, every published event goes to sink (called on the publisher's thread, under the
  // feed's lock: it must not block nor publish).
  void attach(Sink sink);
  // What the answer sends before the first event (an SSE comment, a retry field).
  const std::string& preamble() const { return preamble_; }

private:
  friend class EventFeed;
  EventWatch(EventFeed& feed, std::string preamble) : feed_(feed), preamble_(std::move(preamble)) {}
  EventFeed& feed_;
  std::string preamble_;
  Sink sink_;
};

class EventFeed {
public:
  explicit EventFeed(size_t max_watchers = kMaxEventWatchers);
  EventFeed(const EventFeed&) = delete;
  EventFeed& operator=(const EventFeed&) = delete;

  // A slot, or nullptr when max_watchers are taken.
  std::unique_ptr<EventWatch> watch(std::string preamble = "");
  // Sends event to every attached watcher.
  void publish(const std::string& event);
  // Whether anyone watches: publishers skip formatting events when nobody does.
  bool has_watchers() const;
  size_t watchers() const;
  size_t max_watchers() const { return max_; }

private:
  friend class EventWatch;
  const size_t max_;
  mutable std::mutex mutex_;
  std::vector<EventWatch*> watches_; // slots taken, attached or not
};

} // namespace authemu
