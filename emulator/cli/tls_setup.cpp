#include "cli/tls_setup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/config_error.h"
#include "base/origin.h"
#include "tls/tls_identity.h"

namespace authemu {

const std::vector<std::string> kDefaultTlsNames = {"localhost", "*.localhost", "127.0.0.1", "::1"};

namespace {

// The host of a URL, without the brackets of an IPv6 address; "" when it has none.
std::string url_host_name(const std::string& url) {
  auto origin = origin_of_url(url);
  if (!origin) return "";
  std::string host = host_of_authority(authority_of_url(*origin));
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  return host;
}

// Adds name when it is a host name or an address (a configured URL's host always is one).
void add_name(std::vector<std::string>& names, const std::string& name) {
  if (name.empty()) return;
  try {
    TlsNames::parse({name}, "");
    names.push_back(name);
  } catch (const ConfigError&) {
  }
}

bool exists(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0;
}

// The names of all that the CA may sign for: a stored CA made elsewhere need not permit this
// machine's name.
TlsNames permitted_part(const CertificateAuthority& ca, const TlsNames& names) {
  if (!ca.name_constraints()) return names;
  std::vector<std::string> refused = ca.name_constraints()->not_permitted(names);
  std::vector<std::string> kept;
  for (const auto& n : names.all()) {
    if (std::find(refused.begin(), refused.end(), n) == refused.end()) kept.push_back(n);
  }
  return TlsNames::parse(kept, "");
}

// The certificates client certificates may chain to: the CA's and its issuer of client certificates
// (when there is one), and --tls-client-ca's.
TlsTrust client_roots(const Options& options, const CertificateAuthority* ca, size_t* count) {
  TlsTrust roots;
  if (ca) {
    roots.add_pem(ca->certificate_pem(), "the CA");
    roots.add_pem(ca->client_ca_pem(), "the CA's client issuer");
  }
  if (!options.tls_client_ca.empty()) roots.add_file(options.tls_client_ca);
  *count = roots.size();
  return roots;
}

} // namespace

std::string write_text_file(const std::string& path, const std::string& text, mode_t mode) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return std::strerror(errno);
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return why;
    }
    p += n;
    left -= size_t(n);
  }
  ::fchmod(fd, mode);
  if (::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return why;
  }
  return "";
}

std::string machine_host_name() {
  char buf[256] = "";
  if (::gethostname(buf, sizeof buf - 1) != 0) return "";
  return buf;
}

TlsNames configured_tls_names(const Options& options, const std::vector<EnvironmentSpec>& specs) {
  std::vector<std::string> names;
  add_name(names, url_host_name(options.base_url));
  add_name(names, url_host_name(options.browser_url));
  for (const auto& spec : specs) {
    if (spec.settings.fixed_issuer) add_name(names, url_host_name(spec.settings.issuer));
  }
  TlsNames out = TlsNames::parse(names, "");
  TlsNames extra = TlsNames::parse(options.tls_names, options.source_of("tls-names"));
  TlsNames merged = TlsNames::parse([&] {
    std::vector<std::string> all = out.all();
    for (const auto& n : extra.all())
      all.push_back(n);
    return all;
  }(), "");
  return merged;
}

TlsNames all_tls_names(const Options& options, const std::vector<EnvironmentSpec>& specs,
                       const std::string& machine_name) {
  std::vector<std::string> names = kDefaultTlsNames;
  add_name(names, machine_name);
  std::vector<std::string> hosts;
  for (const auto& spec : specs) {
    hosts.push_back(url_host_name(spec.settings.issuer));
    for (const auto& issuer : spec.settings.extra_issuers)
      hosts.push_back(url_host_name(issuer));
  }
  for (const auto& h : hosts)
    add_name(names, h);
  // Host routing: <environment>.<host> reaches a named environment (http/target.cpp).
  for (const auto& spec : specs) {
    if (spec.settings.name.empty()) continue;
    for (const auto& h : hosts) {
      if (!h.empty() && !ip_bytes(h)) add_name(names, spec.settings.name + "." + h);
    }
  }
  for (const auto& n : configured_tls_names(options, specs).all())
    names.push_back(n);
  return TlsNames::parse(names, "");
}

StoredCa ca_in_dir(const std::string& dir, const TlsNames& names, const Clock& clock) {
  for (const auto& [cert, key] : {std::pair<const char*, const char*>{"ca.pem", "ca-key.pem"},
                                  std::pair<const char*, const char*>{"rootCA.pem", "rootCA-key.pem"}}) {
    std::string cert_file = dir + "/" + cert, key_file = dir + "/" + key;
    if (!exists(cert_file) && !exists(key_file)) continue;
    if (!exists(key_file)) throw ConfigError(key_file + ": missing beside " + cert_file);
    std::string cert_pem = read_text_file(cert_file), key_pem = read_text_file(key_file);
    return StoredCa{CertificateAuthority::from_pem(cert_pem, key_pem, cert_file, key_file, clock), cert_file, false};
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw ConfigError(dir + ": cannot create the directory (" + ec.message() + ")");
  CertificateAuthority ca = CertificateAuthority::generate(names, clock);
  std::string cert_file = dir + "/ca.pem", key_file = dir + "/ca-key.pem";
  if (auto why = write_text_file(key_file, ca.key_pem(), 0600); !why.empty())
    throw ConfigError(key_file + ": cannot write (" + why + ")");
  if (auto why = write_text_file(cert_file, ca.certificate_pem(), 0644); !why.empty())
    throw ConfigError(cert_file + ": cannot write (" + why + ")");
  return StoredCa{std::move(ca), cert_file, true};
}

std::string listener_issuer(const EnvironmentSettings& settings, int port) {
  auto origin = origin_of_url(settings.issuer);
  if (!settings.issuer_by_listener || !origin) return settings.issuer;
  return "https://" + host_of_authority(authority_of_url(*origin)) + ":" + std::to_string(port) +
         settings.issuer.substr(origin->size());
}

std::string default_ca_file(int main_port) {
  std::error_code ec;
  std::filesystem::path tmp = std::filesystem::temp_directory_path(ec);
  return (ec ? std::string("/tmp") : tmp.string()) + "/authemu-ca-" + std::to_string(main_port) + ".pem";
}

std::vector<std::string> cli_trust_files(const Options& options, const std::string& url) {
  std::vector<std::string> files;
  if (!options.tls_trust.empty()) files.push_back(options.tls_trust);
  std::vector<std::string> written;
  if (!options.tls_ca_out.empty()) {
    written.push_back(options.tls_ca_out);
  } else {
    try {
      written.push_back(default_ca_file(parse_listen(options.listen).port));
    } catch (const ConfigError&) {
    }
    std::string authority = authority_of_url(url);
    size_t colon = authority.rfind(':');
    if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
      int port = 0;
      for (char c : authority.substr(colon + 1))
        port = c >= '0' && c <= '9' && port < 65536 ? port * 10 + (c - '0') : 65536;
      if (port > 0 && port < 65536) written.push_back(default_ca_file(port));
    }
  }
  for (const auto& f : written) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(f, ec) && std::find(files.begin(), files.end(), f) == files.end())
      files.push_back(f);
  }
  return files;
}

// The TLS listeners' part of setup_tls.
static TlsSetup setup_listeners(const Options& options, const std::vector<EnvironmentSpec>& specs, int main_port,
                                const Clock& clock) {
  TlsSetup out;
  if (!options.tls_wanted()) return out;
  TlsNames configured = configured_tls_names(options, specs);
  if (!options.tls_cert.empty()) {
    TlsIdentity identity = TlsIdentity::from_files(options.tls_cert, options.tls_key, clock);
    identity.check_covers(configured);
    out.config = std::make_unique<TlsServerConfig>(identity, client_roots(options, nullptr, &out.client_roots),
                                                   options.asks_client_certificates());
    return out;
  }
  TlsNames names = all_tls_names(options, specs, machine_host_name());
  std::shared_ptr<const CertificateAuthority> ca;
  if (!options.tls_ca_dir.empty()) {
    StoredCa stored = ca_in_dir(options.tls_ca_dir, names, clock);
    stored.ca.check_covers(configured);
    names = permitted_part(stored.ca, names);
    if (options.tls_ca_out.empty()) out.ca_file = stored.cert_file;
    ca = std::make_shared<const CertificateAuthority>(std::move(stored.ca));
  } else {
    ca = std::make_shared<const CertificateAuthority>(CertificateAuthority::generate(names, clock));
  }
  PemCredentials leaf = ca->issue(names, clock);
  out.config = std::make_unique<TlsServerConfig>(TlsIdentity::issued(leaf.chain, leaf.key),
                                                 client_roots(options, ca.get(), &out.client_roots),
                                                 options.asks_client_certificates());
  out.ca_pem = ca->certificate_pem();
  out.ca = ca;
  if (out.ca_file.empty()) {
    std::string path = options.tls_ca_out.empty() ? default_ca_file(main_port) : options.tls_ca_out;
    std::string why = write_text_file(path, out.ca_pem, 0644);
    if (why.empty()) {
      out.ca_file = path;
      out.remove_ca_file_at_exit = options.tls_ca_out.empty();
    } else
      out.warnings.push_back(path + ": cannot write the CA certificate (" + why +
                             "); GET /_authemu/ca.pem serves it");
  }
  return out;
}

TlsSetup setup_tls(const Options& options, const std::vector<EnvironmentSpec>& specs, int main_port,
                   const Clock& clock) {
  TlsSetup out = setup_listeners(options, specs, main_port, clock);
  if (!options.tls_client_cert_header.empty()) {
    size_t count = 0; // the same roots as the listeners'
    out.forwarded = std::make_shared<const ForwardedCertificates>(options.tls_client_cert_header,
                                                                  client_roots(options, out.ca.get(), &count));
  }
  return out;
}

} // namespace authemu
