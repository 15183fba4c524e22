// A device (RFC 8628) for the device flow tests: the Browser of the sign-in tests on an App with
// device clients, polling every second, plus the device's requests and the admin API's decisions.
#pragma once
#include "sign_in_support.h"

namespace authemu::test {

constexpr char kDeviceFixture[] = R"(
clients:
  - id: cli
    name: CLI <tool> & "Co"
    public: true
    scopes: [ledger:read]
  - id: conf
    secrets: [conf]
    deviceCodeLifetime: 30s
    deviceCodeInterval: 2s
  - id: nodevice
    secrets: [nodevice]
    grantTypes: [authorization_code]
  - id: norefresh
    public: true
    grantTypes: [urn:ietf:params:oauth:grant-type:device_code]
users:
  - {id: u-alice, username: alice, password: alice, email: alice@example.com, name: Alice}
  - {id: u-bob, username: bob, password: bob}
)";

constexpr char kGrant[] = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code";

struct Device : Browser {
  // interval: the environment's polling interval, 1 s as the tests of the README use.
  explicit Device(int64_t interval = 1) {
    AppSettings settings;
    settings.environment.issuer = kIssuer;
    settings.environment.tokens.device_code_interval = interval;
    Fixture f = load_fixture(kDeviceFixture, "device.yaml", [](const std::string&) { return std::nullopt; });
    app = std::make_unique<App>(settings, std::move(f), test_key(), clock);
  }
  HttpResponse authorize_device(const std::string& form, Headers headers = {}) {
    return send("POST", "/api/auth/device_authorization", form, std::move(headers), false);
  }
  JsonObject start(const std::string& form = "client_id=cli&scope=openid+offline_access+ledger:read") {
    HttpResponse res = authorize_device(form);
    INFO(res.body);
    REQUIRE(res.status == 200);
    return TestApp::parse(res.body);
  }
  HttpResponse poll(const JsonObject& started, const std::string& client = "client_id=cli") {
    return token(std::string(kGrant) + "&" + client + "&device_code=" + *find_string(started, "device_code"));
  }
  HttpResponse admin(const std::string& method, const std::string& path, const std::string& body = "") {
    return send(method, "/_authemu" + path, body, {{"Content-Type", "application/json"}}, false);
  }
  HttpResponse decide(const JsonObject& started, const std::string& action, const std::string& body = "{}") {
    return admin("POST", "/devices/" + *find_string(started, "user_code") + "/" + action, body);
  }
};

inline std::string error_of(const HttpResponse& res) {
  return find_string(TestApp::parse(res.body), "error").value_or("(none) " + res.body);
}

inline std::string description_of(const HttpResponse& res) {
  return find_string(TestApp::parse(res.body), "error_description").value_or("");
}

} // namespace authemu::test
