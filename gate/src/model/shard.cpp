// gate/src/model/shard.cpp — shards of a run: parsing "i/n" and the split.
#include "gate/model/shard.hpp"

#include <charconv>
#include <cstdint>
#include <system_error>

#include <fmt/core.h>

#include "gate/error.hpp"

namespace gate {
namespace {

bool parse_int(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

Shard parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  Shard s;
  if (slash == std::string_view::npos || !parse_int(text.substr(0, slash), s.index) ||
      !parse_int(text.substr(slash + 1), s.count)) {
    throw Error(fmt::format("--shard '{}': expected i/n, such as 1/4", text));
  }
  if (s.count < 1 || s.count > 10000) throw Error(fmt::format("--shard '{}': n must be 1 to 10000", text));
  if (s.index < 1 || s.index > s.count) throw Error(fmt::format("--shard '{}': i must be 1 to {}", text, s.count));
  return s;
}

std::string to_string(const Shard& shard) { return fmt::format("{}/{}", shard.index, shard.count); }

bool in_shard(std::string_view benchmark, const Shard& shard) {
  // FNV-1a: short, fixed by its definition, the same on every platform;
  // the split needs spread, not strength.
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : benchmark) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return static_cast<int>(h % static_cast<std::uint64_t>(shard.count)) == shard.index - 1;
}

}  // namespace gate
