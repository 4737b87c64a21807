// components/safety/src/lexer.cpp — the shell lexer.
#include "lexer.hpp"

#include <algorithm>
#include <cstddef>

namespace perfgate::safety::detail {
namespace {

bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\r'; }

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Characters that end an unquoted word.
bool is_operator(char c) noexcept {
  return c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>' || c == '\n';
}

// Given s[open] == '(', returns the index of the matching ')' (or s.size()
// when it is missing), skipping parentheses inside quotes.
std::size_t matching_paren(std::string_view s, std::size_t open) noexcept {
  int depth = 0;
  for (std::size_t i = open; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\') {
      ++i;
    } else if (c == '\'') {
      const std::size_t close = s.find('\'', i + 1);
      i = close == std::string_view::npos ? s.size() : close;
    } else if (c == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\') {
          ++i;
        }
      }
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return i;
    }
  }
  return s.size();
}

class Lexer {
 public:
  Lexer(std::string_view s, Lexed& out) : m_s(s), m_out(out) {
    // Unquoting only shortens text, so this reservation is never outgrown and
    // the views handed out into the arena stay valid.
    m_out.arena.reserve(s.size());
  }

  void run() {
    while (m_i < m_s.size()) {
      const char c = m_s[m_i];
      if (is_blank(c)) {
        ++m_i;
      } else if (c == '#') {
        while (m_i < m_s.size() && m_s[m_i] != '\n') {
          ++m_i;
        }
      } else if (c == '\n' || c == ';') {
        separator(Separator::sequence, 1);
      } else if (c == '&') {
        if (next_is('&')) {
          separator(Separator::and_if, 2);
        } else if (next_is('>')) {
          m_i += 2;
          redirect(match('>') ? Redirect::append : Redirect::write);
        } else {
          separator(Separator::background, 1);
        }
      } else if (c == '|') {
        separator(next_is('|') ? Separator::or_if : Separator::pipe, next_is('|') || next_is('&') ? 2 : 1);
      } else if (c == '(') {
        separator(Separator::open_group, 1);
      } else if (c == ')') {
        separator(Separator::close_group, 1);
      } else if ((c == '<' || c == '>') && next_is('(')) {
        word();  // process substitution: a word whose content is a command
      } else if (c == '<' || c == '>') {
        redirection_operator();
      } else if (is_digit(c) && fd_redirect_follows()) {
        while (is_digit(m_s[m_i])) {
          ++m_i;
        }
        redirection_operator();
      } else {
        word();
      }
    }
  }

 private:
  bool next_is(char c) const noexcept { return m_i + 1 < m_s.size() && m_s[m_i + 1] == c; }

  bool match(char c) noexcept {
    if (m_i < m_s.size() && m_s[m_i] == c) {
      ++m_i;
      return true;
    }
    return false;
  }

  // "2>file", "10>>log": digits glued to a redirection operator.
  bool fd_redirect_follows() const noexcept {
    std::size_t j = m_i;
    while (j < m_s.size() && is_digit(m_s[j])) {
      ++j;
    }
    return j < m_s.size() && (m_s[j] == '>' || m_s[j] == '<');
  }

  void separator(Separator sep, std::size_t width) {
    Token t;
    t.kind = TokenKind::separator;
    t.separator = sep;
    m_out.tokens.push_back(t);
    m_i += width;
  }

  void redirect(Redirect r) {
    Token t;
    t.kind = TokenKind::redirect;
    t.redirect = r;
    m_out.tokens.push_back(t);
  }

  // At '<' or '>' (fd digits already consumed).
  void redirection_operator() {
    if (m_s[m_i] == '>') {
      ++m_i;
      if (match('>')) {
        redirect(Redirect::append);
      } else if (m_i < m_s.size() && m_s[m_i] == '&') {
        // >&2 and >&- duplicate descriptors; ">& file" is bash for &> file.
        ++m_i;
        if (m_i < m_s.size() && (is_digit(m_s[m_i]) || m_s[m_i] == '-')) {
          while (m_i < m_s.size() && (is_digit(m_s[m_i]) || m_s[m_i] == '-')) {
            ++m_i;
          }
          redirect(Redirect::dup);
        } else {
          redirect(Redirect::write);
        }
      } else {
        match('|');
        redirect(Redirect::write);
      }
    } else {
      ++m_i;
      if (match('&')) {
        while (m_i < m_s.size() && (is_digit(m_s[m_i]) || m_s[m_i] == '-')) {
          ++m_i;
        }
        redirect(Redirect::dup);
      } else {
        match('<');
        match('<');
        redirect(Redirect::read);
      }
    }
  }

  // Copies a $(…), <(…) or >(…) starting at m_i (the '$', '<' or '>') raw into
  // the word and records its inner command.
  void substitution() {
    const std::size_t open = m_i + 1;
    const std::size_t close = matching_paren(m_s, open);
    m_out.nested.push_back(m_s.substr(open + 1, close - open - 1));
    const std::size_t end = close < m_s.size() ? close + 1 : close;
    m_out.arena.append(m_s.substr(m_i, end - m_i));
    m_i = end;
  }

  void backticks() {
    const std::size_t close = m_s.find('`', m_i + 1);
    const std::size_t end = close == std::string_view::npos ? m_s.size() : close;
    m_out.nested.push_back(m_s.substr(m_i + 1, end - m_i - 1));
    m_out.arena.append(m_s.substr(m_i, std::min(end + 1, m_s.size()) - m_i));
    m_i = std::min(end + 1, m_s.size());
  }

  void word() {
    const std::size_t start = m_out.arena.size();
    bool first = true;
    while (m_i < m_s.size()) {
      const char c = m_s[m_i];
      if (first && (c == '<' || c == '>')) {
        substitution();
      } else if (is_blank(c) || is_operator(c)) {
        break;
      } else if (c == '\\') {
        // A backslash-newline continues the line; any other escaped character is itself.
        if (m_i + 1 < m_s.size() && m_s[m_i + 1] != '\n') {
          m_out.arena.push_back(m_s[m_i + 1]);
        }
        m_i += 2;
      } else if (c == '\'') {
        const std::size_t close = m_s.find('\'', m_i + 1);
        const std::size_t end = close == std::string_view::npos ? m_s.size() : close;
        m_out.arena.append(m_s.substr(m_i + 1, end - m_i - 1));
        m_i = end + 1;
      } else if (c == '"') {
        double_quoted();
      } else if (c == '$' && next_is('(')) {
        substitution();
      } else if (c == '`') {
        backticks();
      } else {
        m_out.arena.push_back(c);
        ++m_i;
      }
      first = false;
    }
    Token t;
    t.kind = TokenKind::word;
    t.text = std::string_view(m_out.arena).substr(start);
    m_out.tokens.push_back(t);
  }

  void double_quoted() {
    ++m_i;
    while (m_i < m_s.size() && m_s[m_i] != '"') {
      const char c = m_s[m_i];
      if (c == '\\' && m_i + 1 < m_s.size()) {
        const char n = m_s[m_i + 1];
        if (n == '$' || n == '`' || n == '"' || n == '\\') {
          m_out.arena.push_back(n);
        } else if (n != '\n') {
          m_out.arena.push_back(c);
          m_out.arena.push_back(n);
        }
        m_i += 2;
      } else if (c == '$' && next_is('(')) {
        substitution();
      } else if (c == '`') {
        backticks();
      } else {
        m_out.arena.push_back(c);
        ++m_i;
      }
    }
    ++m_i;  // the closing quote, or past the end when there is none
  }

  std::string_view m_s;
  Lexed& m_out;
  std::size_t m_i = 0;
};

}  // namespace

void lex(std::string_view line, Lexed& out) {
  out.clear();
  Lexer(line, out).run();
}

}  // namespace perfgate::safety::detail
