// The one error type of start-up (options, fixtures, keys): "where: what", printed by main as one
// line before exiting non-zero. While serving, only the reading of an environment made at run time
// throws it, and the admin API answers it as VALIDATION.
#pragma once
#include <stdexcept>
#include <string>

namespace authemu {

class ConfigError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace authemu
