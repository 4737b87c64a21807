// gate/src/policy/glob.hpp — shell-style patterns for benchmark and suite names,
// compiled once and matched many times.
#pragma once

#include <bitset>
#include <string>
#include <string_view>
#include <vector>

namespace gate::detail {

/// A compiled glob. Syntax: `*` any run of bytes (including `/`, so
/// "BM_Sort*" matches "BM_Sort/1024/threads:4"), `?` one byte, `[abc]`,
/// `[a-z]` a set, `[!a]` or `[^a]` its complement (a `]` right after the
/// opening bracket or its `!` is literal), `\x` a literal x. Anything else
/// matches itself. The whole name must match. Matching works on bytes and
/// costs no allocation.
class Glob {
 public:
  /// Throws gate::Error with the cause alone ("unclosed '['") when the
  /// pattern is malformed; the caller adds where the pattern came from.
  explicit Glob(std::string_view pattern);

  [[nodiscard]] bool matches(std::string_view name) const;
  [[nodiscard]] const std::string& pattern() const { return m_pattern; }

 private:
  struct Token {
    enum class Kind { literal, any_one, any_run, set } kind;
    std::string literal;       ///< for literal
    std::bitset<256> members;  ///< for set, complement already applied
  };
  std::string m_pattern;
  std::vector<Token> m_tokens;
  bool m_plain = true;  ///< no wildcard at all: a string comparison
};

}  // namespace gate::detail
