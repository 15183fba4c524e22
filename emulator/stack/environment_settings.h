// The per-environment settings table: each setting that is a server option (flag, environment
// variable) and a fixture environment's key alike (lifetimes, loginMode, checkScopes, delegation,
// …), one row with its names, its help, where its value is kept and the EnvironmentSettings member
// it sets. cli/options, stack/fixtures and start-up read it. A new setting is one row plus its
// members.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "stack/environment.h"

namespace authemu {

// The server's values (cli/Options derives from it): the default environment's, and the base of
// the fixture's environments.
struct EnvironmentOptions {
  int64_t key_rotation_grace = 86400; // seconds a rotated-out key still verifies
  bool auth_check_scopes = false;
  int64_t access_token_lifetime = 3600; // tokens without a user (client_credentials)
  int64_t user_token_lifetime = 300;    // tokens with a user
  int64_t refresh_token_lifetime = 18000;
  std::string role_claim = "group";
  std::string access_token_type = "at+jwt"; // the access tokens' typ: at+jwt (RFC 9068) | JWT (Formance)
  std::string login_mode = "page"; // page | auto
  bool sign_in_as_anyone = true;
  bool dpop_nonce = false;
  std::string registration = "open"; // open | token | off (RFC 7591 §3)
  std::string registration_token;     // the initial access token of registration token
  bool require_openid = true;         // /authorize needs openid (Formance's rule) for fixture and management clients
  bool require_pkce = false;          // every authorization request needs PKCE (S256 or plain)
  bool allow_http_metadata = false;   // client metadata documents at http://loopback URLs
  int64_t code_lifetime = 60;
  int64_t id_token_lifetime = 3600; // Formance's ID tokens live an hour
  std::string delegated_issuer, delegated_client_id, delegated_client_secret; // Formance's delegated login
  int64_t device_code_lifetime = 600;                                         // RFC 8628 expires_in
  int64_t device_code_interval = 5;                                           // RFC 8628 interval
};

// A fixture environment's own values (EnvironmentFixture derives from it): unset ones come from
// the server's.
struct EnvironmentOverrides {
  std::optional<int64_t> key_rotation_grace;
  std::optional<bool> check_scopes;
  std::optional<int64_t> access_token_lifetime, user_token_lifetime, refresh_token_lifetime;
  std::optional<std::string> role_claim;
  std::optional<std::string> access_token_type; // at+jwt | JWT
  std::optional<std::string> login_mode; // page | auto
  std::optional<bool> sign_in_as_anyone;
  std::optional<bool> dpop_nonce;
  std::optional<std::string> registration, registration_token;
  std::optional<bool> require_openid, require_pkce, allow_http_metadata;
  std::optional<int64_t> code_lifetime, id_token_lifetime;
  // Formance's delegated login: a URL, or the name of an environment of this fixture (platform too).
  std::optional<std::string> delegated_issuer, delegated_client_id, delegated_client_secret;
  std::optional<int64_t> device_code_lifetime, device_code_interval; // RFC 8628 expires_in, interval
};

// How a value is read and checked: a flag's and a fixture's alike (a secret is text that a fixture
// may take from the environment, "$NAME").
// choice: one of the row's choices (loginMode's page | auto).
enum class SettingKind { text, secret, boolean, duration, choice };
using SettingValue = std::variant<int64_t, bool, std::string>; // duration, boolean, the others

struct EnvironmentSetting {
  const char* yaml = nullptr; // the fixture environment's key
  const char* flag = nullptr; // without the leading "--"
  const char* env = nullptr;  // its environment variable
  SettingKind kind = SettingKind::text;
  const char* help = nullptr; // --help's line
  std::vector<std::string> choices{}; // SettingKind::choice: the values it takes
  std::function<void(EnvironmentOptions&, const SettingValue&)> set_option;
  std::function<void(EnvironmentOverrides&, const SettingValue&)> set_override;
  std::function<void(EnvironmentSettings&, const EnvironmentOptions&)> from_options;
  std::function<void(EnvironmentSettings&, const EnvironmentOverrides&)> from_overrides; // when set
  // The other's value over o's, when the other sets one (a fixture that extends the default).
  std::function<void(EnvironmentOverrides& o, const EnvironmentOverrides& other)> take_override;
};

// Every row, in the order --help lists them.
const std::vector<EnvironmentSetting>& environment_settings();
// "a, b or c": the choices as a message names them.
std::string choice_list(const std::vector<std::string>& choices);
// The row of a fixture key, or nullptr.
const EnvironmentSetting* find_environment_setting(const std::string& yaml_key);

// The server's values into settings (the default environment's).
void apply_options(const EnvironmentOptions& options, EnvironmentSettings& settings);
// A fixture environment's own values over settings.
void apply_overrides(const EnvironmentOverrides& overrides, EnvironmentSettings& settings);

} // namespace authemu
