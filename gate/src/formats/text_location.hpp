// gate/src/formats/text_location.hpp — how an error message shows a place in a
// text and a piece of it: a byte offset as "line:column" (both 1-based,
// columns in bytes), and file text escaped so that one error stays one line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gate::detail {

struct TextLocation {
  std::size_t line = 1;
  std::size_t column = 1;
};

/// The line and column of `offset`, counting from the start: cheap enough for
/// one message. Offsets past the end are clamped to the end of the text. A
/// line ends at '\n' only.
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

/// locate() for a reader that records many locations (the policy gives every
/// limit its origin): the line starts are found once, then each offset costs
/// a binary search instead of a pass over the text before it.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  /// Same answer as locate(text, offset).
  [[nodiscard]] TextLocation locate(std::size_t offset) const;

 private:
  std::size_t m_size;
  std::vector<std::size_t> m_starts;  ///< offset of the first byte of each line; m_starts[0] == 0
};

/// Length (1 to 4) of the well-formed UTF-8 sequence that starts at `at`, or
/// 0 when the bytes there are ill-formed or cut short. The ranges are those of
/// the Unicode standard's table 3-7: no overlong forms, no surrogates,
/// nothing above U+10FFFF.
[[nodiscard]] std::size_t utf8_length(std::string_view text, std::size_t at);

/// `text` made safe to stand inside a one-line message: C0 control
/// characters and DEL as \n, \r, \t or \xNN; bytes that are not well-formed
/// UTF-8 as \xNN; C1 controls, the line and paragraph separators (U+2028,
/// U+2029) and the bidirectional marks, embeddings, overrides and isolates
/// (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) as \uNNNN. Everything else,
/// other UTF-8 included, is kept as it is. Readers pass every message through
/// this, because messages quote file content (names, keys, values).
[[nodiscard]] std::string escape_for_message(std::string_view text);

/// `s` without the spaces and tabs around it, and a trailing '\r' (callgrind
/// output written on Windows).
[[nodiscard]] inline std::string_view trim_line(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace gate::detail
