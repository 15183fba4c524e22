// One line per event on stderr, with a UTC timestamp. Callers must never pass secrets, codes or
// tokens: request lines carry the method, the path (no query string), the status and the time.
#pragma once
#include <string>

namespace authemu {

// Writes one line; control characters (and backslashes) in message are escaped first, so no
// client-sent byte can forge a line or drive the terminal.
void log_line(const std::string& message);
// The escaping: \n, \r, \t, \\, other bytes below 0x20 and 0x7f as \xNN; the rest as it is.
std::string escape_log(const std::string& text);

} // namespace authemu
