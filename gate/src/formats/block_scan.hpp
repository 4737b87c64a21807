// gate/src/formats/block_scan.hpp — finding the end of a plain run of a
// JSON string, or of a run of spaces, a block of bytes at a time: a results
// file is mostly keys, names and indentation, and a byte-by-byte loop cost
// more than the rest of the parse (json_reader.cpp). Each function gives the
// offset of the first byte of the block at p that it looks for, or k_block
// when there is none; the caller reads a block only where k_block bytes
// remain, and byte by byte after.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gate::detail::block_scan {

#if defined(__SSE2__)

// Sixteen bytes with SSE2, which every x86-64 has.
inline constexpr std::size_t k_block = 16;
inline constexpr bool k_blocks = true;

inline __m128i load16(const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }

inline std::size_t first_set(unsigned mask) {
  return mask == 0 ? k_block : static_cast<std::size_t>(std::countr_zero(mask));
}

/// The first byte that ends a plain run of a string: '"', '\\', a control
/// character or a byte of 0x80 and above. As signed bytes the last are
/// negative: one comparison finds them with the control characters.
inline std::size_t plain_string_bytes(const char* p) {
  const __m128i x = load16(p);
  const __m128i quote = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
  const __m128i below_space = _mm_cmplt_epi8(x, _mm_set1_epi8(0x20));
  const __m128i found = _mm_or_si128(_mm_or_si128(quote, backslash), below_space);
  return first_set(static_cast<unsigned>(_mm_movemask_epi8(found)));
}

/// The first byte that is not a space.
inline std::size_t leading_spaces(const char* p) {
  const auto spaces = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(load16(p), _mm_set1_epi8(' '))));
  return first_set(~spaces & 0xFFFFu);
}

#else

// Eight bytes in a 64-bit word (SWAR) elsewhere. Each mask has the high bit
// set in the bytes it finds; a borrow can set it falsely only in bytes above
// a true one, so the lowest set bit is exact.
inline constexpr std::size_t k_block = 8;
inline constexpr bool k_blocks = std::endian::native == std::endian::little;
inline constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
inline constexpr std::uint64_t k_highs = 0x8080808080808080ULL;

inline std::uint64_t load8(const char* p) {
  std::uint64_t w = 0;
  std::memcpy(&w, p, sizeof w);
  return w;
}

/// Bytes below `n` (n ≤ 0x80), or all zero bytes with n = 1.
constexpr std::uint64_t bytes_below(std::uint64_t w, unsigned char n) { return (w - k_ones * n) & ~w & k_highs; }

inline std::size_t first_set(std::uint64_t mask) {
  return mask == 0 ? k_block : static_cast<std::size_t>(std::countr_zero(mask)) / 8;
}

/// The first byte that ends a plain run of a string: '"', '\\', a control
/// character or a byte of 0x80 and above.
inline std::size_t plain_string_bytes(const char* p) {
  const std::uint64_t w = load8(p);
  return first_set(bytes_below(w ^ (k_ones * '"'), 1) | bytes_below(w ^ (k_ones * '\\'), 1) | bytes_below(w, 0x20) |
                   (w & k_highs));
}

/// The first byte that is not a space.
inline std::size_t leading_spaces(const char* p) {
  const std::uint64_t x = load8(p) ^ (k_ones * ' ');
  // The high bit of each non-zero byte, without borrows: exact in every byte.
  return first_set((((x & ~k_highs) + ~k_highs) | x) & k_highs);
}

#endif

}  // namespace gate::detail::block_scan
