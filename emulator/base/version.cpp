#include "base/version.h"

#ifndef AUTHEMU_VERSION
#define AUTHEMU_VERSION "0.1.0"
#endif

namespace authemu {

std::string version_string() {
  return AUTHEMU_VERSION;
}

} // namespace authemu
