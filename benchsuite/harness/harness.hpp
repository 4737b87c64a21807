// benchsuite/harness/harness.hpp — what every benchmark suite uses: the
// measured scope around a benchmark loop and the suite's main().
#pragma once

#include <benchmark/benchmark.h>

#include "harness/perf_counters.hpp"

namespace perfgate::harness {

/// Put it right before the benchmark loop, after the setup:
///
///   auto input = make_input(state.range(0));
///   perfgate::harness::MeasuredScope scope(state);
///   for (auto _ : state) { ... }
///
/// From construction to destruction it
/// - counts hardware events of this thread (perf_event_open: instructions,
///   cycles, branch misses, cache misses, user space only) where the kernel
///   allows, and adds them as counters hw_instructions, hw_cycles,
///   hw_branch_misses, hw_cache_misses, averaged per iteration (summed over
///   threads, divided by all threads' iterations);
/// - under valgrind's callgrind, on thread 0 only, zeroes the statistics and
///   toggles collection on (CALLGRIND_ZERO_STATS + CALLGRIND_TOGGLE_COLLECT)
///   at construction, and at destruction toggles it off and writes one dump
///   named "<benchmark name> iterations=<n>" (CALLGRIND_TOGGLE_COLLECT +
///   CALLGRIND_DUMP_STATS_AT). Valgrind must be started with
///   --collect-atstart=no; the name is known only when main is run_main().
/// In Google Benchmark's extra allocation-counting run (see run_main) it
/// measures nothing else and confines the count to itself: allocs_per_iter
/// and max_bytes_used describe the loop, not the setup before the scope.
/// When none of this applies it costs a few branches.
class MeasuredScope {
 public:
  explicit MeasuredScope(benchmark::State& state);
  ~MeasuredScope();
  MeasuredScope(const MeasuredScope&) = delete;
  MeasuredScope& operator=(const MeasuredScope&) = delete;

 private:
  benchmark::State& m_state;
  bool m_hw = false;         ///< the perf group was started and must be read
  bool m_callgrind = false;  ///< this scope toggled callgrind collection on
  bool m_alloc_region = false;  ///< this scope confines an allocation count
  PerfGroup m_perf;
};

/// The suite's main: installs the allocation-counting MemoryManager
/// (allocs_per_iter, max_bytes_used, total_allocated_bytes, net_heap_growth
/// in the JSON), adds context (build_type = our CMAKE_BUILD_TYPE, gate_inject
/// = the GATE_INJECT value or "none", hw_counters = "available" or
/// "unsupported: <reason>"), initialises and runs Google Benchmark. Returns
/// the process exit code: 0 after a run, 1 on unrecognised arguments or
/// flags that cannot work under callgrind (random interleaving).
int run_main(int argc, char** argv);

}  // namespace perfgate::harness

#define PERFGATE_BENCHMARK_MAIN() \
  int main(int argc, char** argv) { return ::perfgate::harness::run_main(argc, argv); }
