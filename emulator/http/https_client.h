// HTTPS requests from this server (http/http_fetcher) and its commands (cli/): whom they trust
// and one HTTP/1.1 exchange over the project's TLS stream (tls/tls_stream), the answer framed by
// http/response_reader. URLs, redirects and limits stay the fetcher's; no mbedTLS type here.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/fetcher.h"
#include "base/monotonic_clock.h"
#include "tls/tls_config.h"

namespace authemu {

// Whom an HTTPS request trusts: a chain to one of these roots, for the host name asked for.
// The system bundle is TlsTrust::kSystemBundle (/etc/ssl/certs/ca-certificates.crt) when that file
// exists. In a FROM scratch image it does not: then only pem_files and own_ca_pem are trusted, and
// a public server is refused (FetchFailure::tls) unless one of pem_files holds its CA.
struct TlsTrustSources {
  std::vector<std::string> pem_files; // PEM certificate files: --tls-trust FILE, a server's CA file
  std::string own_ca_pem;             // this server's own CA certificate (PEM, set at start-up); "": none
  bool system = true;                 // the system bundle, when present
};

// The roots of pem_files and own_ca_pem (not the system bundle: TlsTrust::add_system, when
// sources.system). Throws ConfigError "FILE: what" for a file that cannot be read or holds no
// certificate, "this server's CA: what" for a bad own_ca_pem.
TlsTrust given_trust(const TlsTrustSources& sources);

// Where an HTTPS request goes.
struct HttpsTarget {
  std::string host; // a name or an IP address (IPv6 without brackets): the name the certificate must carry
  int port = 443;
  std::string path; // path and query, from "/"
};

// request's method, headers and body (its url is not read) sent as HTTP/1.1 with Host,
// Content-Length and Connection: close, and the final answer read whole, all by deadline_ms on
// clock; redirects are not followed. Throws FetchError: unreachable (no connection, a broken or
// malformed answer), tls (the peer's certificate is not trusted for host, or the handshake
// failed), timeout, too_large ("the answer is over N bytes"). Messages name https://host:port,
// never the path.
FetchResponse https_exchange(const TlsClientConfig& config, const HttpsTarget& target, const FetchRequest& request,
                             size_t max_body, int64_t deadline_ms, const MonotonicClock& clock);

} // namespace authemu
