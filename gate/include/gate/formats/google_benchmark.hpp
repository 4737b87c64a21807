// gate/include/gate/formats/google_benchmark.hpp — reading Google Benchmark JSON (as written by
// 1.7.1 and later) into the data model. Reading any results file by its
// content is results_file.hpp's, included here because most readers of
// Google Benchmark files want that.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "gate/formats/results_file.hpp"
#include "gate/model/names.hpp"
#include "gate/model/run_bundle.hpp"

namespace gate {


/// Reads the JSON that a Google Benchmark binary writes with
/// --benchmark_format=json or --benchmark_out (1.7.1 and later; 1.8's
/// "skipped"/"skip_message" too). `source` names the input in messages.
///
/// - Suite::name is the basename of context.executable (without ".exe"), else
///   the stem of `source`. Suite::context holds the context's scalars as text
///   (numbers as written); arrays are flattened with their index, objects with
///   their key: "caches.0.type" = "Data", "caches.0.size" = "49152",
///   "load_avg.0" = "0.25".
/// - Iteration rows become one Benchmark per run_name (name when run_name is
///   absent), in order of first appearance, with one sample per repetition for
///   real_time and cpu_time (converted to ns from time_unit), every user
///   counter, the rates items_per_second/bytes_per_second and the memory
///   manager's fields (allocs_per_iter, max_bytes_used,
///   total_allocated_bytes, net_heap_growth): every numeric key that is not
///   one of Google Benchmark's own. Unit, direction and kind come from
///   describe_metric(). Benchmark::iterations is that of the last repetition.
/// - Aggregate rows (mean, median, stddev, cv, custom statistics) fill
///   Benchmark::aggregates: times in ns, except aggregates whose
///   aggregate_unit is "percentage" (cv), which stay fractions as written.
///   Non-finite aggregate values (Google Benchmark writes NaN for the cv of an
///   all-zero counter) are left out. A benchmark with aggregate rows but no
///   iteration rows (--benchmark_report_aggregates_only) gets one sample per
///   metric taken from the median (else the mean), Metric::from_aggregates
///   set, and Benchmark::repetitions = the repetitions the rows report.
/// - BigO and RMS rows become Suite::complexity, one ComplexityFit per family
///   (coefficients in ns); they are not benchmarks.
/// - A row with error_occurred sets Benchmark::error to its error_message; a
///   row with skipped (1.8+, SkipWithMessage) sets Benchmark::skipped to its
///   skip_message. Their times are not samples. Such benchmarks are kept.
///
/// Throws gate::Error "<source>:<line>:<col>: <what>" at the offending value
/// (at 1:1 for what concerns the whole file) for: an empty file, JSON
/// that is truncated or invalid, a top level that is not an object with a
/// "benchmarks" array, an empty "benchmarks" array (nothing to judge), a time
/// that is not a number, negative, NaN or infinite, a non-finite counter in
/// an iteration row, an unknown time_unit, one benchmark in two time units,
/// the same repetition_index (or aggregate) of a benchmark twice, a count
/// (iterations, repetitions) below 0, a negative value of a metric no
/// measurement makes negative (times, rates, the memory manager's sizes and
/// counts but net_heap_growth, callgrind and hardware counters), and a
/// benchmark, counter or aggregate name — or a suite name taken from
/// context.executable — that benchmark_name_problem() refuses: empty, longer
/// than k_max_name_bytes, or holding a control character.
[[nodiscard]] Suite read_google_benchmark(std::string_view text, const std::string& source);


}  // namespace gate
