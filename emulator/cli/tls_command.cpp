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

} // namespace authemu
