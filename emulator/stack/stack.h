// The environments of one server and their wiring: each built from its spec, with the hosts of
// every configured issuer, an in-process delegation's upstream client marked, the platform's
// tokens trusted by the others, and the clocks' start; and those made at run time (at most
// kMaxRuntimeEnvironments), added and removed while requests run. Routes and transport are App's (http/).
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/fetcher.h"
#include "stack/app_settings.h"
#include "stack/environment.h"

namespace authemu {

// Environments made at run time (POST /_authemu/environments) that one server holds at once.
constexpr size_t kMaxRuntimeEnvironments = 64;

class Stack {
public:
  // specs: the default environment first. fetcher: how environments reach other servers; clock
  // and fetcher must outlive the stack. clock_start, clock_frozen: every clock's origin, if set.
  Stack(std::vector<EnvironmentSpec> specs, const Clock& clock, Fetcher* fetcher, std::optional<int64_t> clock_start,
        bool clock_frozen);

  // The environments now, the default one first, then the fixture's, then those made at run time
  // in creation order: a snapshot that keeps them alive while it is held.
  std::shared_ptr<const Environments> environments() const;

  enum class AddOutcome { added, name_taken, key_taken, full };
  struct Added {
    AddOutcome outcome = AddOutcome::added;
    std::shared_ptr<Environment> environment; // added
    std::string other;                        // key_taken: the label of the environment with that key
  };
  // An environment made at run time: refused when an environment has its name (label) or its key id.
  Added add(EnvironmentSpec spec);
  enum class RemoveOutcome { removed, unknown, from_fixture };
  // Removes one made at run time, by label.
  RemoveOutcome remove(const std::string& label);
  // Removes every one made at run time; returns their labels.
  std::vector<std::string> remove_runtime();
  // True for an environment made at run time.
  bool is_runtime(const Environment& env) const;

private:
  const Clock& clock_;
  Fetcher* fetcher_;
  std::optional<int64_t> clock_start_;
  bool clock_frozen_;
  size_t fixture_count_ = 0; // the first ones: never removed
  mutable std::mutex mutex_;
  std::shared_ptr<const Environments> envs_; // replaced whole under mutex_, never changed in place
};

} // namespace authemu
