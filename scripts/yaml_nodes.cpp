// Build helper (Makefile, scripts/embed.sh): prints a YAML file as the node stream of
// emulator/stack/node_stream.h, which start-up reads back without yaml-cpp's scanner. The embedded
// default fixture is stored both ways; fixtures/default.yaml itself stays as people read it.
#include <iostream>

#include "stack/node_stream.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: yaml_nodes FILE\n";
    return 2;
  }
  try {
    std::cout << authemu::write_node_stream(YAML::LoadFile(argv[1]));
  } catch (const YAML::Exception& e) {
    std::cerr << argv[1] << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
