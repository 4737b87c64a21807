// tests/programs/good_bench.cpp — a tiny real Google Benchmark suite that, like
// the perfgate harness, confines callgrind's collection to the benchmark loop
// and names each dump "<benchmark name> iterations=<n>".
#include <benchmark/benchmark.h>

#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

// valgrind's headers and macros cast the C way; they are not our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wpedantic"
#include <valgrind/callgrind.h>
#include <valgrind/valgrind.h>

#ifdef GATE_PAD_BYTES
// The padded build: 6 MiB of initialised data (in .data), kept by an external
// definition, to show a suite binary outgrowing its size budget.
extern char g_pad[];
char g_pad[GATE_PAD_BYTES] = {1};
#endif

namespace {

void begin_collection() {
  if (RUNNING_ON_VALGRIND != 0) {
    CALLGRIND_ZERO_STATS;
    CALLGRIND_TOGGLE_COLLECT;
  }
}

void end_collection(const std::string& label) {
  if (RUNNING_ON_VALGRIND != 0) {
    CALLGRIND_TOGGLE_COLLECT;
    CALLGRIND_DUMP_STATS_AT(label.c_str());
  }
}

}  // namespace
#pragma GCC diagnostic pop

namespace {

// The benchmark loop with `extra_passes` more passes over the values; a
// separate instance per count, so that the normal loop's code is the same in
// every build.
template <int ExtraPasses>
void sum_loop(benchmark::State& state, const std::vector<long>& values) {
  for (auto _ : state) {
    long sum = 0;
    for (long v : values) sum += v;
    for (int pass = 0; pass < ExtraPasses; ++pass) {
      for (long v : values) sum += v;
    }
    benchmark::DoNotOptimize(sum);
  }
}

void BM_Sum(benchmark::State& state) {
  std::vector<long> values(static_cast<std::size_t>(state.range(0)));
  std::iota(values.begin(), values.end(), 1);
  begin_collection();
#ifdef GATE_SLOWER_SUM512
  // The deliberately slower build: two more passes over the values of
  // BM_Sum/512 only (about 2.5 times its time), a regression that even a busy
  // shared machine cannot hide; BM_Sum/64 runs the same code as normally.
  if (state.range(0) == 512) {
    sum_loop<2>(state, values);
  } else {
    sum_loop<0>(state, values);
  }
#else
  sum_loop<0>(state, values);
#endif
  end_collection("BM_Sum/" + std::to_string(state.range(0)) + " iterations=" + std::to_string(state.iterations()));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Sum)->Arg(64)->Arg(512);

}  // namespace

int main(int argc, char** argv) {
  // A suite's own prints on stdout must not disturb the results, which the
  // gate reads from --benchmark_out.
  std::puts("good_bench: hello on stdout");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
