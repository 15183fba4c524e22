#include "jose/crypto_mbedtls.h"

namespace authemu {

using namespace crypto_detail;

std::string sha256(std::string_view data) {
  std::string out(32, '\0');
  check(mbedtls_sha256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                       reinterpret_cast<unsigned char*>(out.data()), 0),
        "mbedtls_sha256");
  return out;
}

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  auto& shared = shared_drbg();
  std::lock_guard<std::mutex> lock(shared.mutex);
  check(Drbg::callback(&shared.drbg, reinterpret_cast<unsigned char*>(out.data()), n), "mbedtls_ctr_drbg_random");
  return out;
}

namespace {

// RFC 9562 §4: 16 bytes with version and variant set, in the 8-4-4-4-12 text form.
std::string uuid_text(std::string b, int version) {
  b[6] = char((uint8_t(b[6]) & 0x0f) | (version << 4));
  b[8] = char((uint8_t(b[8]) & 0x3f) | 0x80); // variant 10
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[uint8_t(b[i]) >> 4];
    out += kHex[uint8_t(b[i]) & 15];
  }
  return out;
}

} // namespace

std::string uuid_v4() {
  return uuid_text(random_bytes(16), 4);
}

std::string uuid_v5(std::string_view name) {
  // RFC 9562 §5.5 with the URL namespace (6ba7b811-9dad-11d1-80b4-00c04fd430c8, §6.6).
  static const unsigned char kUrlNamespace[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                                  0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  std::string input(reinterpret_cast<const char*>(kUrlNamespace), 16);
  input.append(name);
  unsigned char digest[20];
  check(mbedtls_sha1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest), "mbedtls_sha1");
  return uuid_text(std::string(reinterpret_cast<const char*>(digest), 16), 5);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::string out(32, '\0');
  check(mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), bytes(key), key.size(), bytes(data), data.size(),
                        reinterpret_cast<unsigned char*>(out.data())),
        "mbedtls_md_hmac");
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return mbedtls_ct_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace authemu
