// benchsuite/harness/test/tiny_bench.cpp — a suite small enough to run under
// callgrind inside the harness test: known loop work, heavy setup outside the
// scope, a known number of allocations per iteration, and two threads.
#include <cstdint>
#include <numeric>
#include <vector>

#include "perfgate/harness.hpp"

namespace {

// Sums range(0) integers per iteration: the loop's instruction count grows with N.
void BM_TinySum(benchmark::State& state) {
  std::vector<std::int64_t> values(static_cast<std::size_t>(state.range(0)));
  std::iota(values.begin(), values.end(), 1);
  {
    // The block ends the scope with the loop: SetItemsProcessed allocates a
    // map node and its key, which must not count as the loop's.
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      std::int64_t sum = 0;
      for (std::int64_t v : values) {
        benchmark::DoNotOptimize(sum += v);
      }
      benchmark::DoNotOptimize(sum);
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TinySum)->Arg(10)->Arg(1000);

// Millions of instructions of setup before the scope, almost nothing inside:
// callgrind's dump must show only the inside.
void BM_TinyHeavySetup(benchmark::State& state) {
  std::uint64_t acc = 0;
  for (std::uint64_t i = 0; i < 2'000'000; ++i) {
    benchmark::DoNotOptimize(acc += i * 2654435761U);
  }
  perfgate::harness::MeasuredScope scope(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(acc += 1);
  }
}
BENCHMARK(BM_TinyHeavySetup);

// Exactly three heap allocations per iteration, one of them 4096 bytes.
void BM_TinyAlloc(benchmark::State& state) {
  perfgate::harness::MeasuredScope scope(state);
  for (auto _ : state) {
    auto* a = new std::int64_t(1);
    auto* b = new char[4096];
    auto* c = new std::int64_t[4];
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
    benchmark::DoNotOptimize(c);
    delete[] c;
    delete[] b;
    delete a;
  }
}
BENCHMARK(BM_TinyAlloc);

// Only thread 0 toggles callgrind; the other thread must not add a dump.
void BM_TinyThreads(benchmark::State& state) {
  perfgate::harness::MeasuredScope scope(state);
  std::int64_t sum = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(sum += state.thread_index());
  }
}
BENCHMARK(BM_TinyThreads)->Threads(2);

}  // namespace

PERFGATE_BENCHMARK_MAIN()
