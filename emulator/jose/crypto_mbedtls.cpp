#include "jose/crypto_mbedtls.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>
#include <thread>

#include "base/base64.h"

namespace authemu::crypto_detail {

void check(int ret, const char* function) {
  if (ret != 0) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "%s failed: -0x%04x", function, static_cast<unsigned>(-ret));
    throw CryptoError(buf);
  }
}

void init_psa() {
  static std::once_flag once;
  std::call_once(once, [] { check(psa_crypto_init(), "psa_crypto_init"); });
}

SharedDrbg& shared_drbg() {
  static SharedDrbg instance;
  return instance;
}

std::string mpi_bytes(const mbedtls_mpi& n) {
  std::string out(mbedtls_mpi_size(&n), '\0');
  check(mbedtls_mpi_write_binary(&n, reinterpret_cast<unsigned char*>(out.data()), out.size()),
        "mbedtls_mpi_write_binary");
  return out;
}

void parse_private_der(Pk& pk, const std::string& der, Drbg& drbg) {
  check(mbedtls_pk_parse_key(&pk.ctx, reinterpret_cast<const unsigned char*>(der.data()), der.size(), nullptr, 0,
                             Drbg::callback, &drbg),
        "mbedtls_pk_parse_key");
}

namespace {

// The DER of a lone PEM block (RFC 7468 §2) whose text is public: decoded by the plain base64 decoder
// rather than mbedTLS's constant-time one, ~0.45 M instructions less for an RSA-2048 key. Nothing
// when it is not one such block: mbedTLS then reads it and names what is wrong.
std::optional<std::string> public_pem_der(std::string_view pem) {
  size_t begin = pem.find("-----BEGIN ");
  if (begin == std::string_view::npos) return std::nullopt;
  size_t body = pem.find('\n', begin);
  size_t end = pem.find("-----END ", begin);
  if (body == std::string_view::npos || end == std::string_view::npos || end < body) return std::nullopt;
  std::string text;
  for (char c : pem.substr(body + 1, end - body - 1)) {
    if (c == ':') return std::nullopt; // RFC 1421 headers: an encrypted key
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') text += c;
  }
  return base64_decode(text);
}

} // namespace

void parse_private_pem(Pk& pk, std::string_view pem, const char* kinds, Secrecy secrecy) {
  Drbg drbg;
  if (secrecy == Secrecy::published) {
    auto der = public_pem_der(pem);
    if (der && mbedtls_pk_parse_key(&pk.ctx, bytes(*der), der->size(), nullptr, 0, Drbg::callback, &drbg) == 0) return;
    mbedtls_pk_free(&pk.ctx);
    mbedtls_pk_init(&pk.ctx);
  }
  std::string text(pem); // mbedTLS wants PEM NUL-terminated, with the NUL counted
  int ret = mbedtls_pk_parse_key(&pk.ctx, reinterpret_cast<const unsigned char*>(text.c_str()), text.size() + 1,
                                 nullptr, 0, Drbg::callback, &drbg);
  if (ret != 0) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "not a %s PEM private key (mbedtls_pk_parse_key: -0x%04x)", kinds,
                  static_cast<unsigned>(-ret));
    throw CryptoError(buf);
  }
}

std::string private_der(Pk& pk) {
  std::string der(8192, '\0');
  int len = mbedtls_pk_write_key_der(&pk.ctx, reinterpret_cast<unsigned char*>(der.data()), der.size());
  if (len < 0) check(len, "mbedtls_pk_write_key_der");
  return der.substr(der.size() - size_t(len));
}

Slots make_slots(const std::string& der) {
  Slots slots;
  unsigned count = std::clamp(std::thread::hardware_concurrency(), 1u, 16u);
  for (unsigned i = 0; i < count; ++i) {
    auto slot = std::make_unique<Slot>();
    parse_private_der(slot->pk, der, slot->drbg);
    slots.push_back(std::move(slot));
  }
  return slots;
}

Slot& take_slot(const Slots& slots, std::unique_lock<std::mutex>& lock) {
  size_t start = std::hash<std::thread::id>()(std::this_thread::get_id()) % slots.size();
  for (bool ready_only : {true, false}) {
    for (size_t i = 0; i < slots.size(); ++i) {
      Slot* candidate = slots[(start + i) % slots.size()].get();
      if (ready_only && !candidate->ready.load(std::memory_order_acquire)) continue;
      std::unique_lock<std::mutex> attempt(candidate->mutex, std::try_to_lock);
      if (attempt.owns_lock()) {
        lock = std::move(attempt);
        return *candidate;
      }
    }
  }
  lock = std::unique_lock<std::mutex>(slots[start]->mutex);
  return *slots[start];
}

size_t ready_slots(const Slots& slots) {
  return size_t(std::count_if(slots.begin(), slots.end(),
                              [](const auto& slot) { return slot->ready.load(std::memory_order_acquire); }));
}

} // namespace authemu::crypto_detail
