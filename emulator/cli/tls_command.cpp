#include "cli/tls_command.h"

#include <sys/stat.h>

#include <filesystem>

#include "base/clock.h"
#include "base/config_error.h"
#include "base/monotonic_clock.h"
#include "cli/tls_setup.h"
#include "tls/tls_stream.h"

namespace authemu {

int run_tls_command(const Options& options, std::ostream& out, std::ostream& err) {
  if (options.args.size() != 1 || options.args[0] != "ca" || options.tls_ca_dir.empty()) {
    err << "authemu tls: usage: authemu tls ca --dir DIR [--tls-names a,b]\n";
    return 1;
  }
  try {
    std::error_code ec;
    std::string dir = std::filesystem::absolute(options.tls_ca_dir, ec).lexically_normal().string();
    if (ec || dir.empty()) dir = options.tls_ca_dir;
    while (dir.size() > 1 && dir.back() == '/')
      dir.pop_back();
    SystemClock clock;
    TlsNames names = all_tls_names(options, {}, machine_host_name());
    StoredCa stored = ca_in_dir(dir, names, clock);
    stored.ca.check_covers(TlsNames::parse(options.tls_names, options.source_of("tls-names")));
    const std::string& ca = stored.cert_file;
    out << (stored.created ? "created " : "reusing ") << ca << " (its key beside it, mode 0600)";
    if (const auto& nc = stored.ca.name_constraints()) out << ", for " << join_names(nc->permitted_text());
    out << "\n\nServe with it:  authemu --tls --tls-ca-dir " << dir << "\n\nTrust it:\n"
        << "  curl:     curl --cacert " << ca << " https://localhost:8080/api/auth/.well-known/openid-configuration\n"
        << "  Node:     export NODE_EXTRA_CA_CERTS=" << ca << "\n"
        << "  Python:   export REQUESTS_CA_BUNDLE=" << ca << "   # requests; ssl, urllib and httpx: export SSL_CERT_FILE="
        << ca << "\n"
        << "  Go:       export SSL_CERT_FILE=" << ca << "   # or x509.NewCertPool() + AppendCertsFromPEM(ca.pem)\n"
        << "  Java:     keytool -importcert -noprompt -alias authemu -file " << ca
        << " -keystore authemu-truststore.p12 -storepass changeit   # then -Djavax.net.ssl.trustStore=authemu-truststore.p12\n"
        << "  Chromium and Firefox (NSS): certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n authemu -i " << ca << "\n"
        << "\nThe CA's name constraints limit it to these names; mbedTLS does not enforce them, browsers, curl, "
           "Go, Node and Python do.\n";
    return 0;
  } catch (const ConfigError& e) {
    err << "authemu tls: " << e.what() << "\n";
    return 1;
  }
}

bool probe_health_tls(const std::string& host, int port, const std::vector<std::string>& trust, std::string* error) {
  try {
    TlsTrust roots;
    for (const auto& file : trust) {
      struct stat st{};
      if (!file.empty() && ::stat(file.c_str(), &st) == 0) roots.add_file(file);
    }
    if (roots.size() == 0) {
      *error = "no CA to trust: none of " + join_names(trust) + " exists (--tls-ca-out, --tls-trust)";
      return false;
    }
    TlsClientConfig config(std::move(roots));
    const MonotonicClock& clock = steady_clock();
    int64_t deadline = clock.now_ms() + 2000;
    TlsStream s = TlsStream::connect(config, host, port, deadline, clock);
    std::string req = "GET /_healthcheck HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
    if (!s.write_all(req, deadline, clock)) {
      *error = "no answer from " + host + ":" + std::to_string(port);
      return false;
    }
    std::string answer;
    char buf[512];
    while (answer.size() < 4096 && answer.find("\r\n") == std::string::npos) {
      size_t n = s.read_some(buf, sizeof buf, deadline, clock);
      if (n == 0) break;
      answer.append(buf, n);
    }
    s.close_notify();
    if (answer.rfind("HTTP/1.1 200 ", 0) == 0) return true;
    *error = answer.empty() ? "no answer from " + host + ":" + std::to_string(port)
                            : "status " + answer.substr(0, answer.find("\r\n"));
    return false;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

} // namespace authemu
