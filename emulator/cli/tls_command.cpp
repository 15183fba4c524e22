#include "cli/tls_command.h"

#include <sys/stat.h>

#include <filesystem>

#include "base/clock.h"
#include "base/config_error.h"
#include "base/json.h"
#include "base/monotonic_clock.h"
#include "cli/admin_client.h"
#include "cli/tls_setup.h"
#include "testkit/admin_api.h"
#include "tls/tls_stream.h"

namespace authemu {

namespace {

constexpr char kUsage[] =
    "authemu tls: usage: authemu tls ca --dir DIR [--tls-names a,b]\n"
    "       authemu tls client-cert --cn NAME --cert FILE --key FILE [--dns N] [--uri U] [--ip A] [--email E] "
    "[--lifetime D] [--url URL]\n";

// `authemu tls client-cert`: POST /_authemu/tls/client-certs to the server at --url, the answer's
// certificate and key written to --cert and --key (mode 0600), its thumbprint printed.
int client_cert(const Options& o, std::ostream& out, std::ostream& err) {
  const Options::ClientCertOptions& c = o.client_cert;
  if (c.cn.empty() || c.cert_file.empty() || c.key_file.empty()) {
    err << kUsage;
    return 1;
  }
  const std::string prefix = "authemu tls client-cert: ";
  JsonObject body;
  body["cn"] = json_string(c.cn);
  if (!c.dns.empty()) body["dns"] = json_string_array(c.dns);
  if (!c.uris.empty()) body["uris"] = json_string_array(c.uris);
  if (!c.ips.empty()) body["ips"] = json_string_array(c.ips);
  if (!c.emails.empty()) body["emails"] = json_string_array(c.emails);
  if (!c.lifetime.empty()) body["lifetime"] = json_string(c.lifetime);
  AdminCall call{"POST", std::string(kAdminPrefix) + "/tls/client-certs", dump_json(Json(body))};
  std::optional<FetchResponse> res = send_admin(o, call, cli_trust_files(o, o.url), prefix, err);
  if (!res || report_admin_refusal(*res, prefix, err)) return 1;
  std::string why;
  auto answer = parse_json(res->body, &why);
  const JsonObject* issued = answer && answer->is<JsonObject>() ? &answer->get<JsonObject>() : nullptr;
  auto cert = issued ? find_string(*issued, "cert") : std::nullopt;
  auto key = issued ? find_string(*issued, "key") : std::nullopt;
  auto thumbprint = issued ? find_string(*issued, "thumbprint") : std::nullopt;
  if (!cert || !key || !thumbprint) {
    err << prefix << "unexpected answer from " << o.url << " (status " << res->status << ")\n";
    return 1;
  }
  // The key first, with mode 0600 from its creation on.
  if (auto failed = write_text_file(c.key_file, *key, 0600); !failed.empty()) {
    err << prefix << c.key_file << ": cannot write (" << failed << ")\n";
    return 1;
  }
  if (auto failed = write_text_file(c.cert_file, *cert, 0644); !failed.empty()) {
    err << prefix << c.cert_file << ": cannot write (" << failed << ")\n";
    return 1;
  }
  out << *thumbprint << "\n";
  const Json* not_after = find_member(*issued, "notAfter");
  err << prefix << "wrote " << c.cert_file << " and " << c.key_file << " (mode 0600)"
      << (not_after && not_after->is<int64_t>() ? ", valid until " + format_utc(not_after->get<int64_t>()) : "")
      << "; the line above is its x5t#S256 thumbprint (RFC 8705 §3.1)\n";
  return 0;
}

} // namespace

int run_tls_command(const Options& options, std::ostream& out, std::ostream& err) {
  if (options.args.size() == 1 && options.args[0] == "client-cert") {
    try {
      return client_cert(options, out, err);
    } catch (const ConfigError& e) {
      err << "authemu tls client-cert: " << e.what() << "\n";
      return 1;
    }
  }
  if (options.args.size() != 1 || options.args[0] != "ca" || options.tls_ca_dir.empty()) {
    err << kUsage;
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
