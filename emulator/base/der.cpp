#include "base/der.h"

namespace authemu {

std::string der_tlv(unsigned char tag, std::string_view contents) {
  std::string out(1, static_cast<char>(tag));
  size_t n = contents.size();
  if (n < 0x80) {
    out += static_cast<char>(n);
  } else {
    std::string len;
    for (; n > 0; n >>= 8)
      len.insert(len.begin(), static_cast<char>(n & 0xff));
    out += static_cast<char>(0x80 | len.size());
    out += len;
  }
  out.append(contents);
  return out;
}

} // namespace authemu
