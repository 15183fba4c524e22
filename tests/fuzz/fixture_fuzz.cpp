// load_fixture on the fuzz bytes as YAML text: a Fixture or a ConfigError ("file:line: …"); any
// other exception (yaml-cpp's own included) is a finding. A file with `extends: default` is then
// merged into the embedded default fixture, as start-up does, with the same rule.
#include <cstdint>

#include "base/config_error.h"
#include "base/embedded.h"
#include "fuzz_support.h"
#include "stack/fixture_extend.h"
#include "stack/fixtures.h"

using namespace authemu;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "SECRET") return std::string(40, 's');
    return std::nullopt;
  };
  try {
    Fixture f = load_fixture(text, "fuzz.yaml", env);
    if (f.extends_default) {
      static const std::string base_text(*embedded_file("default.yaml"));
      f = extend_fixture(load_fixture(base_text, "fuzz.yaml", env), std::move(f), "the default");
    }
    for (const auto& e : f.environments) fuzz::require(valid_environment_name(e.name), "an invalid environment name loaded");
  } catch (const ConfigError& e) {
    fuzz::require(std::string(e.what()).rfind("fuzz.yaml:", 0) == 0, "a ConfigError not shaped 'fuzz.yaml:line: …'");
  }
  return 0;
}
