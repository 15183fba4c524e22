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

namespace {

// env trusts platform's tokens through the jwt-bearer grant.
void trust_platform(Environment& env, Environment* platform) {
  env.tokens().set_platform_trust(PlatformTrust{&platform->keys(),
                                                [platform](const std::string& iss) { return platform->trusts(iss); },
                                                platform->settings().issuer});
}

Environment* find_platform(const Environments& envs) {
  for (const auto& e : envs) {
    if (e->settings().tokens.platform) return e.get();
  }
  return nullptr;
}

} // namespace

Stack::Stack(std::vector<EnvironmentSpec> specs, const Clock& clock, Fetcher* fetcher,
             std::optional<int64_t> clock_start, bool clock_frozen)
    : clock_(clock), fetcher_(fetcher), clock_start_(clock_start), clock_frozen_(clock_frozen) {
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
  auto envs = std::make_shared<Environments>();
  for (auto& spec : specs) {
    spec.settings.configured_hosts = hosts;
    envs->push_back(std::make_shared<Environment>(std::move(spec.settings), std::move(spec.clients),
                                                  std::move(spec.users), std::move(spec.key), clock, fetcher));
  }
  if (clock_start || clock_frozen) {
    for (const auto& e : *envs)
      e->clock().set_origin(clock_start, clock_frozen);
  }
  // With a platform, every environment accepts its tokens through the jwt-bearer grant.
  if (Environment* platform = find_platform(*envs)) {
    for (const auto& e : *envs) {
      if (e.get() != platform) trust_platform(*e, platform);
    }
  }
  fixture_count_ = envs->size();
  envs_ = std::move(envs);
}

std::shared_ptr<const Environments> Stack::environments() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return envs_;
}

Stack::Added Stack::add(EnvironmentSpec spec) {
  std::lock_guard<std::mutex> lock(mutex_);
  const Environments& now = *envs_;
  for (const auto& e : now) {
    if (e->label() == spec.settings.label()) return Added{AddOutcome::name_taken, nullptr, e->label()};
    if (e->keys().active().kid() == spec.key.kid()) return Added{AddOutcome::key_taken, nullptr, e->label()};
  }
  if (now.size() - fixture_count_ >= kMaxRuntimeEnvironments) return Added{AddOutcome::full, nullptr, ""};
  // The default environment's hosts, its own issuer's, and <name>.<each of the default's>.
  const EnvironmentSettings& first = now.front()->settings();
  std::vector<std::string> hosts = first.configured_hosts;
  std::vector<std::string> bases;
  for (const std::string& issuer : {first.issuer, spec.settings.issuer}) {
    if (auto origin = origin_of_url(issuer)) bases.push_back(authority_of_url(*origin));
  }
  for (const auto& b : bases) {
    for (const std::string& h : {b, spec.settings.name + "." + b}) {
      if (std::find(hosts.begin(), hosts.end(), h) == hosts.end()) hosts.push_back(h);
    }
  }
  spec.settings.configured_hosts = std::move(hosts);
  auto env = std::make_shared<Environment>(std::move(spec.settings), std::move(spec.clients), std::move(spec.users),
                                           std::move(spec.key), clock_, fetcher_);
  if (clock_start_ || clock_frozen_) env->clock().set_origin(clock_start_, clock_frozen_);
  if (Environment* platform = find_platform(now)) trust_platform(*env, platform);
  auto next = std::make_shared<Environments>(now);
  next->push_back(env);
  envs_ = std::move(next);
  return Added{AddOutcome::added, env, ""};
}

Stack::RemoveOutcome Stack::remove(const std::string& label) {
  std::lock_guard<std::mutex> lock(mutex_);
  const Environments& now = *envs_;
  for (size_t i = 0; i < now.size(); ++i) {
    if (now[i]->label() != label) continue;
    if (i < fixture_count_) return RemoveOutcome::from_fixture;
    auto next = std::make_shared<Environments>(now);
    next->erase(next->begin() + static_cast<std::ptrdiff_t>(i));
    envs_ = std::move(next);
    return RemoveOutcome::removed;
  }
  return RemoveOutcome::unknown;
}

std::vector<std::string> Stack::remove_runtime() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> labels;
  for (size_t i = fixture_count_; i < envs_->size(); ++i)
    labels.push_back((*envs_)[i]->label());
  if (!labels.empty()) envs_ = std::make_shared<Environments>(envs_->begin(), envs_->begin() + fixture_count_);
  return labels;
}

bool Stack::is_runtime(const Environment& env) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (size_t i = 0; i < fixture_count_; ++i) {
    if ((*envs_)[i].get() == &env) return false;
  }
  return true;
}

} // namespace authemu
