// gate/src/policy/glob.cpp — compiling and matching glob patterns.
#include "policy/glob.hpp"

#include <fmt/format.h>

#include "gate/error.hpp"

namespace gate::detail {
namespace {

unsigned char byte(char c) { return static_cast<unsigned char>(c); }

}  // namespace

Glob::Glob(std::string_view pattern) : m_pattern(pattern) {
  auto add_literal = [this](char c) {
    if (m_tokens.empty() || m_tokens.back().kind != Token::Kind::literal) {
      m_tokens.push_back({Token::Kind::literal, {}, {}});
    }
    m_tokens.back().literal += c;
  };
  std::size_t i = 0;
  while (i < pattern.size()) {
    char c = pattern[i++];
    if (c == '\\') {
      if (i == pattern.size()) throw Error("trailing backslash");
      add_literal(pattern[i++]);
    } else if (c == '*') {
      m_plain = false;
      // "**" means the same as "*"; one token keeps matching linear.
      if (m_tokens.empty() || m_tokens.back().kind != Token::Kind::any_run) {
        m_tokens.push_back({Token::Kind::any_run, {}, {}});
      }
    } else if (c == '?') {
      m_plain = false;
      m_tokens.push_back({Token::Kind::any_one, {}, {}});
    } else if (c == '[') {
      m_plain = false;
      Token set{Token::Kind::set, {}, {}};
      bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
      if (negate) ++i;
      bool first = true;
      bool closed = false;
      while (i < pattern.size()) {
        char lo = pattern[i++];
        if (lo == ']' && !first) {
          closed = true;
          break;
        }
        first = false;
        if (lo == '\\') {
          if (i == pattern.size()) break;
          lo = pattern[i++];
        }
        char hi = lo;
        if (i + 1 < pattern.size() && pattern[i] == '-' && pattern[i + 1] != ']') {
          hi = pattern[i + 1];
          i += 2;
          if (hi == '\\') {
            if (i == pattern.size()) break;
            hi = pattern[i++];
          }
          if (byte(hi) < byte(lo)) throw Error(fmt::format("empty range '{}-{}' in a set", lo, hi));
        }
        for (unsigned b = byte(lo); b <= byte(hi); ++b) set.members.set(b);
      }
      if (!closed) throw Error("unclosed '['");
      if (negate) set.members.flip();
      m_tokens.push_back(std::move(set));
    } else {
      add_literal(c);
    }
  }
}

bool Glob::matches(std::string_view name) const {
  if (m_plain) {
    return m_tokens.empty() ? name.empty() : name == m_tokens.front().literal;
  }
  // Iterative matching with one backtrack point: every token but `*` has a
  // fixed length, so on a mismatch it is enough to let the most recent `*`
  // swallow one more byte. Worst case O(pattern × name), no recursion.
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t t = 0;
  std::size_t p = 0;
  std::size_t star_token = none;
  std::size_t star_pos = 0;
  const std::size_t n = m_tokens.size();
  while (p < name.size() || t < n) {
    if (t < n) {
      const Token& tok = m_tokens[t];
      switch (tok.kind) {
        case Token::Kind::any_run:
          star_token = t;
          star_pos = p;
          ++t;
          continue;
        case Token::Kind::literal:
          if (name.substr(p).starts_with(tok.literal)) {
            p += tok.literal.size();
            ++t;
            continue;
          }
          break;
        case Token::Kind::any_one:
          if (p < name.size()) {
            ++p;
            ++t;
            continue;
          }
          break;
        case Token::Kind::set:
          if (p < name.size() && tok.members.test(byte(name[p]))) {
            ++p;
            ++t;
            continue;
          }
          break;
      }
    }
    if (star_token != none && star_pos < name.size()) {
      ++star_pos;
      p = star_pos;
      t = star_token + 1;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace gate::detail
