// gate/include/gate/formats/callgrind.hpp — reading callgrind's output files into
// per-benchmark deterministic counters: one dump per benchmark run, named by
// the harness, turned into instructions, cache misses, branch mispredictions
// and a cycle estimate per iteration.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gate {

/// One callgrind output file (one dump).
struct CallgrindDump {
  int part = 0;         ///< the dump's sequence number in its process ("part:"), 0 when absent
  std::string trigger;  ///< "desc: Trigger:" without its key: "Client Request: BM_x iterations=8"
  /// Event name → total count of the dump, from "summary:" (callgrind's
  /// total of the part), else from "totals:". Events missing from the
  /// summary line (callgrind may shorten it) count 0.
  std::map<std::string, std::uint64_t> events;
  std::size_t events_line = 0;     ///< line of "events:", for messages
  std::size_t trigger_line = 0;    ///< line of "desc: Trigger:", for messages
  std::size_t trigger_column = 0;  ///< column where the trigger's text starts
};

/// Parses the header and the summary/totals of a callgrind output file
/// (callgrind format version 1); cost lines are skipped. `source` names the
/// file in messages. Throws gate::Error "<source>:<line>:<col>: <what>"
/// (file text in it escaped) for a NUL byte anywhere, no "events:" line, no
/// "summary:"/"totals:" line, an event named twice, a part that is not a
/// whole number, or a count that is not a non-negative integer.
[[nodiscard]] CallgrindDump parse_callgrind_dump(std::string_view text, const std::string& source);

/// What the benchmark harness names a dump: "Client Request: <benchmark
/// name> iterations=<n>" (CALLGRIND_DUMP_STATS_AT("<name> iterations=<n>")).
/// The name may contain spaces; the last " iterations=" separates it.
struct DumpLabel {
  std::string benchmark;
  std::int64_t iterations = 0;  ///< > 0
};

/// The label of a dump trigger, or std::nullopt when the trigger is not a
/// harness dump (program termination, a client request without
/// " iterations=<n>", n not a positive integer).
[[nodiscard]] std::optional<DumpLabel> parse_dump_label(std::string_view trigger);

/// Deterministic metrics of one benchmark, per iteration.
struct CallgrindCounters {
  std::string benchmark;
  std::int64_t iterations = 0;
  /// Metric name → value per iteration, in this order of names:
  ///   instructions  = Ir
  ///   l1i_misses    = I1mr
  ///   l1d_misses    = D1mr + D1mw
  ///   lli_misses    = ILmr
  ///   lld_misses    = DLmr + DLmw
  ///   ll_misses     = ILmr + DLmr + DLmw
  ///   branch_misses = Bcm + Bim
  ///   est_cycles    = Ir + 10·(I1mr + D1mr + D1mw) + 100·(ILmr + DLmr + DLmw)
  /// each divided by the iterations.
  std::vector<std::pair<std::string, double>> metrics;
};

/// The metrics above from one dump. Throws gate::Error
/// "<source>:<line>:<col>: <what>" when the dump lacks the cache or branch
/// events (callgrind was run without --cache-sim=yes --branch-sim=yes),
/// `iterations` is not positive, or the benchmark's name is one the naming
/// rule (model/names.hpp) refuses: empty, or with a control character.
[[nodiscard]] CallgrindCounters callgrind_counters(const CallgrindDump& dump, const DumpLabel& label,
                                                   const std::string& source);

/// Reads every "callgrind.out.*" file in `dir` (one run of one suite), keeps
/// the harness dumps, and returns one CallgrindCounters per benchmark in the
/// order of their first dump. When a benchmark was dumped more than once the
/// last dump (highest part) counts: it is the run whose result Google
/// Benchmark reports. Files that are not harness dumps (the dump at program
/// termination) are ignored; an empty result means the binary made no
/// harness client requests. Throws gate::Error when a file cannot be read or
/// parsed.
[[nodiscard]] std::vector<CallgrindCounters> read_callgrind_dir(const std::filesystem::path& dir);

}  // namespace gate
