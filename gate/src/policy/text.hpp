// gate/src/policy/text.hpp — the two small text operations the policy's
// limits, targets and reader share: trimming and ASCII lower case.
#pragma once

#include <string>
#include <string_view>

namespace gate::detail {

/// `s` without leading and trailing spaces, tabs and line ends.
inline std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

/// `s` with A-Z lowered; other bytes unchanged.
inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace gate::detail
