// components/clew/include/clew/extract.hpp — constraint extraction from
// Python source text: signatures, type annotations, imports, base classes,
// decorators, assertions, error handling and dangerous calls.
#pragma once

#include <string_view>
#include <vector>

#include "braid/ir.hpp"

namespace perfgate::clew {

using Constraints = std::vector<braid::Constraint>;

/// Extracts constraints from one Python source file, line by line (a
/// pattern-based scanner, like the guide's fallback when tree-sitter is off):
///   import a / from a import b          architectural  "module:a"       "import" / "import b"
///   class C(B):                         architectural  "class:C"        "extends B"
///   def f(x: int, y) -> str:            syntactic      "f"              "(x: int, y) -> str"
///     each annotated parameter          type_safety    "f.x"            "int"
///     the return annotation             type_safety    "f.return"       "str"
///   @decorator before a def             semantic       "f"              "decorated @decorator"
///   assert <cond>                       semantic       "f"              "asserts <cond>"
///   name: T = ... outside a def         type_safety    "name"           "T"
///   except E / except (E1, E2)          operational    "f"              "handles E"
///   raise E(...)                        operational    "f"              "raises E"
///   eval( exec( shell=True pickle.loads security       "f"              "!eval" / "!exec" / "!shell" / "!pickle"
/// Methods are named "C.f"; statements outside any def use "<module>".
/// Constraints inside a def depend on its signature constraint. Ids count
/// from 0 in order of appearance; origin is "<file_name>:<line>"; a
/// (kind, subject, value) seen before in the file is not repeated. Lines in
/// triple-quoted strings and after '#' are ignored. Never throws on odd
/// input: what it cannot read it skips. Linear in the size of the source.
[[nodiscard]] Constraints extract(std::string_view source, std::string_view file_name = "<source>");

}  // namespace perfgate::clew
