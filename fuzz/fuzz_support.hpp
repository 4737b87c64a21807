// fuzz/fuzz_support.hpp — what the reader targets check alike: a finding
// aborts with a message (libFuzzer then saves the input), and every
// gate::Error a reader raises must be one located line of the form
// "<source>:<line>:<col>: <what>" without a raw control character.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "gate/error.hpp"

namespace gate::fuzz {

[[noreturn]] inline void finding(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "fuzz finding: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

inline bool is_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

/// `message` is "<source>:<line>:<col>: <what>", or "<source>: <what>" when
/// `position_optional` (a whole-file fact: empty, no such key), and one line.
inline void check_error_line(std::string_view message, std::string_view source, bool position_optional = false) {
  for (char c : message) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) finding("raw control character in an error", message);
  }
  if (!message.starts_with(source) || message.size() <= source.size() || message[source.size()] != ':') {
    finding("error without the file's name", message);
  }
  std::string_view rest = message.substr(source.size() + 1);
  if (position_optional && rest.starts_with(" ")) return;
  auto colon = rest.find(':');
  auto space = rest.find(": ");
  if (colon == std::string_view::npos || space == std::string_view::npos || colon >= space ||
      !is_digits(rest.substr(0, colon)) || !is_digits(rest.substr(colon + 1, space - colon - 1))) {
    finding("error without a line and column", message);
  }
}

inline void check_error(const Error& e, std::string_view source, bool position_optional = false) {
  check_error_line(e.what(), source, position_optional);
}

}  // namespace gate::fuzz
