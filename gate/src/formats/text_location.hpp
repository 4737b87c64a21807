// gate/src/formats/text_location.hpp — turns a byte offset in a text into the
// "line:column" that error messages show (both 1-based, columns in bytes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gate::detail {

struct TextLocation {
  std::size_t line = 1;
  std::size_t column = 1;
};

/// Offsets past the end are clamped to the end of the text.
inline TextLocation locate(std::string_view text, std::size_t offset) {
  if (offset > text.size()) offset = text.size();
  TextLocation loc;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++loc.line;
      loc.column = 1;
    } else {
      ++loc.column;
    }
  }
  return loc;
}

inline std::string to_string(TextLocation loc) {
  return std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

}  // namespace gate::detail
