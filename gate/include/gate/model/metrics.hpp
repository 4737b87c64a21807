// gate/include/gate/model/metrics.hpp — what the gate knows about a metric from its
// name alone: which way is better, whether it is noisy or deterministic, and
// its unit. A policy may override direction and kind per metric.
#pragma once

#include <string>
#include <string_view>

#include "gate/model/run_bundle.hpp"

namespace gate {

/// The deterministic counters `gate run --instrument` takes from callgrind
/// (formats/callgrind.hpp says how each is computed), in the order reports
/// and bundles list them.
inline constexpr std::string_view k_callgrind_metrics[] = {"instructions", "l1i_misses",   "l1d_misses",
                                                           "lli_misses",   "lld_misses",   "ll_misses",
                                                           "branch_misses", "est_cycles"};

/// True for one of k_callgrind_metrics.
[[nodiscard]] bool is_callgrind_metric(std::string_view name);

/// The benchmark of every suite under which `gate run` records what it
/// measured of the suite's process as a whole (peak_rss). It is judged on
/// that metric alone, whatever the rules make the suite's primary metric.
inline constexpr std::string_view k_process_benchmark = "(process)";
/// The metric of k_process_benchmark: the process's peak resident set, bytes.
inline constexpr std::string_view k_process_metric = "peak_rss";

struct MetricInfo {
  Direction direction = Direction::lower_is_better;
  MetricKind kind = MetricKind::noisy;
  std::string unit;  ///< "ns", "1/s", "B" or ""
};

/// Describes a metric by name. Known names:
///   real_time, cpu_time                         ns, lower, noisy
///   items_per_second, bytes_per_second, *_per_second, *_rate   1/s, higher, noisy
///   allocs_per_iter, max_bytes_used, total_allocated_bytes, net_heap_growth,
///   peak_bytes, allocations                     lower, deterministic (allocation counting)
///   peak_rss, steady_rss                        B, lower, deterministic (resident set: a suite's
///                                               process, or one benchmark through the harness)
///   instructions, est_cycles, l1i_misses, l1d_misses, ll_misses, lli_misses,
///   lld_misses, branch_misses                   lower, deterministic (callgrind)
///   hw_*                                        lower, noisy (perf_event hardware counters)
/// Any other user counter: lower is better, noisy, no unit.
[[nodiscard]] MetricInfo describe_metric(std::string_view name);

/// A metric without samples yet, named `name`, with the unit, direction and
/// kind `info` gives it (a policy's describe(), or describe_metric()).
[[nodiscard]] Metric make_metric(std::string_view name, MetricInfo info);
/// The same, as describe_metric(name) describes it.
[[nodiscard]] Metric make_metric(std::string_view name);

/// "lower" / "higher".
[[nodiscard]] std::string_view to_string(Direction d);
/// "noisy" / "deterministic".
[[nodiscard]] std::string_view to_string(MetricKind k);

}  // namespace gate
