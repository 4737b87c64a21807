// benchsuite/harness/test/plain_bench.cpp — plain Google Benchmark functions,
// no MeasuredScope and no main of their own: the suite links
// perfgate::benchmark_main as another project would link
// benchmark::benchmark_main. The harness test runs it natively and under
// callgrind.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <numeric>
#include <vector>

namespace {

// Sums range(0) integers per iteration: the count per iteration grows with N.
void BM_PlainSum(benchmark::State& state) {
  std::vector<std::int64_t> values(static_cast<std::size_t>(state.range(0)));
  std::iota(values.begin(), values.end(), 1);
  for (auto _ : state) {
    std::int64_t sum = 0;
    for (std::int64_t v : values) {
      benchmark::DoNotOptimize(sum += v);
    }
    benchmark::DoNotOptimize(sum);
  }
}
BENCHMARK(BM_PlainSum)->Arg(10)->Arg(1000);

// A fixed iteration count: Google Benchmark's allocation-counting run then
// has min(16, 40) = 16 iterations.
void BM_PlainFixed(benchmark::State& state) {
  std::int64_t acc = 0;
  for (auto _ : state) {
    for (int i = 0; i < 100; ++i) {
      benchmark::DoNotOptimize(acc += i);
    }
  }
}
BENCHMARK(BM_PlainFixed)->Iterations(40);

// Two heap allocations per iteration.
void BM_PlainAlloc(benchmark::State& state) {
  for (auto _ : state) {
    auto* a = new std::int64_t(1);
    auto* b = new char[256];
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
    delete[] b;
    delete a;
  }
}
BENCHMARK(BM_PlainAlloc);

// Two threads: the report sums their iterations; the allocation-counting run
// has one thread.
void BM_PlainThreads(benchmark::State& state) {
  std::int64_t acc = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(acc += state.thread_index());
  }
}
BENCHMARK(BM_PlainThreads)->Threads(2);

}  // namespace
