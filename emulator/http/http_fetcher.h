// The Fetcher over plain HTTP/1.1 (cpp-httplib's client), redirects and limits its own; refuses
// https until a TLS transport exists (exchange() in http_fetcher.cpp is where it goes).
#pragma once
#include "base/fetcher.h"

namespace authemu {

// One connection per request, redirects followed here (httplib's follow_location stays off) under
// one deadline, and the body counted while it arrives. Thread-safe: it holds only its limits.
class HttpFetcher : public Fetcher {
public:
  explicit HttpFetcher(FetchLimits limits = {}) : limits_(limits) {}
  FetchResponse fetch(const FetchRequest& request) override;
  const FetchLimits& limits() const { return limits_; }

private:
  FetchLimits limits_;
};

} // namespace authemu
