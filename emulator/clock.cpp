#include "clock.h"

#include <ctime>

namespace authemu {

int64_t SystemClock::now() const { return static_cast<int64_t>(std::time(nullptr)); }

}  // namespace authemu
