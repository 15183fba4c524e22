// A YAML document as a stream of its nodes, written at build time (scripts/yaml_nodes.cpp) from a
// document yaml-cpp has read, and read back at start-up without yaml-cpp's scanner: the embedded
// default fixture is read at every start, on the way to the first token (~0.3 ms by the scanner,
// ~0.1 ms from the stream). Nodes keep their kind, tags ("?" plain, "!" quoted), scalars and key
// order; not their line numbers (errors name line 0: the embedded fixture has none).
//   node = kind tag-length ":" tag body
//   kind, body = "N"                            null
//              | "M", count "\n" (node node)*   a map: key, value, ...
//              | "S", count "\n" node*          a sequence
//              | "V", length ":" bytes          a scalar
#pragma once
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

namespace authemu {

std::string write_node_stream(const YAML::Node& node);
// The node the stream holds; throws std::invalid_argument on anything else (with what is wrong).
YAML::Node read_node_stream(std::string_view stream);

} // namespace authemu
