// components/maze/include/maze/compiled.hpp — a compiled constraint: the IR
// turned into the grammar a constrained decoder (llguidance) is driven by.
#pragma once

#include <cstddef>
#include <string>

#include "braid/ir.hpp"

namespace perfgate::maze {

/// What the cache stores. Immutable once built; shared between threads.
struct CompiledConstraint {
  /// JSON text: {"grammar":"braid-ir/1","rules":[…],"conflicts":[[a,b],…]},
  /// one rule per constraint in the IR's evaluation order.
  std::string grammar;
  std::size_t rules = 0;
  std::size_t conflicts = 0;

  friend bool operator==(const CompiledConstraint&, const CompiledConstraint&) = default;
};

/// Compiles `ir` into its grammar: the expensive work the cache saves
/// (linear in the IR's size). Deterministic: equal IRs give equal results.
/// Throws std::out_of_range if `ir.order` names an id not in `ir.constraints`.
[[nodiscard]] CompiledConstraint compile_constraint(const braid::Ir& ir);

}  // namespace perfgate::maze
