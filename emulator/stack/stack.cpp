#include "stack/stack.h"

#include <algorithm>

#include "base/origin.h"

namespace authemu {

namespace {

// The hosts of every environment's issuer and --auth-issuers, and <environment>.<each of them>.
std::vector<std::string> configured_hosts(const std::vector<EnvironmentSpec>& specs) {
  std::vector<std::string> hosts;
  auto add = [&](const std::string& host) {
    if (std::find(hosts.begin(), hosts.end(), host) == hosts.end()) hosts.push_back(host);
  };
  for (const auto& spec : specs) {
    for (const auto& issuer : spec.settings.extra_issuers) {
      if (auto origin = origin_of_url(issuer)) add(authority_of_url(*origin));
    }
    if (auto origin = origin_of_url(spec.settings.issuer)) add(authority_of_url(*origin));
  }
  size_t bases = hosts.size();
  for (const auto& spec : specs) {
    if (spec.settings.name.empty()) continue;
    for (size_t i = 0; i < bases; ++i)
      add(spec.settings.name + "." + hosts[i]);
  }
  return hosts;
}

} // namespace

Stack::Stack(std::vector<EnvironmentSpec> specs, const Clock& clock, Fetcher* fetcher,
             std::optional<int64_t> clock_start, bool clock_frozen) {
  std::vector<std::string> hosts = configured_hosts(specs);
  // An environment that delegates sign-in to another of this process: the upstream's client
  // accepts its callback.
  for (const auto& spec : specs) {
    const std::string& upstream = spec.settings.delegated_issuer;
    if (upstream.empty() || upstream.find("://") != std::string::npos) continue;
    for (auto& other : specs) {
      if (other.settings.label() != upstream) continue;
      for (auto& c : other.clients) {
        if (c.id == spec.settings.delegated_client_id) c.delegation_for = spec.settings.label();
      }
    }
  }
  for (auto& spec : specs) {
    spec.settings.configured_hosts = hosts;
    envs_.push_back(std::make_unique<Environment>(std::move(spec.settings), std::move(spec.clients),
                                                  std::move(spec.users), std::move(spec.key), clock, fetcher));
  }
  if (clock_start || clock_frozen) {
    for (const auto& e : envs_)
      e->clock().set_origin(clock_start, clock_frozen);
  }
  // With a platform, every environment accepts its tokens through the jwt-bearer grant.
  for (const auto& p : envs_) {
    if (!p->settings().tokens.platform) continue;
    Environment* platform = p.get();
    for (const auto& e : envs_) {
      if (e.get() == platform) continue;
      e->tokens().set_platform_trust(PlatformTrust{&platform->keys(),
                                                   [platform](const std::string& iss) { return platform->trusts(iss); },
                                                   platform->settings().issuer});
    }
  }
}

} // namespace authemu
