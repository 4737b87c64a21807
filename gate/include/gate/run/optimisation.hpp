// gate/include/gate/run/optimisation.hpp — whether a suite binary's code was
// compiled with optimisation, as far as the binary shows it. A suite built
// with the harness records its own build type; a plain Google Benchmark
// binary records none, so the gate looks at the binary itself.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "gate/model/run_bundle.hpp"

namespace gate {

/// Context key of a suite without a "build_type": what its binary shows,
/// "<level>: <evidence>" with level optimised, unoptimised or unknown.
inline constexpr std::string_view k_optimisation_context = "perfgate_optimisation";

enum class Optimisation { optimised, unoptimised, unknown };

[[nodiscard]] std::string_view to_string(Optimisation level);

struct OptimisationEvidence {
  Optimisation level = Optimisation::unknown;
  std::string evidence;  ///< what it rests on, for a person: "compiled by 'GNU C++17 12.2.0 -g' (no -O flag)"
};

/// Reads the ELF file `binary`:
/// 1. GCC's DW_AT_producer strings in .debug_str (GCC records its switches
///    there by default): any translation unit compiled with no -O flag, -O0
///    or -Og makes the binary unoptimised; otherwise one with -O1 or more
///    makes it optimised.
/// 2. Without them, the symbol table: a function that every optimised build
///    inlines, compiled out of line — Google Benchmark's inline
///    FunctionBenchmark constructor (every BENCHMARK(fn)), std::move or
///    std::forward — makes it unoptimised.
/// 3. Otherwise unknown (a Release build without -g, or a stripped binary).
/// Never throws: an unreadable file is unknown, with the reason.
[[nodiscard]] OptimisationEvidence read_optimisation(const std::filesystem::path& binary);

/// For a suite whose context has no "build_type" (a plain Google Benchmark
/// binary): records read_optimisation(binary) under k_optimisation_context
/// and returns the notice a person should read — for an unoptimised or an
/// unknown build; std::nullopt for an optimised one, or when the suite
/// records its build type itself.
[[nodiscard]] std::optional<std::string> note_optimisation(Suite& suite, const std::filesystem::path& binary);

/// What a suite's context says of its optimisation (k_optimisation_context),
/// or std::nullopt when it says nothing.
[[nodiscard]] std::optional<OptimisationEvidence> recorded_optimisation(const Suite& suite);

}  // namespace gate
