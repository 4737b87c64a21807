// checksum/checksum.hpp — two 32-bit checksums of a byte string.
#pragma once

#include <cstdint>
#include <string_view>

namespace checksum {

/// FNV-1a, 32 bits (offset basis 2166136261, prime 16777619).
[[nodiscard]] std::uint32_t fnv1a(std::string_view data) noexcept;

/// Adler-32 as zlib computes it (modulus 65521); 1 for empty input.
[[nodiscard]] std::uint32_t adler32(std::string_view data) noexcept;

}  // namespace checksum
