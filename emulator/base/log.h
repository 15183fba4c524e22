// One line per event on stderr, with a UTC timestamp. Callers must never pass secrets, codes or
// tokens: request lines carry the method, the path (no query string), the status and the time.
#pragma once
#include <string>

namespace authemu {

void log_line(const std::string& message);

}  // namespace authemu
