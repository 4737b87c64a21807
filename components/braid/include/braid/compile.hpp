// components/braid/include/braid/compile.hpp — compiling a constraint set into
// the IR: dependency graph, evaluation order, conflicts.
#pragma once

#include <vector>

#include "braid/ir.hpp"

namespace perfgate::braid {

/// Compiles constraints (in any order) into an IR: sorts them by id, builds
/// the dependency graph from depends_on, orders it topologically and detects
/// conflicts. Conflicts are reported in the IR, not thrown: they are findings.
/// Throws braid::Error on a malformed set: a duplicate id, a dependency on an
/// unknown id or on itself, or a dependency cycle.
[[nodiscard]] Ir compile(std::vector<Constraint> constraints);

/// All conflicting pairs of `constraints` (rules on Constraint), as ids
/// sorted by (first, second). Groups by kind, then by subject, so only
/// constraints that could conflict are compared: O(n log n) for sets whose
/// subjects are spread out. Built with GATE_INJECT=pairwise_conflicts it
/// compares all pairs instead, O(n²), with the same result.
[[nodiscard]] std::vector<Conflict> detect_conflicts(const std::vector<Constraint>& constraints);

}  // namespace perfgate::braid
