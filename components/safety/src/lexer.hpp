// components/safety/src/lexer.hpp — private: splits a command line into words,
// separators and redirections the way a POSIX shell would, without expanding
// anything, and remembers the commands nested in $(…), `…` and <(…).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace perfgate::safety::detail {

enum class TokenKind : std::uint8_t { word, separator, redirect };

enum class Separator : std::uint8_t { sequence, and_if, or_if, pipe, background, open_group, close_group };

enum class Redirect : std::uint8_t {
  write,   ///< > >| &> N>   (truncates its target)
  append,  ///< >> &>> N>>
  read,    ///< < << <<< N<
  dup,     ///< >&N N>&M <&N (no file target)
};

struct Token {
  TokenKind kind = TokenKind::word;
  Separator separator = Separator::sequence;  ///< when kind == separator
  Redirect redirect = Redirect::write;        ///< when kind == redirect
  std::string_view text;                      ///< a word with its quotes removed
};

/// The result of lexing. Views point into `arena` (words) and into the
/// lexed input (nested commands), so both must outlive their use.
struct Lexed {
  std::vector<Token> tokens;
  std::vector<std::string_view> nested;  ///< inner text of $(…), `…`, <(…), >(…)
  std::string arena;

  void clear() noexcept {
    tokens.clear();
    nested.clear();
    arena.clear();
  }
};

/// Lexes `line` into `out` (cleared first). Lenient: an unterminated quote or
/// substitution runs to the end of the line, as if closed there.
void lex(std::string_view line, Lexed& out);

}  // namespace perfgate::safety::detail
