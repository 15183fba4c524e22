// DER writing (X.690): one element from its tag and contents. Readers stay with their formats.
#pragma once
#include <string>
#include <string_view>

namespace authemu {

// X.690 §8.1: tag, definite length (short or long form), contents.
std::string der_tlv(unsigned char tag, std::string_view contents);

} // namespace authemu
