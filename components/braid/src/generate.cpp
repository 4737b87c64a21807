// components/braid/src/generate.cpp — deterministic constraint sets.
#include "braid/generate.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace perfgate::braid {
namespace {

// SplitMix64: tiny, fast, and the same sequence on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : m_state(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t m_state;
};

constexpr std::array<const char*, 8> k_types = {"int",       "str",  "float",          "bool",
                                                "list[int]", "bytes", "dict[str, int]", "Optional[str]"};
constexpr std::array<const char*, 6> k_bases = {"eval", "os", "ValueError", "KeyError", "logging", "retry"};

}  // namespace

std::vector<Constraint> generate_constraints(std::size_t count, std::uint64_t seed) {
  Rng rng(seed);
  // A pool of a third as many subjects as constraints: each subject is used a
  // few times whatever the size, so conflicts grow linearly with the set.
  const std::size_t pool = std::max<std::size_t>(2, count / 3);
  std::vector<Constraint> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    Constraint c;
    c.id = static_cast<std::uint32_t>(i);
    c.kind = static_cast<ConstraintKind>(rng.below(k_kind_count));
    c.severity = static_cast<Severity>(rng.below(4));
    c.subject = "sym_" + std::to_string(rng.below(pool));
    if (c.kind == ConstraintKind::syntactic) {
      c.value = "(x: " + std::string(k_types[rng.below(k_types.size())]) + ") -> None";
    } else if (c.kind == ConstraintKind::type_safety) {
      c.value = k_types[rng.below(k_types.size())];
    } else {
      // Built by appending: GCC 12 at -O3 warns (-Wrestrict, falsely) on
      // "!" + std::string and on assigning "!".
      if (rng.below(4) == 0) {
        c.value.push_back('!');
      }
      c.value.append(k_bases[rng.below(k_bases.size())]);
    }
    c.origin = "generated.py:" + std::to_string(i + 1);
    if (i > 0 && rng.below(2) == 0) {
      const std::size_t deps = 1 + rng.below(2);
      for (std::size_t d = 0; d < deps; ++d) {
        c.depends_on.push_back(static_cast<std::uint32_t>(rng.below(i)));
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace perfgate::braid
