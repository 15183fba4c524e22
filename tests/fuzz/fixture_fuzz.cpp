// load_fixture on the fuzz bytes as YAML text: a Fixture or a ConfigError ("file:line: …"); any
// other exception (yaml-cpp's own included) is a finding.
#include <cstdint>

#include "base/config_error.h"
#include "fuzz_support.h"
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
    for (const auto& e : f.environments) fuzz::require(valid_environment_name(e.name), "an invalid environment name loaded");
  } catch (const ConfigError& e) {
    fuzz::require(std::string(e.what()).rfind("fuzz.yaml:", 0) == 0, "a ConfigError not shaped 'fuzz.yaml:line: …'");
  }
  return 0;
}
