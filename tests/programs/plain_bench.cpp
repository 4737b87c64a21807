// tests/programs/plain_bench.cpp — a Google Benchmark suite that knows nothing
// of callgrind: under `gate run --instrument` it makes no dumps.
#include <benchmark/benchmark.h>

#include <string>

namespace {

void BM_Concat(benchmark::State& state) {
  for (auto _ : state) {
    std::string s = "perf";
    s += "gate";
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_Concat);

}  // namespace

BENCHMARK_MAIN();
