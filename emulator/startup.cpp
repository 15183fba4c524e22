#include "startup.h"

#include <fstream>
#include <sstream>

#include "config_error.h"
#include "embedded.h"

namespace authemu {

namespace {

constexpr char kDefaultFixture[] = "default.yaml";
constexpr char kTestKey[] = "test-signing-key.pem";

std::string read_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(what + ": cannot open " + path + ": " + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Fixture load_fixture_option(const Options& options, const EnvLookup& env) {
  if (options.config.empty()) {
    auto text = embedded_file(kDefaultFixture);
    if (!text) throw ConfigError("embedded fixture missing from this build");
    return load_fixture(*text, "(embedded) fixtures/default.yaml", env);
  }
  return load_fixture(read_file(options.config, "--config"), options.config, env);
}

SigningKey load_signing_key(const Options& options) {
  try {
    if (options.generate_signing_key) {
      RsaKey key = RsaKey::generate(2048);
      std::string kid = rsa_thumbprint(key);
      return SigningKey{kid, std::move(key)};
    }
    std::string pem;
    if (options.signing_key.empty()) {
      pem = std::string(*embedded_file(kTestKey));
    } else if (options.signing_key.find("-----BEGIN") != std::string::npos) {
      pem = options.signing_key;  // Formance's SIGNING_KEY holds the PEM text itself
    } else {
      pem = read_file(options.signing_key, "--signing-key");
    }
    RsaKey key = RsaKey::from_pem(pem);
    std::string kid = rsa_thumbprint(key);
    return SigningKey{kid, std::move(key)};
  } catch (const CryptoError& e) {
    throw ConfigError(std::string("--signing-key: ") + e.what());
  }
}

std::string derive_issuer(const Options& options, const std::string& listen_host, int bound_port) {
  if (options.base_url.empty()) {
    // Loopback and wildcard listeners are reached as localhost, like the Formance docs' URLs.
    bool local = listen_host == "127.0.0.1" || listen_host == "0.0.0.0" || listen_host == "localhost" ||
                 listen_host == "::" || listen_host == "::1";
    std::string host = local ? "localhost" : listen_host;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return "http://" + host + ":" + std::to_string(bound_port) + "/api/auth";
  }
  std::string url = options.base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  // RFC 8414 §2: an http(s) URL with no query or fragment.
  bool scheme = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  size_t host_start = url.find("://") + 3;
  if (!scheme || url.size() <= host_start || url[host_start] == '/' ||
      url.find_first_of("?# ") != std::string::npos) {
    throw ConfigError("--base-url: expected an http:// or https:// URL without query or fragment, got '" +
                      options.base_url + "'");
  }
  return url;
}

}  // namespace authemu
