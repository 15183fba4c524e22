// The Fetcher over plain HTTP/1.1 with cpp-httplib's client: one connection per request,
// redirects followed here (not by httplib) so that FetchLimits holds for the whole fetch, and the
// body counted while it arrives. https is refused until a TLS transport exists (exchange() in
// http_fetcher.cpp is where it goes).
#pragma once
#include "base/fetcher.h"

namespace authemu {

class HttpFetcher : public Fetcher {
public:
  explicit HttpFetcher(FetchLimits limits = {}) : limits_(limits) {}
  FetchResponse fetch(const FetchRequest& request) override;
  const FetchLimits& limits() const { return limits_; }

private:
  FetchLimits limits_;
};

} // namespace authemu
