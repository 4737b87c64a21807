// components/braid/src/tokens.cpp — cutting text into model-sized tokens.
#include "braid/tokens.hpp"

namespace perfgate::braid {
namespace {

bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

constexpr std::size_t k_piece = 4;

}  // namespace

std::vector<std::string_view> split_tokens(std::string_view text) {
  std::vector<std::string_view> out;
  out.reserve(text.size() / 3 + 1);
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    if (text[i] == '\n') {
      ++i;
      while (i < text.size() && is_blank(text[i])) {
        ++i;
      }
      out.push_back(text.substr(start, i - start));
      continue;
    }
    if (is_blank(text[i])) {
      std::size_t end = i;
      while (end < text.size() && is_blank(text[end])) {
        ++end;
      }
      // A single space before a word is the word's; longer runs stand alone.
      if (end - i == 1 && end < text.size() && is_word(text[end])) {
        i = end;
      } else {
        out.push_back(text.substr(start, end - start));
        i = end;
        continue;
      }
    }
    if (is_word(text[i])) {
      std::size_t end = i;
      while (end < text.size() && is_word(text[end])) {
        ++end;
      }
      // The first piece may carry the space; every piece has at most k_piece word bytes.
      std::size_t from = start;
      while (i < end) {
        const std::size_t take = end - i < k_piece ? end - i : k_piece;
        i += take;
        out.push_back(text.substr(from, i - from));
        from = i;
      }
      continue;
    }
    ++i;
    out.push_back(text.substr(start, 1));
  }
  return out;
}

}  // namespace perfgate::braid
