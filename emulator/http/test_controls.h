// Runs an OAuth endpoint under the admin API's test controls: a queued fault may delay the request
// or answer it instead, and the journal records how it ended. Reads the request's shared parsed
// form (never parses it again) and no secret into the journal.
#pragma once
#include <functional>
#include <string>

#include "base/http_types.h"
#include "base/monotonic_clock.h"
#include "oauth/form.h"
#include "stack/environment.h"
#include "testkit/fault_queue.h"
#include "testkit/journal.h"

namespace authemu {

class TestControls {
public:
  // Latencies are read from `clock` (the one the faults' delays pass by), which must outlive this.
  TestControls(Journal& journal, FaultQueue& faults, const MonotonicClock& clock)
      : journal_(journal), faults_(faults), clock_(clock) {}

  // form: the request's form, as the route reads it. endpoint: the journal's and the faults' name
  // (token, jwks, …); no_store: the endpoint's answers must not be cached, injected errors
  // included. route: the guarded route itself.
  // note: what the route leaves for the journal (how its client authenticated), read once it ran.
  HttpResponse run(Environment& env, const HttpRequest& req, const RequestForm& form, const std::string& endpoint,
                   bool no_store, const std::function<HttpResponse()>& route, const JournalNote* note = nullptr);

private:
  Journal& journal_;
  FaultQueue& faults_;
  const MonotonicClock& clock_;
};

} // namespace authemu
