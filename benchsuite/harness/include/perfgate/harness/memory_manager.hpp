// perfgate/harness/memory_manager.hpp — counts heap allocations made through
// the global operator new while a measurement is active, for Google
// Benchmark's MemoryManager hook.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>

namespace perfgate::harness {

/// What the allocation counter saw between start() and stop().
/// Byte counts are the sizes the allocator really handed out
/// (malloc_usable_size), which are at least the sizes requested.
struct AllocationStats {
  std::int64_t num_allocs = 0;             ///< calls of any operator new (all forms) that returned memory
  std::int64_t total_allocated_bytes = 0;  ///< sum of the sizes of those blocks
  std::int64_t max_bytes_used = 0;         ///< peak of live bytes above the level at start(); never negative
  std::int64_t net_heap_growth = 0;        ///< live bytes at stop() minus at start(); negative when more was freed
};

/// Starts counting: resets the counters and makes every operator new and
/// delete in the process (any thread) update them. Counting is global: only
/// one measurement can be active at a time; starting again restarts it.
void start_allocation_counting() noexcept;
/// Stops counting and returns what was seen since start_allocation_counting().
AllocationStats stop_allocation_counting() noexcept;
/// True between start and stop. MeasuredScope uses it to recognise Google
/// Benchmark's extra allocation-counting run of each benchmark.
[[nodiscard]] bool allocation_counting_active() noexcept;

/// Within an active count, narrows it to a region: begin resets the counters
/// (what came before, such as a benchmark's setup, is forgotten) and end
/// freezes them until stop. MeasuredScope calls them, so a benchmark's
/// allocations are those of its loop. No-ops when no count is active.
void begin_counted_region() noexcept;
void end_counted_region() noexcept;

/// Google Benchmark's MemoryManager over the counter above; run_main()
/// registers one. Google Benchmark calls Start/Stop around a separate run of
/// min(16, iterations) iterations after each repetition and reports
/// allocs_per_iter = num_allocs / those iterations and max_bytes_used. With a
/// MeasuredScope in the benchmark only its region is counted; without one,
/// the whole benchmark function (setup included), as stock Google Benchmark.
class CountingMemoryManager final : public benchmark::MemoryManager {
 public:
  void Start() override;
  void Stop(Result& result) override;
  // The deprecated pointer form, still pure virtual in Google Benchmark 1.7.
  void Stop(Result* result) override;
};

}  // namespace perfgate::harness
