#include "cli/key_warm_up.h"

#include <functional>
#include <string>

#include "cli/embedded_keys.h"
#include "cli/startup.h"

namespace authemu {

namespace {

// What the second thread loads after the default key: with the embedded fixture, the embedded keys
// it names (as RS256, its environments' algorithm), last first.
std::vector<std::function<void()>> loads_ahead(const Options& options) {
  std::vector<std::function<void()>> ahead;
  if (!options.config.empty()) return ahead;
  std::vector<std::string> names = embedded_fixture_key_names();
  for (auto name = names.rbegin(); name != names.rend(); ++name)
    ahead.push_back([name = *name] { load_embedded_key_ahead(name, Algorithm::RS256); });
  return ahead;
}

} // namespace

KeyWarmUp::KeyWarmUp(const Options& options)
    : default_key_(std::make_shared<OnceTask<SigningKey>>([options] { return load_signing_key(options); })),
      preparer_(default_key_, loads_ahead(options)) {}

SigningKey KeyWarmUp::default_key() {
  return default_key_->get();
}

void KeyWarmUp::prepare_rest(const std::vector<EnvironmentSpec>& specs) {
  std::vector<SigningKey> keys;
  for (size_t i = 1; i < specs.size(); ++i)
    keys.push_back(specs[i].key);
  preparer_.prepare_later(std::move(keys));
}

} // namespace authemu
