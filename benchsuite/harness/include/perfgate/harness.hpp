// perfgate/harness.hpp — perfgate's benchmark harness, the one header a suite
// includes: the measured scope around a benchmark loop and the suite's main().
// Installed with perfgate (target perfgate::harness); it needs only Google
// Benchmark and the C++ library.
#pragma once

#include <benchmark/benchmark.h>

#include <perfgate/harness/perf_counters.hpp>

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
/// - on thread 0, where run_main found that Linux lets a process reset its
///   peak resident set (writing "5" to /proc/self/clear_refs), resets it at
///   construction and at destruction adds the counters peak_rss (VmHWM: the
///   largest resident set since the reset, resident setup included) and
///   steady_rss (VmRSS after the loop), in bytes. Where the reset does not
///   work nothing is reported: the context key "peak_rss" says why;
/// - under valgrind's callgrind, on thread 0 only, zeroes the statistics and
///   toggles collection on (CALLGRIND_ZERO_STATS + CALLGRIND_TOGGLE_COLLECT)
///   at construction, and at destruction toggles it off and writes one dump
///   named "<benchmark name> iterations=<n>" (CALLGRIND_TOGGLE_COLLECT +
///   CALLGRIND_DUMP_STATS_AT). Valgrind must be started with
///   --collect-atstart=no; the name is known only when main is run_main().
///   A benchmark without a MeasuredScope is dumped too, over Google
///   Benchmark's allocation-counting run instead (see run_main).
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
  bool m_rss = false;           ///< this scope reset the peak resident set and reports it
  PerfGroup m_perf;
};

/// What a suite's own compilation says about itself. PERFGATE_THIS_BUILD
/// fills it in the translation unit that defines main, so that it describes
/// the suite's build — its CMake build type and compiler — and not the
/// build of the harness library, which may have been compiled elsewhere.
struct BuildInfo {
  /// The suite's CMake build type ($<CONFIG>, set on every target that links
  /// perfgate::harness); empty when the build chose none.
  const char* build_type = "";
  /// The calling translation unit was compiled with optimisation
  /// (__OPTIMIZE__). Decides build_type when CMake's is empty: CMake then
  /// passes no -O flag at all.
  bool optimized = false;
  /// "gcc 12.2.0", "clang 16.0.6" or "unknown".
  const char* compiler = "unknown";
  /// perfgate's own GATE_INJECT (a deliberately slowed build for the gate's
  /// tests); empty everywhere else.
  const char* gate_inject = "";
};

/// The suite's main: installs the allocation-counting MemoryManager
/// (allocs_per_iter, max_bytes_used, total_allocated_bytes, net_heap_growth
/// in the JSON), adds context (build_type = the suite's CMAKE_BUILD_TYPE —
/// when there is none, "Debug" for code compiled without optimisation and
/// "none" otherwise —, compiler, gate_inject = the GATE_INJECT value or
/// "none", hw_counters = "available" or "unsupported: <reason>", peak_rss =
/// "per benchmark: ..." or "unsupported: <reason>", the latter also said
/// once on stderr),
/// initialises and runs Google Benchmark. Returns the process exit code: 0
/// after a run, 1 on unrecognised arguments or flags that cannot work under
/// callgrind (random interleaving).
///
/// Under callgrind it names one dump per benchmark (see MeasuredScope). A
/// benchmark without a MeasuredScope is collected over Google Benchmark's
/// allocation-counting run after its last repetition — one call of the
/// benchmark function with min(16, iterations) iterations, its setup and
/// Google Benchmark's constant cost of one run included — and dumped as
/// "<benchmark name> iterations=<those iterations>" when it is reported.
int run_main(int argc, char** argv, const BuildInfo& build);

}  // namespace perfgate::harness

// The parts of PERFGATE_THIS_BUILD, expanded where main is compiled.
#define PERFGATE_DETAIL_STR2(x) #x
#define PERFGATE_DETAIL_STR(x) PERFGATE_DETAIL_STR2(x)
#if defined(__clang__)
#define PERFGATE_DETAIL_COMPILER \
  "clang " PERFGATE_DETAIL_STR(__clang_major__) "." PERFGATE_DETAIL_STR(__clang_minor__) "." PERFGATE_DETAIL_STR(__clang_patchlevel__)
#elif defined(__GNUC__)
#define PERFGATE_DETAIL_COMPILER \
  "gcc " PERFGATE_DETAIL_STR(__GNUC__) "." PERFGATE_DETAIL_STR(__GNUC_MINOR__) "." PERFGATE_DETAIL_STR(__GNUC_PATCHLEVEL__)
#else
#define PERFGATE_DETAIL_COMPILER "unknown"
#endif
#if defined(__OPTIMIZE__)
#define PERFGATE_DETAIL_OPTIMIZED true
#else
#define PERFGATE_DETAIL_OPTIMIZED false
#endif
// perfgate::harness sets PERFGATE_BUILD_TYPE="$<CONFIG>" on its consumers.
#if defined(PERFGATE_BUILD_TYPE)
#define PERFGATE_DETAIL_BUILD_TYPE PERFGATE_BUILD_TYPE
#else
#define PERFGATE_DETAIL_BUILD_TYPE ""
#endif
#if defined(PERFGATE_GATE_INJECT)
#define PERFGATE_DETAIL_GATE_INJECT PERFGATE_GATE_INJECT
#else
#define PERFGATE_DETAIL_GATE_INJECT ""
#endif

/// The BuildInfo of the translation unit it is expanded in.
#define PERFGATE_THIS_BUILD                                                                          \
  ::perfgate::harness::BuildInfo {                                                                   \
    PERFGATE_DETAIL_BUILD_TYPE, PERFGATE_DETAIL_OPTIMIZED, PERFGATE_DETAIL_COMPILER, PERFGATE_DETAIL_GATE_INJECT \
  }

/// Defines main() as run_main with this build's BuildInfo. A suite with its
/// own main calls `perfgate::harness::run_main(argc, argv, PERFGATE_THIS_BUILD)`.
#define PERFGATE_BENCHMARK_MAIN()                                    \
  int main(int argc, char** argv) {                                  \
    return ::perfgate::harness::run_main(argc, argv, PERFGATE_THIS_BUILD); \
  }
