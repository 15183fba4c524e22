// The environments of one server and their wiring: each built from its spec, with the hosts of
// every configured issuer, an in-process delegation's upstream client marked, the platform's
// tokens trusted by the others, and the clocks' start. Routes and transport are App's (http/).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "base/clock.h"
#include "base/fetcher.h"
#include "stack/app_settings.h"
#include "stack/environment.h"

namespace authemu {

class Stack {
public:
  // specs: the default environment first. fetcher: how environments reach other servers; clock
  // and fetcher must outlive the stack. clock_start, clock_frozen: every clock's origin, if set.
  Stack(std::vector<EnvironmentSpec> specs, const Clock& clock, Fetcher* fetcher, std::optional<int64_t> clock_start,
        bool clock_frozen);

  // The default environment first.
  const Environments& environments() const { return envs_; }

private:
  Environments envs_;
};

} // namespace authemu
