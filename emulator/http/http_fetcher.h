// The Fetcher over HTTP/1.1: plain http through cpp-httplib's client, https through the project's
// own TLS stream (http/https_client; Debian's cpp-httplib has no mbedTLS backend). Redirects,
// limits and the one deadline are its own, the same for both schemes.
#pragma once
#include <memory>
#include <mutex>

#include "base/fetcher.h"
#include "base/monotonic_clock.h"
#include "http/https_client.h"

namespace authemu {

// One connection per request, redirects followed here (httplib's follow_location stays off) under
// one deadline on clock, and the body counted while it arrives. An https peer must present a chain
// to one of trust's roots for the URL's host: the system bundle (/etc/ssl/certs/ca-certificates.crt
// when present; absent in a FROM scratch image, where only the given PEM files and this server's
// own CA are trusted), trust.pem_files (--tls-trust) and trust.own_ca_pem. Plain http waits on
// sockets in real time for what is left by clock. Thread-safe.
class HttpFetcher : public Fetcher {
public:
  // Reads trust's PEM files and own CA now: throws ConfigError "FILE: what" for a bad one (a
  // start-up error). The system bundle is read on the first https request, once.
  explicit HttpFetcher(FetchLimits limits = {}, const TlsTrustSources& trust = {},
                       const MonotonicClock& clock = steady_clock());
  FetchResponse fetch(const FetchRequest& request) override;
  const FetchLimits& limits() const { return limits_; }

private:
  const TlsClientConfig& tls_config();

  FetchLimits limits_;
  const MonotonicClock& clock_;
  bool system_trust_;
  std::mutex mutex_;                          // guards the two below
  std::unique_ptr<TlsTrust> given_;           // until tls_config() is built
  std::unique_ptr<TlsClientConfig> tls_;      // built on the first https request
};

} // namespace authemu
