// components/braid/include/braid/generate.hpp — deterministic constraint sets
// for benchmarks and tests (of braid and of the components downstream).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "braid/ir.hpp"

namespace perfgate::braid {

/// `count` constraints with ids 0..count-1, a mix of all kinds, subjects drawn
/// from a pool that grows with count (so a few subjects repeat and some pairs
/// conflict), and dependencies only on smaller ids (so the set compiles).
/// The same (count, seed) always gives the same set.
[[nodiscard]] std::vector<Constraint> generate_constraints(std::size_t count, std::uint64_t seed = 1);

}  // namespace perfgate::braid
