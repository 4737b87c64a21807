// components/sigma/include/sigma/varint.hpp — LEB128 variable-length integers,
// the glyph encoding of the codec: 7 bits a byte, low bits first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace perfgate::sigma {

/// The longest encoding of a 64-bit value.
inline constexpr std::size_t max_varint_bytes = 10;

/// Number of bytes varint_encode writes for `value` (1 to 10).
[[nodiscard]] constexpr std::size_t varint_size(std::uint64_t value) noexcept {
  std::size_t n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

/// Writes `value` at `out`, which must have room for varint_size(value) bytes;
/// returns the byte after the last one written.
inline std::uint8_t* varint_encode(std::uint64_t value, std::uint8_t* out) noexcept {
  // Most glyphs and lengths are below 128: one compare and one store.
  while (value >= 0x80) {
    *out++ = static_cast<std::uint8_t>(value | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<std::uint8_t>(value);
  return out;
}

/// Appends the encoding of `value` to `out`.
inline void varint_append(std::vector<std::uint8_t>& out, std::uint64_t value) {
  std::uint8_t tmp[max_varint_bytes];
  std::uint8_t* end = varint_encode(value, tmp);
  out.insert(out.end(), tmp, end);
}

/// Reads one varint from `in` starting at `pos`; advances `pos` past it.
/// Returns nullopt, leaving `pos` unchanged, when the input ends inside the
/// varint or the value does not fit in 64 bits (an 11th byte, or a 10th byte
/// above 1). Never reads outside `in`.
[[nodiscard]] inline std::optional<std::uint64_t> varint_decode(std::span<const std::uint8_t> in,
                                                                std::size_t& pos) noexcept {
  std::uint64_t value = 0;
  std::size_t p = pos;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (p >= in.size()) {
      return std::nullopt;
    }
    const std::uint8_t byte = in[p++];
    if (shift == 63 && byte > 1) {
      return std::nullopt;
    }
    value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      pos = p;
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace perfgate::sigma
