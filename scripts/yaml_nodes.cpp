// Build helper (Makefile, scripts/embed.sh): prints a YAML file as the node stream of
// emulator/stack/node_stream.h, which start-up reads back without yaml-cpp's scanner. The embedded
// default fixture is stored both ways; fixtures/default.yaml itself stays as people read it.
// With --embedded-keys, prints instead the files a fixture's environments and platform name as
// signingKey: embedded:<file>, one a line, in the order start-up builds them (the environments,
// then the platform): start-up loads those keys ahead while it reads the fixture.
#include <iostream>
#include <string>

#include "stack/node_stream.h"

namespace {

void print_embedded_keys(const YAML::Node& fixture) {
  constexpr std::string_view kPrefix = "embedded:";
  auto print = [&](const YAML::Node& environment) {
    if (!environment.IsMap()) return;
    const YAML::Node key = environment["signingKey"];
    if (key && key.IsScalar() && key.Scalar().rfind(kPrefix, 0) == 0)
      std::cout << key.Scalar().substr(kPrefix.size()) << "\n";
  };
  if (!fixture.IsMap()) return;
  if (const YAML::Node environments = fixture["environments"]; environments && environments.IsMap()) {
    for (const auto& e : environments)
      print(e.second);
  }
  if (const YAML::Node platform = fixture["platform"]) print(platform);
}

} // namespace

int main(int argc, char** argv) {
  bool keys = argc == 3 && std::string(argv[1]) == "--embedded-keys";
  if (argc != 2 && !keys) {
    std::cerr << "usage: yaml_nodes [--embedded-keys] FILE\n";
    return 2;
  }
  const char* file = argv[argc - 1];
  try {
    YAML::Node document = YAML::LoadFile(file);
    if (keys)
      print_embedded_keys(document);
    else
      std::cout << authemu::write_node_stream(document);
  } catch (const YAML::Exception& e) {
    std::cerr << file << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
