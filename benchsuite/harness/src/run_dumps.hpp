// benchsuite/harness/src/run_dumps.hpp — callgrind dumps of benchmarks that
// have no MeasuredScope (plain BENCHMARK functions on
// perfgate::benchmark_main). Google Benchmark 1.7 offers no hook around a
// benchmark's own loop; the one run of a benchmark function it brackets with
// a hook is its allocation-counting run (MemoryManager Start/Stop), so that
// run is collected, and dumped once the benchmark is reported and its
// iteration count is known.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "perfgate/harness/memory_manager.hpp"

namespace perfgate::harness {

/// MeasuredScope wrote a dump for the benchmark instance that runs now: its
/// allocation-counting runs are left uncollected, so that it keeps one dump.
void note_scope_dump() noexcept;

/// The allocation-counting run's iterations: Google Benchmark runs
/// min(16, n) iterations, n being the repetition's iterations per thread
/// (benchmark_runner.cc, 1.7 to 1.9). `iterations` and `threads` are those
/// of the instance's report (its iterations summed over threads).
[[nodiscard]] std::int64_t counting_run_iterations(std::int64_t iterations, std::int64_t threads) noexcept;

/// The instance `name` was reported; `counting_iterations` is its
/// allocation-counting run's iteration count. When that run was collected
/// (no MeasuredScope dumped), writes the dump "<name> iterations=<n>".
/// Resets the state for the next instance.
void dump_reported_run(const std::string& name, std::int64_t counting_iterations) noexcept;

/// The MemoryManager run_main registers under callgrind: it counts
/// allocations like CountingMemoryManager and, unless the running instance
/// has already dumped through a MeasuredScope, zeroes callgrind's
/// statistics and collects from Start to Stop.
class CollectingMemoryManager final : public benchmark::MemoryManager {
 public:
  void Start() override;
  void Stop(Result& result) override;
  // The deprecated pointer form, still pure virtual in Google Benchmark 1.7.
  void Stop(Result* result) override;

 private:
  CountingMemoryManager m_counting;
  bool m_collecting = false;  ///< Start toggled collection on; Stop toggles it off
};

}  // namespace perfgate::harness
