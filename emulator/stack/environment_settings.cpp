#include "stack/environment_settings.h"

namespace authemu {

namespace {

// A row whose value is a T: kept in option, in fixture when a fixture sets it, and set in target.
template <class T, class Target>
EnvironmentSetting row(const char* yaml, const char* flag, const char* env, SettingKind kind, const char* help,
                       T EnvironmentOptions::*option, std::optional<T> EnvironmentOverrides::*fixture, Target target,
                       std::vector<std::string> choices = {}) {
  EnvironmentSetting s;
  s.choices = std::move(choices);
  s.yaml = yaml;
  s.flag = flag;
  s.env = env;
  s.kind = kind;
  s.help = help;
  s.set_option = [option](EnvironmentOptions& o, const SettingValue& v) { o.*option = std::get<T>(v); };
  s.set_override = [fixture](EnvironmentOverrides& o, const SettingValue& v) { o.*fixture = std::get<T>(v); };
  s.from_options = [option, target](EnvironmentSettings& e, const EnvironmentOptions& o) { target(e) = o.*option; };
  s.from_overrides = [fixture, target](EnvironmentSettings& e, const EnvironmentOverrides& o) {
    if (o.*fixture) target(e) = *(o.*fixture);
  };
  s.take_override = [fixture](EnvironmentOverrides& o, const EnvironmentOverrides& other) {
    if (other.*fixture) o.*fixture = other.*fixture;
  };
  return s;
}

} // namespace

std::string choice_list(const std::vector<std::string>& choices) {
  std::string out;
  for (size_t i = 0; i < choices.size(); ++i)
    out += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
  return out;
}

const std::vector<EnvironmentSetting>& environment_settings() {
  static const std::vector<EnvironmentSetting> all = {
      row("keyRotationGrace", "key-rotation-grace", "KEY_ROTATION_GRACE", SettingKind::duration,
          "how long a rotated-out key stays in the JWKS and verifies (default 24h)",
          &EnvironmentOptions::key_rotation_grace, &EnvironmentOverrides::key_rotation_grace,
          [](EnvironmentSettings& s) -> int64_t& { return s.key_rotation_grace; }),
      row("checkScopes", "auth-check-scopes", "AUTH_CHECK_SCOPES", SettingKind::boolean,
          "require auth:read/auth:write on the management API and <service>:read/write on /api/<service>",
          &EnvironmentOptions::auth_check_scopes, &EnvironmentOverrides::check_scopes,
          [](EnvironmentSettings& s) -> bool& { return s.check_scopes; }),
      row("accessTokenLifetime", "access-token-lifetime", "ACCESS_TOKEN_LIFETIME", SettingKind::duration,
          "lifetime of tokens without a user, e.g. 3600, 90s, 1h (default 1h)",
          &EnvironmentOptions::access_token_lifetime, &EnvironmentOverrides::access_token_lifetime,
          [](EnvironmentSettings& s) -> int64_t& { return s.tokens.access_token_lifetime; }),
      row("userTokenLifetime", "user-token-lifetime", "USER_TOKEN_LIFETIME", SettingKind::duration,
          "lifetime of tokens with a user (default 5m)", &EnvironmentOptions::user_token_lifetime,
          &EnvironmentOverrides::user_token_lifetime,
          [](EnvironmentSettings& s) -> int64_t& { return s.tokens.user_token_lifetime; }),
      row("refreshTokenLifetime", "refresh-token-lifetime", "REFRESH_TOKEN_LIFETIME", SettingKind::duration,
          "lifetime of refresh tokens (default 5h)", &EnvironmentOptions::refresh_token_lifetime,
          &EnvironmentOverrides::refresh_token_lifetime,
          [](EnvironmentSettings& s) -> int64_t& { return s.tokens.refresh_token_lifetime; }),
      row("roleClaim", "role-claim", "ROLE_CLAIM", SettingKind::text,
          "claim that carries a user's groups, a JSON array (default group, as TIBCO FTL)",
          &EnvironmentOptions::role_claim, &EnvironmentOverrides::role_claim,
          [](EnvironmentSettings& s) -> std::string& { return s.tokens.role_claim; }),
      row("accessTokenType", "access-token-type", "ACCESS_TOKEN_TYPE", SettingKind::choice,
          "the typ header of access tokens: at+jwt (RFC 9068, default) or JWT, as the Formance service writes it "
          "(for resource servers that take only JWT, such as Spring Security before 6.5); with JWT an access token "
          "is told from an ID token by its client_id and scope claims",
          &EnvironmentOptions::access_token_type, &EnvironmentOverrides::access_token_type,
          [](EnvironmentSettings& s) -> std::string& { return s.tokens.access_token_type; }, {"at+jwt", "JWT"}),
      row("loginMode", "login-mode", "LOGIN_MODE", SettingKind::choice,
          "browser sign-in: page shows the login page, auto signs in the login_hint's user (else the first user) at "
          "once (default page; a fixture's loginMode wins)",
          &EnvironmentOptions::login_mode, &EnvironmentOverrides::login_mode,
          [](EnvironmentSettings& s) -> std::string& { return s.login_mode; }, {"page", "auto"}),
      row("signInAsAnyone", "sign-in-as-anyone", "SIGN_IN_AS_ANYONE", SettingKind::boolean,
          "the login page offers any subject with any claims (default true)", &EnvironmentOptions::sign_in_as_anyone,
          &EnvironmentOverrides::sign_in_as_anyone,
          [](EnvironmentSettings& s) -> bool& { return s.sign_in_as_anyone; }),
      row("dpopNonce", "dpop-nonce", "DPOP_NONCE", SettingKind::boolean,
          "DPoP proofs must carry a server nonce: use_dpop_nonce with a DPoP-Nonce header first (RFC 9449 "
          "section 8; default false; a client's dpopNonce wins)",
          &EnvironmentOptions::dpop_nonce, &EnvironmentOverrides::dpop_nonce,
          [](EnvironmentSettings& s) -> bool& { return s.dpop_nonce; }),
      row("registration", "registration", "REGISTRATION", SettingKind::choice,
          "dynamic client registration at /register (RFC 7591): open, token (an initial access token is "
          "required, --registration-token) or off (default open)",
          &EnvironmentOptions::registration, &EnvironmentOverrides::registration,
          [](EnvironmentSettings& s) -> std::string& { return s.registration; }, {"open", "token", "off"}),
      row("registrationToken", "registration-token", "REGISTRATION_TOKEN", SettingKind::secret,
          "the initial access token /register takes as a bearer token with --registration token",
          &EnvironmentOptions::registration_token, &EnvironmentOverrides::registration_token,
          [](EnvironmentSettings& s) -> std::string& { return s.registration_token; }),
      row("requireOpenid", "require-openid", "REQUIRE_OPENID", SettingKind::boolean,
          "/authorize requires the openid scope for fixture and management clients, as Formance (default true; "
          "registered clients never need it; a client's requireOpenid wins)",
          &EnvironmentOptions::require_openid, &EnvironmentOverrides::require_openid,
          [](EnvironmentSettings& s) -> bool& { return s.require_openid; }),
      row("requirePkce", "require-pkce", "REQUIRE_PKCE", SettingKind::boolean,
          "every authorization request needs PKCE, confidential clients too (default false)",
          &EnvironmentOptions::require_pkce, &EnvironmentOverrides::require_pkce,
          [](EnvironmentSettings& s) -> bool& { return s.require_pkce; }),
      row("allowHttpMetadata", "allow-http-metadata", "ALLOW_HTTP_METADATA", SettingKind::boolean,
          "client ID metadata documents may be at http:// URLs of loopback hosts (tests on one machine; default "
          "false)",
          &EnvironmentOptions::allow_http_metadata, &EnvironmentOverrides::allow_http_metadata,
          [](EnvironmentSettings& s) -> bool& { return s.allow_http_metadata; }),
      row("codeLifetime", "code-lifetime", "CODE_LIFETIME", SettingKind::duration,
          "lifetime of authorization codes (default 60s)", &EnvironmentOptions::code_lifetime,
          &EnvironmentOverrides::code_lifetime,
          [](EnvironmentSettings& s) -> int64_t& { return s.tokens.code_lifetime; }),
      row("idTokenLifetime", "id-token-lifetime", "ID_TOKEN_LIFETIME", SettingKind::duration,
          "lifetime of ID tokens (default 1h)", &EnvironmentOptions::id_token_lifetime,
          &EnvironmentOverrides::id_token_lifetime,
          [](EnvironmentSettings& s) -> int64_t& { return s.tokens.id_token_lifetime; }),
      row("delegatedIssuer", "delegated-issuer", "DELEGATED_ISSUER", SettingKind::text,
          "the default environment's users sign in at this OpenID issuer (a URL, or an environment's name such as "
          "platform), as Formance's delegated login",
          &EnvironmentOptions::delegated_issuer, &EnvironmentOverrides::delegated_issuer,
          [](EnvironmentSettings& s) -> std::string& { return s.delegated_issuer; }),
      row("delegatedClientId", "delegated-client-id", "DELEGATED_CLIENT_ID", SettingKind::text,
          "the client at the delegated issuer (required with --delegated-issuer)",
          &EnvironmentOptions::delegated_client_id, &EnvironmentOverrides::delegated_client_id,
          [](EnvironmentSettings& s) -> std::string& { return s.delegated_client_id; }),
      row("delegatedClientSecret", "delegated-client-secret", "DELEGATED_CLIENT_SECRET", SettingKind::secret,
          "its secret (required with --delegated-issuer)", &EnvironmentOptions::delegated_client_secret,
          &EnvironmentOverrides::delegated_client_secret,
          [](EnvironmentSettings& s) -> std::string& { return s.delegated_client_secret; }),
      row("deviceCodeLifetime", "device-code-lifetime", "DEVICE_CODE_LIFETIME", SettingKind::duration,
          "how long a device authorization (RFC 8628 expires_in) waits for approval (default 10m; a fixture's "
          "deviceCodeLifetime wins)",
          &EnvironmentOptions::device_code_lifetime, &EnvironmentOverrides::device_code_lifetime,
          [](EnvironmentSettings& s) -> int64_t& { return s.tokens.device_code_lifetime; }),
      row("deviceCodeInterval", "device-code-interval", "DEVICE_CODE_INTERVAL", SettingKind::duration,
          "seconds a device waits between polls (RFC 8628 interval; default 5s; a fixture's deviceCodeInterval wins)",
          &EnvironmentOptions::device_code_interval, &EnvironmentOverrides::device_code_interval,
          [](EnvironmentSettings& s) -> int64_t& { return s.tokens.device_code_interval; }),
  };
  return all;
}

const EnvironmentSetting* find_environment_setting(const std::string& yaml_key) {
  for (const auto& s : environment_settings()) {
    if (yaml_key == s.yaml) return &s;
  }
  return nullptr;
}

void apply_options(const EnvironmentOptions& options, EnvironmentSettings& settings) {
  for (const auto& s : environment_settings())
    s.from_options(settings, options);
}

void apply_overrides(const EnvironmentOverrides& overrides, EnvironmentSettings& settings) {
  for (const auto& s : environment_settings())
    s.from_overrides(settings, overrides);
}

} // namespace authemu
