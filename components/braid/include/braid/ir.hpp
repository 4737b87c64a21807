// components/braid/include/braid/ir.hpp — the constraint and the compiled
// constraint IR: the types clew extracts, braid compiles, bridge marshals and
// maze keys its cache by. Keep them stable: canonical() is a cache key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace perfgate::braid {

/// What a constraint is about. The numeric values are part of the canonical
/// form and of bridge's C ABI: append, never renumber.
enum class ConstraintKind : std::uint8_t {
  syntactic = 0,      ///< a declaration's shape: a function signature
  type_safety = 1,    ///< a symbol's type: a parameter, a return value, a variable
  semantic = 2,       ///< behaviour: decorators, assertions
  architectural = 3,  ///< structure: imports, base classes
  operational = 4,    ///< error handling: what a function raises and handles
  security = 5,       ///< what must not be used: eval, shell=True
};
inline constexpr std::size_t k_kind_count = 6;

/// How hard a constraint binds. Values are part of the canonical form and ABI.
enum class Severity : std::uint8_t { error = 0, warning = 1, info = 2, hint = 3 };

/// One constraint on generated code.
///
/// Conflicts (see conflicts_with): constraints of different kinds never
/// conflict. Syntactic and type constraints are single-valued — the same
/// subject with two different values conflicts ("x: int" against "x: str").
/// Constraints of the other kinds may coexist ("handles ValueError" and
/// "handles KeyError") and conflict only as a requirement against its
/// prohibition: value "X" against value "!X".
struct Constraint {
  std::uint32_t id = 0;  ///< unique within a set
  ConstraintKind kind = ConstraintKind::syntactic;
  Severity severity = Severity::error;
  std::string subject;  ///< what is constrained: "parse_config", "parse_config.path", "module:os"
  std::string value;    ///< the requirement: "(path: str) -> Config", "str", "import", "!eval"
  std::string origin;   ///< where it was found, e.g. "app.py:12"; not used in conflict checks
  std::vector<std::uint32_t> depends_on;  ///< ids of constraints this one refines

  friend bool operator==(const Constraint&, const Constraint&) = default;
};

/// `from` depends on `to`: `to` is evaluated first.
struct Edge {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  friend bool operator==(const Edge&, const Edge&) = default;
  friend auto operator<=>(const Edge&, const Edge&) = default;
};

/// Two constraints that cannot both hold; first < second (ids).
struct Conflict {
  std::uint32_t first = 0;
  std::uint32_t second = 0;
  ConstraintKind kind = ConstraintKind::syntactic;
  friend bool operator==(const Conflict&, const Conflict&) = default;
};

/// A compiled constraint set. compile() builds it; every vector is in a
/// canonical order, so equal inputs (in any order) give equal IRs.
struct Ir {
  std::vector<Constraint> constraints;  ///< sorted by id; ids unique; depends_on sorted, unique
  std::vector<Edge> edges;              ///< the dependency graph, sorted by (from, to), unique
  std::vector<std::uint32_t> order;     ///< topological: each id after all it depends on; ties by smaller id
  std::vector<Conflict> conflicts;      ///< sorted by (first, second)

  friend bool operator==(const Ir&, const Ir&) = default;
};

/// "syntactic", "type_safety", ...
[[nodiscard]] std::string_view to_string(ConstraintKind kind);
/// "error", "warning", "info", "hint".
[[nodiscard]] std::string_view to_string(Severity severity);

/// True when a and b cannot both hold (rules on Constraint). Symmetric.
[[nodiscard]] bool conflicts_with(const Constraint& a, const Constraint& b);

/// The IR as bytes that identify it: equal IRs give equal bytes, different
/// IRs different bytes (every field is length-prefixed, little-endian). Starts
/// with the tag "braid-ir/1". Maze hashes this for its cache keys.
[[nodiscard]] std::string canonical(const Ir& ir);

/// Reads canonical() bytes back. Throws braid::Error on bytes that are not a
/// whole canonical IR (wrong tag, truncated, trailing bytes, bad enum value).
[[nodiscard]] Ir from_canonical(std::string_view bytes);

}  // namespace perfgate::braid
