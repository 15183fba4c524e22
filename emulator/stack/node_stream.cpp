#include "stack/node_stream.h"

#include <stdexcept>

namespace authemu {

namespace {

void write(const YAML::Node& node, std::string& out) {
  auto head = [&](char kind) { out += kind + std::to_string(node.Tag().size()) + ":" + node.Tag(); };
  switch (node.Type()) {
  case YAML::NodeType::Map:
    head('M');
    out += std::to_string(node.size()) + "\n";
    for (const auto& kv : node) {
      write(kv.first, out);
      write(kv.second, out);
    }
    return;
  case YAML::NodeType::Sequence:
    head('S');
    out += std::to_string(node.size()) + "\n";
    for (const auto& item : node)
      write(item, out);
    return;
  case YAML::NodeType::Scalar:
    head('V');
    out += std::to_string(node.Scalar().size()) + ":" + node.Scalar();
    return;
  default:
    head('N');
  }
}

class Reader {
public:
  explicit Reader(std::string_view s) : s_(s) {}

  YAML::Node node(int depth) {
    if (depth > 64) fail("nested too deep");
    char kind = next();
    if (kind != 'N' && kind != 'V' && kind != 'M' && kind != 'S') fail(std::string("unknown node kind '") + kind + "'");
    std::string tag(take(number(':')));
    YAML::Node n;
    if (kind == 'N') {
      n = YAML::Node(YAML::NodeType::Null);
    } else if (kind == 'V') {
      n = YAML::Node(std::string(take(number(':'))));
    } else if (kind == 'M') {
      size_t count = number('\n');
      n = YAML::Node(YAML::NodeType::Map);
      for (size_t i = 0; i < count; ++i) {
        YAML::Node key = node(depth + 1);
        n.force_insert(key, node(depth + 1));
      }
    } else {
      size_t count = number('\n');
      n = YAML::Node(YAML::NodeType::Sequence);
      for (size_t i = 0; i < count; ++i)
        n.push_back(node(depth + 1));
    }
    n.SetTag(tag);
    return n;
  }

  void end() const {
    if (at_ != s_.size()) fail("bytes after the document");
  }

private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::invalid_argument("node stream, byte " + std::to_string(at_) + ": " + what);
  }
  char next() {
    if (at_ >= s_.size()) fail("ends early");
    return s_[at_++];
  }
  // Decimal digits up to the end mark, which is consumed.
  size_t number(char end_mark) {
    size_t value = 0, digits = 0;
    for (char c = next(); c != end_mark; c = next()) {
      if (c < '0' || c > '9' || ++digits > 9) fail("bad number");
      value = value * 10 + size_t(c - '0');
    }
    if (digits == 0) fail("bad number");
    return value;
  }
  std::string_view take(size_t n) {
    if (n > s_.size() - at_) fail("ends early");
    std::string_view v = s_.substr(at_, n);
    at_ += n;
    return v;
  }

  std::string_view s_;
  size_t at_ = 0;
};

} // namespace

std::string write_node_stream(const YAML::Node& node) {
  std::string out;
  write(node, out);
  return out;
}

YAML::Node read_node_stream(std::string_view stream) {
  Reader r(stream);
  YAML::Node node = r.node(0);
  r.end();
  return node;
}

} // namespace authemu
