// gate/src/formats/text_location.cpp — line index, UTF-8 sequences and the
// escaping of file text in messages.
#include "formats/text_location.hpp"

#include <algorithm>
#include <cstdint>

namespace gate::detail {
namespace {

constexpr char k_hex[] = "0123456789abcdef";

void append_hex_byte(std::string& out, unsigned char byte) {
  out += "\\x";
  out += k_hex[byte >> 4];
  out += k_hex[byte & 0xF];
}

// Code points above U+007F that a terminal or a renderer acts on rather
// than shows: they could end a line or reorder the text around them.
bool hidden_code_point(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x200E || cp == 0x200F || cp == 0x2028 || cp == 0x2029 ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

std::uint32_t decode(std::string_view text, std::size_t at, std::size_t length) {
  auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(text[at + k])); };
  switch (length) {
    case 2: return ((byte(0) & 0x1F) << 6) | (byte(1) & 0x3F);
    case 3: return ((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
    case 4: return ((byte(0) & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) | (byte(3) & 0x3F);
    default: return byte(0);
  }
}

}  // namespace

LineIndex::LineIndex(std::string_view text) : m_size(text.size()) {
  m_starts.push_back(0);
  for (std::size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1)) {
    m_starts.push_back(i + 1);
  }
}

TextLocation LineIndex::locate(std::size_t offset) const {
  offset = std::min(offset, m_size);
  // The last line start at or before the offset.
  auto after = std::upper_bound(m_starts.begin(), m_starts.end(), offset);
  auto line = static_cast<std::size_t>(after - m_starts.begin());
  return {line, offset - m_starts[line - 1] + 1};
}

std::size_t utf8_length(std::string_view text, std::size_t at) {
  if (at >= text.size()) return 0;
  auto byte = [&](std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u; };
  unsigned lead = byte(at);
  if (lead < 0x80) return 1;
  unsigned lo = 0x80, hi = 0xBF;
  std::size_t more = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    more = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    more = 2;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    more = 3;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  for (std::size_t k = 1; k <= more; ++k) {
    unsigned b = byte(at + k);  // 0 past the end: never a continuation byte
    if (b < (k == 1 ? lo : 0x80u) || b > (k == 1 ? hi : 0xBFu)) return 0;
  }
  return more + 1;
}

std::string escape_for_message(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c < 0x80) {
      switch (c) {
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: append_hex_byte(out, c); break;
      }
      ++i;
      continue;
    }
    std::size_t length = utf8_length(text, i);
    if (length == 0) {
      append_hex_byte(out, c);
      ++i;
      continue;
    }
    std::uint32_t cp = decode(text, i, length);
    if (hidden_code_point(cp)) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += k_hex[(cp >> shift) & 0xF];
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

}  // namespace gate::detail
