// fuzz/callgrind_profile_fuzz.cpp — libFuzzer target: any bytes as a callgrind
// output file, through the whole-profile reader (and gzip, when the bytes
// start like a gzip stream). A finding is a sanitizer report, an exception
// other than gate::Error, an error that is not one located line, or a function
// without one self and one inclusive count per event.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gate/error.hpp"
#include "gate/formats/callgrind_profile.hpp"

namespace {

constexpr std::string_view k_source = "fuzz.out";

[[noreturn]] void finding(std::string_view what, std::string_view message) {
  std::fprintf(stderr, "callgrind_profile_fuzz: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(message.size()), message.data());
  std::abort();
}

bool is_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// "fuzz.out:<line>:<col>: <what>", without a control character.
void check_error(std::string_view m) {
  for (char c : m) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) finding("raw control character in an error", m);
  }
  // A damaged gzip stream is refused before any line is read: no line, no column.
  if (m.starts_with(std::string(k_source) + ": damaged gzip data")) return;
  if (!m.starts_with(k_source) || m.size() <= k_source.size() || m[k_source.size()] != ':') {
    finding("error without the file's name", m);
  }
  std::string_view rest = m.substr(k_source.size() + 1);
  auto colon = rest.find(':');
  auto space = rest.find(": ");
  if (colon == std::string_view::npos || space == std::string_view::npos || colon >= space ||
      !is_digits(rest.substr(0, colon)) || !is_digits(rest.substr(colon + 1, space - colon - 1))) {
    finding("error without a line and column", m);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const std::string text = gate::gzip_decompress(bytes, std::string(k_source));
    const gate::Profile p = gate::parse_callgrind_profile(text, std::string(k_source));
    for (const auto& f : p.functions) {
      if (f.self.size() != p.events.size() || f.inclusive.size() != p.events.size()) {
        finding("counts not one per event", f.name);
      }
    }
  } catch (const gate::Error& e) {
    check_error(e.what());
  } catch (const std::exception& e) {
    finding("exception other than gate::Error", e.what());
  }
  return 0;
}
