// src/checksum.cpp — FNV-1a and Adler-32, byte by byte.
#include "checksum/checksum.hpp"

namespace checksum {

std::uint32_t fnv1a(std::string_view data) noexcept {
  std::uint32_t hash = 2166136261U;
  for (const char c : data) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619U;
  }
  return hash;
}

std::uint32_t adler32(std::string_view data) noexcept {
  constexpr std::uint32_t k_modulus = 65521U;
  std::uint32_t a = 1;
  std::uint32_t b = 0;
  for (const char c : data) {
    a = (a + static_cast<unsigned char>(c)) % k_modulus;
    b = (b + a) % k_modulus;
  }
  return (b << 16) | a;
}

}  // namespace checksum
