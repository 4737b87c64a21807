// gate/include/gate/judge/waivers.hpp — regressions accepted on purpose. A
// change that costs time or memory by design says so in a commit of its own:
// a trailer "Perf-Accepted: <benchmark> <metric>: <reason>" that reviewers
// read with the code. The verdicts it names become `accepted`, with the
// commit and the reason; nothing else silences the gate.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gate/judge/verdict.hpp"

namespace gate {

/// The trailer key of a waiver.
inline constexpr std::string_view k_waiver_trailer = "Perf-Accepted";

/// One waiver, from one trailer.
struct Waiver {
  /// Glob on the name (the benchmark, a complexity family, a suite or a
  /// binary; "suite:benchmark" matches too): "BM_Maze*", "bench_small".
  std::string name;
  std::string metric;  ///< glob on the metric: "allocs_per_iter", "cpu_time", "*" (any, a whole suite too)
  std::string reason;
  std::string commit;  ///< the sha of the commit it came from
  std::string text;    ///< the trailer's value as written
};

/// Parses a trailer value "<name glob> <metric glob>: <reason>" of `commit`:
/// "BM_Maze* allocs_per_iter: the new index costs one allocation". The
/// reason must not be empty: a waiver says why. Returns std::nullopt and
/// sets `why` for anything else.
[[nodiscard]] std::optional<Waiver> parse_waiver(std::string_view value, const std::string& commit, std::string& why);

/// Marks each verdict that fails the gate, or is a suspect, and that a
/// waiver names as Status::accepted with its Acceptance. Failed benchmarks
/// and suites (crashes, errors) are not acceptable: they were not measured.
/// Returns the waivers that matched nothing, for the report.
std::vector<Waiver> apply_waivers(Comparison& c, const std::vector<Waiver>& waivers);

}  // namespace gate
