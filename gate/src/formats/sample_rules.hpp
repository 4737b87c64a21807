// gate/src/formats/sample_rules.hpp — what every results reader (Google
// Benchmark JSON, run bundles, baseline files) refuses in a measured value,
// written once so that a file the ingest refuses cannot come back in as a
// bundle.
#pragma once

#include <array>
#include <string_view>

#include "gate/model/metrics.hpp"

namespace gate::detail {

/// True for a metric that no measurement can make negative: the times, the
/// rates Google Benchmark computes, its memory manager's counts and sizes
/// (not net_heap_growth, which shrinks when a benchmark frees more than it
/// allocates), the callgrind counts and the hardware counters (hw_*). A
/// negative sample of one of these is a broken or forged file, and the
/// judge would read it as a speed-up. User counters may be anything finite.
[[nodiscard]] inline bool never_negative(std::string_view metric) {
  static constexpr std::array<std::string_view, 9> k_named = {
      "real_time",      "cpu_time",    "items_per_second", "bytes_per_second", "allocs_per_iter",
      "max_bytes_used", "peak_bytes",  "allocations",      "total_allocated_bytes"};
  for (auto n : k_named) {
    if (n == metric) return true;
  }
  return is_callgrind_metric(metric) || metric.starts_with("hw_");
}

}  // namespace gate::detail
